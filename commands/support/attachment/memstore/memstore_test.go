package memstore_test

import (
	"testing"

	"ledgerdesk/commands/support/attachment/attachmenttest"
	"ledgerdesk/commands/support/attachment/memstore"
)

func TestConformance(t *testing.T) {
	attachmenttest.Run(t, func(t *testing.T) attachmenttest.Store { return memstore.New() })
}

func TestConformanceOnASharedStore(t *testing.T) {
	shared := memstore.New()
	attachmenttest.Run(t, func(t *testing.T) attachmenttest.Store { return shared })
}
