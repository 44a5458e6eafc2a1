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
	return projections.UseSchema(ctx, tx, schema)
}

// setupSchema creates schema and the projection's tables in it.
func setupSchema(ctx context.Context, tx pgx.Tx, p projections.Projection, schema string) error {
	return projections.SetupSchema(ctx, tx, p, schema)
}
