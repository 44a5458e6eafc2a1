// Package support holds the support centre's read models and their queries.
//
// Two projections: support_tickets (the agents' queue, each requester's own tickets, each
// ticket's documents and full audit timeline) and support_accounts (accounts by email,
// their two-factor, blocked addresses and support grants).
//
// What a requester sees is kept apart by construction rather than by a WHERE clause:
// public replies and internal notes are different tables, and the requester's queries
// never read the notes table or the timeline. A query for a requester also takes the
// requester's id, so a ticket of someone else reads as not found.
package support

import (
	"errors"

	"ledgerdesk/domain/ticket"
	"ledgerdesk/projections"
)

// Querier is a pool, a connection or a transaction (callers outside name it so).
type Querier = projections.Querier

// ErrNotFound is matched, with ticket.ErrTicketNotFound, when a ticket is not in the read
// model or is not the requester's.
var ErrNotFound = errors.New("not found in the support read model")

func notFound(what string) error {
	return &notFoundError{what: what}
}

type notFoundError struct{ what string }

func (e *notFoundError) Error() string   { return ErrNotFound.Error() + ": " + e.what }
func (e *notFoundError) Unwrap() []error { return []error{ErrNotFound, ticket.ErrTicketNotFound} }
