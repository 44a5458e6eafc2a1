package projector

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"

	"ledgerdesk/projections"
)

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

func checkName(p projections.Projection) error {
	if !validName.MatchString(p.Name()) {
		return fmt.Errorf("projection name %q: use lower case letters, digits and _, starting with a letter", p.Name())
	}
	return nil
}

// useSchema points the transaction's unqualified names at schema.
func useSchema(ctx context.Context, tx pgx.Tx, schema string) error {
	_, err := tx.Exec(ctx, "SELECT set_config('search_path', $1, true)", pgx.Identifier{schema}.Sanitize()+", public")
	return err
}

// setupSchema creates schema and the projection's tables in it.
func setupSchema(ctx context.Context, tx pgx.Tx, p projections.Projection, schema string) error {
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("projection %s: creating schema: %w", p.Name(), err)
	}
	if err := useSchema(ctx, tx, schema); err != nil {
		return err
	}
	if err := p.Setup(ctx, tx); err != nil {
		return fmt.Errorf("projection %s: setup: %w", p.Name(), err)
	}
	return nil
}
