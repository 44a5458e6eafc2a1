package operations

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"ledgerdesk/adapters/httpapi"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
)

func tokensCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "tokens", Short: "API tokens: create and revoke (only a hash is stored)"}
	var role, subject, label string
	var ttl time.Duration
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := authz.ParseRole(role)
			if err != nil {
				return err
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
				// The support service says what each subject's account is, so a token's role
				// must match it.
				svc, err := d.SupportService()
				if err != nil {
					return err
				}
				t, err := httpapi.CreateToken(ctx, d.DB, svc, authz.Actor{Role: r, Subject: subject}, label, ttl)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), t.Secret)
				fmt.Fprintf(cmd.ErrOrStderr(), "token %s for %s %s: shown once, store it now\n", t.ID, r, subject)
				return nil
			})
		},
	}
	create.Flags().StringVar(&role, "role", "", fmt.Sprintf("one of %v", authz.Roles()))
	create.Flags().StringVar(&subject, "subject", "", "who the token acts as (patient, clinician or staff id)")
	create.Flags().StringVar(&label, "label", "", "a note on what the token is for")
	create.Flags().DurationVar(&ttl, "ttl", 0, "expire after this long (0: never)")
	_ = create.MarkFlagRequired("role")
	_ = create.MarkFlagRequired("subject")
	revoke := &cobra.Command{
		Use:   "revoke TOKEN_ID",
		Short: "Stop a token working",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return fmt.Errorf("token id: %w", err)
			}
			return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error { return httpapi.RevokeToken(ctx, d.DB, id) })
		},
	}
	cmd.AddCommand(create, revoke)
	return cmd
}
