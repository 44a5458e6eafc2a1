package postgres_test

import (
	"testing"

	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventstoretest"
)

func TestPostgresStore(t *testing.T) {
	eventstoretest.Run(t, func(t *testing.T) eventstore.Store { return newTestStore(t) })
}
