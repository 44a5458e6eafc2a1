// Package attachmentstore keeps support-ticket attachments in PostgreSQL, encrypted at
// rest (migrations/004): the bytes sealed with a data key per ticket and class of
// attachment, that key wrapped by a master key the database never sees. Every read is
// logged, append-only, with who read it; destroying an identity document deletes its
// bytes, leaves a tombstone, and once the ticket has no identity document left deletes
// the key they were sealed with, so copies in backups become unreadable too.
//
// It implements the support service's port, commands/support/attachment (Store and
// ReadLog), and passes that port's conformance suite (attachmenttest).
//
// The store does not decide who may read what: the ticket decider does (only the agent
// handling the ticket), and the command layer asks it before calling Open.
package attachmentstore
