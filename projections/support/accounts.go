package support

import (
	"cmp"
	"context"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/modulus"
	"ledgerdesk/eventstore"
	"ledgerdesk/projections"
)

// AccountsName is the accounts projection's name; its tables live in proj_support_accounts.
const AccountsName = "support_accounts"

// Accounts is the read model of accounts in both realms: found by email, with their
// two-factor state, blocked addresses and support grants.
type Accounts struct{ handlers *projections.Handlers }

// NewAccounts decodes events with c.
func NewAccounts(c *codec.Codec) *Accounts {
	return &Accounts{handlers: projections.On(projections.NewHandlers(c), account.StreamCategory, applyAccount)}
}

func (*Accounts) Name() string { return AccountsName }

func (*Accounts) Setup(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS accounts (
			account_id          text PRIMARY KEY,
			realm               text NOT NULL,
			role                text NOT NULL,
			email               text NOT NULL,
			name                text NOT NULL,
			phone               text NOT NULL DEFAULT '',
			address_line1       text NOT NULL DEFAULT '',
			address_line2       text NOT NULL DEFAULT '',
			address_line3       text NOT NULL DEFAULT '',
			town                text NOT NULL DEFAULT '',
			postcode            text NOT NULL DEFAULT '',
			has_password        boolean NOT NULL DEFAULT false,
			password_changed_at timestamptz,
			password_changed_by text NOT NULL DEFAULT '',
			two_factor_enabled  boolean NOT NULL DEFAULT false,
			two_factor_enrolled_at timestamptz,
			two_factor_reset_at timestamptz,
			two_factor_reset_ticket_id text NOT NULL DEFAULT '',
			two_factor_reset_by text NOT NULL DEFAULT '',
			registered_at       timestamptz NOT NULL,
			updated_at          timestamptz NOT NULL,
			version             bigint NOT NULL
		);
		CREATE INDEX IF NOT EXISTS accounts_by_email ON accounts (email, realm);
		CREATE TABLE IF NOT EXISTS blocked_ips (
			account_id text NOT NULL,
			ip         text NOT NULL,
			blocked_at timestamptz NOT NULL,
			blocked_by text NOT NULL,
			PRIMARY KEY (account_id, ip)
		);
		CREATE TABLE IF NOT EXISTS grants (
			grant_id   text PRIMARY KEY,
			account_id text NOT NULL,
			ticket_id  text NOT NULL DEFAULT '',
			scopes     text[] NOT NULL,
			granted_at timestamptz NOT NULL,
			expires_at timestamptz NOT NULL,
			revoked_at timestamptz,
			revoked_by text NOT NULL DEFAULT '',
			actions    int NOT NULL DEFAULT 0
		);
		CREATE INDEX IF NOT EXISTS grants_by_account ON grants (account_id, granted_at);
		CREATE TABLE IF NOT EXISTS payee_changes (
			account_id      text NOT NULL,
			version         bigint NOT NULL,
			changed_at      timestamptz NOT NULL,
			changed_by      text NOT NULL,
			reauthenticated boolean NOT NULL,
			replaced        boolean NOT NULL,
			account_name    text NOT NULL,
			sort_code       text NOT NULL,
			account_last4   text NOT NULL,
			modulus         text NOT NULL,
			modulus_reason  text NOT NULL,
			PRIMARY KEY (account_id, version)
		);
		CREATE INDEX IF NOT EXISTS payee_changes_by_time ON payee_changes (changed_at DESC, account_id)`)
	return err
}

const touchAccount = `UPDATE accounts SET updated_at = $2, version = $3 WHERE account_id = $1 AND version < $3`

func (p *Accounts) Apply(ctx context.Context, w projections.Writer, e eventstore.RecordedEvent) error {
	return p.handlers.Apply(ctx, w, e)
}

func applyAccount(_ context.Context, w projections.Writer, e eventstore.RecordedEvent, ev account.Event) error {
	v := int64(e.Version)
	switch ev := ev.(type) {
	case account.Registered:
		w.Exec(`INSERT INTO accounts (account_id, realm, role, email, name, registered_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (account_id) DO NOTHING`,
			ev.AccountID, string(ev.Realm), string(ev.Role), ev.Email, ev.Name, ev.At, v)
	case account.PasswordSet:
		w.Exec(`UPDATE accounts SET has_password = true, password_changed_at = $2, password_changed_by = 'self', updated_at = $2, version = $3
			WHERE account_id = $1 AND version < $3`, ev.AccountID, ev.At, v)
	case account.ProfileUpdated:
		w.Exec(`UPDATE accounts SET name = $4, email = $5, phone = $6, updated_at = $2, version = $3 WHERE account_id = $1 AND version < $3`,
			ev.AccountID, ev.At, v, ev.Name, ev.Email, ev.Phone)
	case account.PostalAddressSet:
		w.Exec(`UPDATE accounts SET address_line1 = $4, address_line2 = $5, address_line3 = $6, town = $7, postcode = $8, updated_at = $2, version = $3
			WHERE account_id = $1 AND version < $3`, ev.AccountID, ev.At, v, ev.Line1, ev.Line2, ev.Line3, ev.Town, ev.Postcode)
	case account.PasswordChanged:
		w.Exec(`UPDATE accounts SET has_password = true, password_changed_at = $2, password_changed_by = $4, updated_at = $2, version = $3
			WHERE account_id = $1 AND version < $3`, ev.AccountID, ev.At, v, string(ev.By))
	case account.TwoFactorEnrolled:
		w.Exec(`UPDATE accounts SET two_factor_enabled = true, two_factor_enrolled_at = $2, updated_at = $2, version = $3
			WHERE account_id = $1 AND version < $3`, ev.AccountID, ev.At, v)
	case account.TwoFactorReset:
		w.Exec(`UPDATE accounts SET two_factor_enabled = false, two_factor_reset_at = $2, two_factor_reset_ticket_id = $4, two_factor_reset_by = $5,
				updated_at = $2, version = $3
			WHERE account_id = $1 AND version < $3`, ev.AccountID, ev.At, v, ev.TicketID, ev.AgentID)
	case account.IPBlocked:
		w.Exec(`INSERT INTO blocked_ips (account_id, ip, blocked_at, blocked_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, ev.AccountID, ev.IP, ev.At, ev.By)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.IPUnblocked:
		w.Exec(`DELETE FROM blocked_ips WHERE account_id = $1 AND ip = $2`, ev.AccountID, ev.IP)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.SupportAccessGranted:
		scopes := make([]string, len(ev.Scopes))
		for i, s := range ev.Scopes {
			scopes[i] = string(s)
		}
		w.Exec(`INSERT INTO grants (grant_id, account_id, ticket_id, scopes, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, ev.GrantID, ev.AccountID, ev.TicketID, scopes, ev.At, ev.ExpiresAt)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.SupportAccessRevoked:
		w.Exec(`UPDATE grants SET revoked_at = $2, revoked_by = $3 WHERE grant_id = $1 AND revoked_at IS NULL`, ev.GrantID, ev.At, ev.By)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.SupportActionRecorded:
		w.Exec(`UPDATE grants SET actions = actions + 1 WHERE grant_id = $1`, ev.GrantID)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.PasswordResetRequested:
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.PasswordResetCompleted:
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	case account.PayeeBankDetailsSet:
		// Only the last four digits of the account number: the list says which account
		// without becoming a copy of everyone's bank details.
		w.Exec(`INSERT INTO payee_changes (account_id, version, changed_at, changed_by, reauthenticated, replaced, account_name, sort_code,
			account_last4, modulus, modulus_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
			ev.AccountID, v, ev.At, ev.By, ev.Reauthenticated, ev.Replaced, ev.AccountName, ev.SortCode, last4(ev.AccountNumber),
			string(cmp.Or(ev.Modulus, modulus.NotChecked)), ev.ModulusReason)
		w.Exec(touchAccount, ev.AccountID, ev.At, v)
	}
	return nil
}

func last4(n string) string {
	if len(n) <= 4 {
		return n
	}
	return n[len(n)-4:]
}
