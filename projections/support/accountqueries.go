package support

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/domain/account"
	"ledgerdesk/domain/contact"
)

// AccountRow is an account as the read model has it.
type AccountRow struct {
	AccountID            string          `json:"account_id"`
	Realm                account.Realm   `json:"realm"`
	Role                 account.Role    `json:"role"`
	Email                string          `json:"email"`
	Name                 string          `json:"name"`
	Phone                string          `json:"phone,omitempty"`
	Address              contact.Address `json:"address"`
	HasPassword          bool            `json:"has_password"`
	PasswordChangedAt    *time.Time      `json:"password_changed_at,omitempty"`
	PasswordChangedBy    string          `json:"password_changed_by,omitempty"`
	TwoFactorEnabled     bool            `json:"two_factor_enabled"`
	TwoFactorEnrolledAt  *time.Time      `json:"two_factor_enrolled_at,omitempty"`
	TwoFactorResetAt     *time.Time      `json:"two_factor_reset_at,omitempty"`
	TwoFactorResetTicket string          `json:"two_factor_reset_ticket_id,omitempty"`
	TwoFactorResetBy     string          `json:"two_factor_reset_by,omitempty"`
	RegisteredAt         time.Time       `json:"registered_at"`
	UpdatedAt            time.Time       `json:"updated_at"`
	Version              int64           `json:"version"`
}

const accountColumns = `account_id, realm, role, email, name, phone, address_line1, address_line2, address_line3, town, postcode,
	has_password, password_changed_at, password_changed_by, two_factor_enabled, two_factor_enrolled_at, two_factor_reset_at,
	two_factor_reset_ticket_id, two_factor_reset_by, registered_at, updated_at, version`

func scanAccount(r pgx.CollectableRow) (AccountRow, error) {
	var a AccountRow
	err := r.Scan(&a.AccountID, &a.Realm, &a.Role, &a.Email, &a.Name, &a.Phone, &a.Address.Line1, &a.Address.Line2, &a.Address.Line3,
		&a.Address.Town, &a.Address.Postcode, &a.HasPassword, &a.PasswordChangedAt, &a.PasswordChangedBy, &a.TwoFactorEnabled,
		&a.TwoFactorEnrolledAt, &a.TwoFactorResetAt, &a.TwoFactorResetTicket, &a.TwoFactorResetBy, &a.RegisteredAt, &a.UpdatedAt, &a.Version)
	return a, err
}

// AccountsByEmail finds the accounts registered with an email, in both realms (the
// support-site and portal accounts of one person are distinct, and an agent checking a
// two-factor reset needs the portal one). The email is normalised as registration does.
func AccountsByEmail(ctx context.Context, q Querier, email string) ([]AccountRow, error) {
	e, err := contact.ParseEmail(email)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", account.ErrInvalidInput, err)
	}
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM proj_support_accounts.accounts WHERE email = $1 ORDER BY realm, account_id`, e)
	if err != nil {
		return nil, fmt.Errorf("accounts by email: %w", err)
	}
	return pgx.CollectRows(rows, scanAccount)
}

// AccountByID is one account; ErrNotFound (and account.ErrAccountNotFound) if absent.
func AccountByID(ctx context.Context, q Querier, accountID string) (AccountRow, error) {
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM proj_support_accounts.accounts WHERE account_id = $1`, accountID)
	if err != nil {
		return AccountRow{}, fmt.Errorf("account %s: %w", accountID, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAccount)
	if errors.Is(err, pgx.ErrNoRows) {
		return AccountRow{}, fmt.Errorf("%w: %w: account %s", ErrNotFound, account.ErrAccountNotFound, accountID)
	}
	return a, err
}

// BlockedIP is one address an account refuses logins from.
type BlockedIP struct {
	IP        string    `json:"ip"`
	BlockedAt time.Time `json:"blocked_at"`
	BlockedBy string    `json:"blocked_by"`
}

// BlockedIPs lists an account's blocked addresses.
func BlockedIPs(ctx context.Context, q Querier, accountID string) ([]BlockedIP, error) {
	rows, err := q.Query(ctx, `SELECT ip, blocked_at, blocked_by FROM proj_support_accounts.blocked_ips WHERE account_id = $1 ORDER BY blocked_at, ip`, accountID)
	if err != nil {
		return nil, fmt.Errorf("blocked addresses of %s: %w", accountID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[BlockedIP])
}

// GrantRow is a support grant.
type GrantRow struct {
	GrantID   string     `json:"grant_id"`
	TicketID  string     `json:"ticket_id,omitempty"`
	Scopes    []string   `json:"scopes"`
	GrantedAt time.Time  `json:"granted_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	Actions   int        `json:"actions"`
}

// Active reports whether the grant is in force at now.
func (g GrantRow) Active(now time.Time) bool {
	return g.RevokedAt == nil && !now.Before(g.GrantedAt) && now.Before(g.ExpiresAt)
}

// Grants lists an account's support grants, newest first.
func Grants(ctx context.Context, q Querier, accountID string) ([]GrantRow, error) {
	rows, err := q.Query(ctx, `SELECT grant_id, ticket_id, scopes, granted_at, expires_at, revoked_at, revoked_by, actions
		FROM proj_support_accounts.grants WHERE account_id = $1 ORDER BY granted_at DESC, grant_id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("grants of %s: %w", accountID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[GrantRow])
}

// Names maps each account id the read model knows, of ids, to its name (an unknown id, or
// an account with no name, is absent): what a person reads instead of an id.
func Names(ctx context.Context, q Querier, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT account_id, name FROM proj_support_accounts.accounts WHERE account_id = ANY($1) AND name <> ''`, ids)
	if err != nil {
		return nil, fmt.Errorf("names of %d accounts: %w", len(ids), err)
	}
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error { out[id] = name; return nil })
	return out, err
}

// AccountsBlockingIP lists the accounts that refuse logins from ip, with who they are: what
// an agent needs beside a blocked-IP ticket.
func AccountsBlockingIP(ctx context.Context, q Querier, ip string) ([]AccountRow, error) {
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM proj_support_accounts.accounts
		JOIN proj_support_accounts.blocked_ips b USING (account_id)
		WHERE b.ip = $1 ORDER BY b.blocked_at, account_id`, ip)
	if err != nil {
		return nil, fmt.Errorf("accounts blocking an address: %w", err)
	}
	return pgx.CollectRows(rows, scanAccount)
}
