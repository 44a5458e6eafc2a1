package support

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// MaxAgents bounds the list of agents a ticket can be assigned to.
const MaxAgents = 500

// Agent is a support-site agent's account, as the assign-to list shows it.
type Agent struct {
	AccountID string `json:"account_id"`
	Name      string `json:"name"`
}

// Agents lists the support-site agents' accounts by name: who a ticket can be assigned to.
func Agents(ctx context.Context, q Querier) ([]Agent, error) {
	rows, err := q.Query(ctx, `SELECT account_id, name FROM proj_support_accounts.accounts
		WHERE realm = 'support' AND role = 'agent' ORDER BY name, account_id LIMIT $1`, MaxAgents)
	if err != nil {
		return nil, fmt.Errorf("support agents: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Agent])
}
