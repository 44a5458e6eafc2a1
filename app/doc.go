// Package app is the application layer: the one door every command and query comes
// through, whoever asks (the HTTP API, the CLI, the web pages, the policies). Around each
// operation it applies, once and in this order: the command and correlation ids, a
// structured log line, the metrics, and authorization.
//
// An operation is a Spec (its action name, whether it changes anything, and its
// authz.Rule) plus its handler. Aggregate commands are registered one row per command in
// their aggregate's table (appointments.go, invoices.go, ...) and run with Execute; the
// row names the command's stream and its action, and the rule is checked inside the
// decision against the very state the command is decided on. Queries and multi-step
// workflows are methods on App whose bodies go through the same decorators.
//
// The read models are reached through their own query functions (projections/...), which
// take a projections.Querier: app defines ports only for what it needs from outside the
// core (metrics, projection status), and imports no adapter.
package app
