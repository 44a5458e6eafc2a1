package attachmentstore_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"ledgerdesk/adapters/attachmentstore"
	"ledgerdesk/commands/support/attachment/attachmenttest"
)

// atRest is the Postgres store with a view of its sealed blobs, for the suite's check
// that nothing is kept in the clear.
type atRest struct {
	*attachmentstore.Store
	pool *pgxpool.Pool
}

func (s atRest) AtRest(t *testing.T, attachmentID string) []byte {
	t.Helper()
	var sealed []byte
	if err := s.pool.QueryRow(t.Context(), `SELECT sealed FROM attachment_blobs WHERE attachment_id = $1`, attachmentID).Scan(&sealed); err != nil {
		t.Fatalf("sealed blob of %s: %v", attachmentID, err)
	}
	return sealed
}

// TestConformance runs the port's suite on one database shared by every sub-test (each
// uses ids of its own), which is also how the store is used: by many callers at once.
func TestConformance(t *testing.T) {
	t.Parallel()
	s, pool, _ := newStore(t)
	shared := atRest{Store: s, pool: pool}
	attachmenttest.Run(t, func(*testing.T) attachmenttest.Store { return shared })
}
