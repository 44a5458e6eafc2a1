package journal

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/money"
	"ledgerdesk/projections"
)

// Balance is one account's balance: positive is a debit balance, negative a credit one.
type Balance struct {
	Account string       `json:"account"`
	Balance money.Amount `json:"balance"`
}

// TrialBalance lists every account's balance. Debits and Credits are the totals of each
// side, and Total their sum, which the double entry keeps at zero.
type TrialBalance struct {
	Accounts []Balance    `json:"accounts"`
	Debits   money.Amount `json:"debits"`
	Credits  money.Amount `json:"credits"`
	Total    money.Amount `json:"total"`
}

// Trial reads the trial balance. Accounts whose balance is zero are left out unless all is set.
func Trial(ctx context.Context, q projections.Querier, all bool) (TrialBalance, error) {
	rows, err := q.Query(ctx, `SELECT account, sum(amount)::text FROM proj_journal.entries GROUP BY account ORDER BY account`)
	if err != nil {
		return TrialBalance{}, fmt.Errorf("trial balance: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanBalance)
	if err != nil {
		return TrialBalance{}, fmt.Errorf("trial balance: %w", err)
	}
	tb := TrialBalance{Accounts: []Balance{}, Debits: money.Zero, Credits: money.Zero, Total: money.Zero}
	for _, b := range list {
		switch {
		case b.Balance.IsPositive():
			tb.Debits = tb.Debits.Add(b.Balance)
		case b.Balance.IsNegative():
			tb.Credits = tb.Credits.Add(b.Balance.Neg())
		case !all:
			continue
		}
		tb.Accounts = append(tb.Accounts, b)
		tb.Total = tb.Total.Add(b.Balance)
	}
	return tb, nil
}

// AccountBalance is one account's balance (zero for an account with no entries).
func AccountBalance(ctx context.Context, q projections.Querier, account string) (money.Amount, error) {
	rows, err := q.Query(ctx, `SELECT $1::text, coalesce(sum(amount), 0)::text FROM proj_journal.entries WHERE account = $1`, account)
	if err != nil {
		return money.Zero, err
	}
	b, err := pgx.CollectExactlyOneRow(rows, scanBalance)
	return b.Balance, err
}

// Balances lists the balances of every account starting with prefix, such as
// "clinician_payable:" for what each clinician is owed now.
func Balances(ctx context.Context, q projections.Querier, prefix string) ([]Balance, error) {
	rows, err := q.Query(ctx, `SELECT account, sum(amount)::text FROM proj_journal.entries WHERE starts_with(account, $1) GROUP BY account ORDER BY account`, prefix)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanBalance)
}

func scanBalance(r pgx.CollectableRow) (Balance, error) {
	var b Balance
	var amount string
	if err := r.Scan(&b.Account, &amount); err != nil {
		return b, err
	}
	var err error
	b.Balance, err = money.Parse(amount)
	return b, err
}

// Line is one entry with the posting and event it came from.
type Line struct {
	PostingID string       `json:"posting_id"`
	EventID   uuid.UUID    `json:"event_id"`
	Stream    string       `json:"stream"`
	Version   int64        `json:"version"`
	EventType string       `json:"event_type"`
	At        time.Time    `json:"at"`
	Memo      string       `json:"memo"`
	Account   string       `json:"account"`
	Amount    money.Amount `json:"amount"`
	Ref       string       `json:"ref"`
}

// Filter picks entries: by account (an exact name, or a prefix ending in ':'), by ref (an
// earning, invoice or payout id), or both. Limit 0 means 1000.
type Filter struct {
	Account string
	Ref     string
	Limit   int
}

// Entries lists entries in the order they were posted: the trail from a balance back to
// the events that made it.
func Entries(ctx context.Context, q projections.Querier, f Filter) ([]Line, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	exact, prefix := f.Account, ""
	if strings.HasSuffix(f.Account, ":") {
		exact, prefix = "", f.Account
	}
	rows, err := q.Query(ctx, `SELECT p.posting_id, p.event_id, p.stream_id, p.stream_version, p.event_type, p.at, p.memo, e.account, e.amount::text, e.ref
		FROM proj_journal.entries e JOIN proj_journal.postings p USING (posting_id)
		WHERE ($1 = '' OR e.account = $1) AND ($2 = '' OR starts_with(e.account, $2)) AND ($3 = '' OR e.ref = $3)
		ORDER BY p.commit_pos, p.prepare_pos, p.seq, e.line LIMIT $4`, exact, prefix, f.Ref, limit)
	if err != nil {
		return nil, fmt.Errorf("journal entries: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Line, error) {
		var l Line
		var amount string
		if err := r.Scan(&l.PostingID, &l.EventID, &l.Stream, &l.Version, &l.EventType, &l.At, &l.Memo, &l.Account, &amount, &l.Ref); err != nil {
			return l, err
		}
		var err error
		l.Amount, err = money.Parse(amount)
		return l, err
	})
}
