// Package mail holds the policies that send the support centre's email.
//
//   - Outbox: a projection that queues one message (a row in mail_outbox) for each event
//     that asks for one (account.PasswordResetRequested; ticket.PublicReplyPosted when an
//     agent wrote it, never an internal note). It writes through the
//     delivery transaction, so the row is committed with the policy's checkpoint: a
//     message exists exactly when its event was handled, and an event that was never
//     committed queues nothing. The message id is derived from the event, so a redelivery
//     or a rebuild queues nothing twice.
//   - Sender: works off the outbox through a Transport (adapters/mail: SMTP, or .eml files
//     in a directory). It takes one due row at a time under a row lock (FOR UPDATE SKIP
//     LOCKED, so several processes share the work and never take the same row), composes
//     the message through the application layer as the named system actor
//     policy:mail_sender, sends it, and records the outcome in the same transaction. A
//     temporary refusal (4xx, no connection) is retried with exponential back-off; a
//     permanent one (5xx), or running out of attempts, marks it failed; a message whose
//     link no longer works is dropped unsent.
//
// Each message is sent once, with one window: if the process dies after the mail server
// accepted a message and before the transaction recording it commits, the row is still
// pending and the message is sent again on the next pass. Closing that window would need
// the mail server to take part in the transaction, which SMTP cannot do; the Message-ID
// header is the message id, the same on both copies, so a receiving system that
// de-duplicates by Message-ID shows it once.
package mail
