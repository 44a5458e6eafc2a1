// Package authz decides who may do what: the roles of the people who use ledgerdesk, the
// actions they take, and the rule for each action (which roles, and whether the role is
// limited to its own records: a clinician to their own appointments and earnings, a
// patient to their own appointments, invoices and tickets).
//
// It sits in the command and query layer, not in HTTP handlers, so every way into the
// system (API, CLI, web pages) gets the same answer: Guard runs a command only after
// checking the actor against the state the command is decided on, and the query functions
// check before they read.
package authz
