// Package support is the support centre's application service: what the API, the CLI and
// the support policies call to register accounts, log in, reset passwords and two-factor,
// work tickets and handle identity documents.
//
// Each function loads what it needs, lets the account or ticket decider decide, and appends
// through commands.Execute, so a retried call with the same command id is harmless. What
// the deciders cannot see is checked here: that an email is unique within its site
// (commands.Claim on account.EmailReservationStream), who the actor is (an agent, the
// requester, the account holder: Metadata.Actor is an account id, loaded and checked,
// never trusted as a role), and that a verification names a real portal account.
//
// Secrets never enter an event. Password hashes (argon2id) live in support_credentials,
// TOTP secrets sealed in support_totp_secrets (the events carry a reference), attachment
// bytes in the attachment store, and a reset token exists only in the email: it is derived
// from the command id under the service's secret key, so a retried request yields the same
// link, and only its SHA-256 reaches the account's history.
//
// Where a side table and an event must both change, the event is appended first and the
// table follows, and a retry of the same command repairs a half-done call: a credential
// never changes without its event on record.
package support
