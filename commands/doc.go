// Package commands is the application service: it runs any aggregate's decider against
// the event store.
//
// Execute reads a stream, decodes and folds it, asks the decider, and appends what it
// decided with the version it read as the expected version. When another writer got there
// first (a version conflict) it re-reads and decides again, a bounded number of times. A
// command carries an id, which is written into the metadata of every event it produced
// and from which those events' ids are derived: a command that is sent again (a client
// retry, a redelivered message) finds its own events already in the stream and returns
// what they recorded instead of deciding twice, and two processes racing with the same
// command append byte-identical events that the store recognises as one.
//
// Load folds a stream for queries and policies; LoadAsOf folds only what had been recorded
// by a given moment, for auditors. Claim reserves a unique name (an email, say) by
// creating a stream that can only be created once.
//
// The layer knows nothing of HTTP or the command line, and authorization wraps it from
// outside.
package commands
