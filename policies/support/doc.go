// Package support holds the support centre's policies, the reactions to events that issue
// the next command, and the retention job.
//
//   - TwoFactorReset: a ticket's IdentityVerified resets the named portal account's
//     two-factor (and deletes its enrolled secrets).
//   - DocumentDestruction: a ticket's DocumentDestroyed deletes the document's bytes, and
//     with the ticket's last identity document the key that sealed them.
//   - Retention: the sweep that destroys the identity documents of tickets closed longer
//     ago than the retention period; it reads the clock through the service, so tests
//     move time instead of waiting.
//
// The policies are projections (the runner delivers each event once per policy, in order,
// with retries and parking), and every command they issue has an id derived from the
// event, so a redelivered event changes nothing.
package support
