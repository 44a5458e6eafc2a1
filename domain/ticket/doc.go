// Package ticket is the decider for a support-centre ticket: a request raised by a
// support-site account, the public conversation with it and the agents' internal notes,
// its assignment, priority and status, and the identity documents attached for a
// two-factor reset, from upload through an agent's verification to their destruction
// once the retention period after closing has passed.
//
// What the decider cannot see is left to the command layer and documented on each
// command: that the requester is a support-realm account, that the acting agent is an
// agent, and that the name and address on a document match the portal account.
package ticket
