package memstore_test

import (
	"testing"

	"ledgerdesk/eventstore"
	"ledgerdesk/eventstore/eventstoretest"
	"ledgerdesk/eventstore/memstore"
)

func TestMemStore(t *testing.T) {
	eventstoretest.Run(t, func(t *testing.T) eventstore.Store { return memstore.New() })
}
