package support

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/contact"
	"ledgerdesk/domain/modulus"
)

// MaxPayeeChanges is the most changes one list returns.
const MaxPayeeChanges = 1000

// PayeeChange is one setting of a clinician's payee bank details: who, when, and what it
// was set to (the account number masked).
type PayeeChange struct {
	AccountID string    `json:"account_id"`
	Version   int64     `json:"version"`
	At        time.Time `json:"at"`
	// By is who made the change: the clinician's own id, or the staff member's.
	By              string `json:"by"`
	Reauthenticated bool   `json:"reauthenticated"`
	// Replaced says it replaced details already set (the first setting is false).
	Replaced      bool            `json:"replaced"`
	AccountName   string          `json:"account_name"`
	SortCode      string          `json:"sort_code"`
	AccountNumber string          `json:"account_number_masked"`
	Modulus       modulus.Outcome `json:"modulus"`
	ModulusReason string          `json:"modulus_reason"`
}

// PayeeChanges lists the changes to payee bank details, newest first: one clinician's,
// or everyone's when accountID is empty; at most limit (1 to MaxPayeeChanges).
func PayeeChanges(ctx context.Context, q Querier, accountID string, limit int) ([]PayeeChange, error) {
	if limit <= 0 || limit > MaxPayeeChanges {
		limit = MaxPayeeChanges
	}
	rows, err := q.Query(ctx, `SELECT account_id, version, changed_at, changed_by, reauthenticated, replaced, account_name, sort_code,
			account_last4, modulus, modulus_reason
		FROM proj_support_accounts.payee_changes WHERE $1 = '' OR account_id = $1
		ORDER BY changed_at DESC, account_id, version DESC LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("payee bank details changes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PayeeChange, error) {
		var c PayeeChange
		var last4 string
		err := r.Scan(&c.AccountID, &c.Version, &c.At, &c.By, &c.Reauthenticated, &c.Replaced, &c.AccountName, &c.SortCode,
			&last4, &c.Modulus, &c.ModulusReason)
		c.SortCode = contact.FormatSortCode(c.SortCode)
		c.AccountNumber = "****" + last4
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("payee bank details changes: %w", err)
	}
	return out, nil
}
