package support

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/commands"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	readmodel "ledgerdesk/projections/support"
)

func accountsCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "accounts", Short: "Support centre: portal and support-site accounts, blocked addresses, consent to IT support"}
	cmd.AddCommand(accountsRegisterCommand(), accountsFindCommand(), accountsShowCommand(), blockIPCommand(true), blockIPCommand(false),
		grantAccessCommand(), revokeAccessCommand(), setPasswordAsSupportCommand(), requestResetCommand())
	roleFlag(cmd)
	return cmd
}

func accountsRegisterCommand() *cobra.Command {
	var realm, role, email, name, id string
	var pwStdin bool
	cmd := &cobra.Command{
		Use:   "register --realm support|portal --role ROLE --email EMAIL --name NAME",
		Short: "Register an account (the same email may have one account on each site)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw := ""
			if pwStdin {
				var err error
				if pw, err = readPassword(cmd); err != nil {
					return err
				}
			}
			return withSupport(cmd, func(ctx context.Context, s session) error {
				// --role is the new account's: the operator registers it as IT support.
				call := cli.As(wiring.Actor(cmd, ""), authz.ITSupport)
				var got string
				err := s.a.AccountStep(ctx, call, "support.account.register", id, func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					var err error
					got, err = svc.Register(ctx, support.Registration{AccountID: id, Realm: account.Realm(realm), Role: account.Role(role), Email: email, Name: name, Password: pw}, meta)
					return err
				})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), got)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&realm, "realm", "support", "support (the support site) or portal")
	cmd.Flags().StringVar(&role, "role", "requester", "support: requester or agent; portal: patient, clinician or accounts")
	cmd.Flags().StringVar(&email, "email", "", "email address")
	cmd.Flags().StringVar(&name, "name", "", "full name")
	cmd.Flags().StringVar(&id, "id", "", "account id (default: a new UUID)")
	cmd.Flags().BoolVar(&pwStdin, "password-stdin", false, "read a password from the first line of stdin (otherwise the holder sets one through a reset link)")
	return cmd
}

func accountsFindCommand() *cobra.Command {
	var as string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "find EMAIL",
		Short: "Find the accounts registered with an email, on both sites",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return reading(cmd, as, func(ctx context.Context, s session, call app.Call) error {
				rows, err := s.a.AccountsWithEmail(ctx, call, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(rows)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ACCOUNT\tSITE\tROLE\tNAME\tTWO-FACTOR\tADDRESS")
				for _, r := range rows {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.AccountID, r.Realm, r.Role, r.Name, onOff(r.TwoFactorEnabled), addressOf(r))
				}
				if len(rows) == 0 {
					fmt.Fprintln(w, "(no account has this email)")
				}
				return w.Flush()
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func addressOf(r readmodel.AccountRow) string {
	var parts []string
	for _, p := range []string{r.Address.Line1, r.Address.Line2, r.Address.Line3, r.Address.Town, r.Address.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func accountsShowCommand() *cobra.Command {
	var as string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ACCOUNT",
		Short: "An account with its blocked addresses and support grants",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return reading(cmd, as, func(ctx context.Context, s session, call app.Call) error {
				v, err := s.a.SupportAccount(ctx, call, args[0])
				if err != nil {
					return err
				}
				a, ips, grants := v.Account, v.BlockedIPs, v.Grants
				out := cmd.OutOrStdout()
				if asJSON {
					return json.NewEncoder(out).Encode(map[string]any{"account": a, "blocked_ips": ips, "grants": grants})
				}
				fmt.Fprintf(out, "%s  %s %s  %s <%s>\n", a.AccountID, a.Realm, a.Role, a.Name, a.Email)
				fmt.Fprintf(out, "address: %s\ntwo-factor: %s", addressOf(a), onOff(a.TwoFactorEnabled))
				if a.TwoFactorResetAt != nil {
					fmt.Fprintf(out, " (reset %s on ticket %s by %s)", a.TwoFactorResetAt.Format(time.RFC3339), a.TwoFactorResetTicket, a.TwoFactorResetBy)
				}
				fmt.Fprintln(out)
				for _, ip := range ips {
					fmt.Fprintf(out, "blocked: %s since %s by %s\n", ip.IP, ip.BlockedAt.Format(time.RFC3339), ip.BlockedBy)
				}
				now := time.Now()
				for _, g := range grants {
					state := "expired"
					switch {
					case g.RevokedAt != nil:
						state = "revoked"
					case g.Active(now):
						state = "active"
					}
					fmt.Fprintf(out, "grant %s: %s, %s until %s, %d actions recorded\n", g.GrantID, state, strings.Join(g.Scopes, "+"), g.ExpiresAt.Format(time.RFC3339), g.Actions)
				}
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func blockIPCommand(block bool) *cobra.Command {
	var as, ticketID string
	use, short := "block-ip ACCOUNT IP", "Refuse logins to an account from an IP address"
	if !block {
		use, short = "unblock-ip ACCOUNT IP", "Lift a blocked IP address (usually from a blocked_ip ticket: --ticket)"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				action, step := "account.block_ip", func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					return svc.BlockIP(ctx, args[0], args[1], meta)
				}
				if !block {
					action, step = "account.unblock_ip", func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
						return svc.UnblockIP(ctx, args[0], args[1], ticketID, meta)
					}
				}
				if err := s.a.AccountStep(ctx, call, action, args[0], step); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: done\n", strings.Fields(use)[0])
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	if !block {
		cmd.Flags().StringVar(&ticketID, "ticket", "", "the blocked_ip ticket this answers")
	}
	return cmd
}

func grantAccessCommand() *cobra.Command {
	var as, ticketID, scopes string
	var lasting time.Duration
	cmd := &cobra.Command{
		Use:   "grant-access ACCOUNT --scopes change_password,log_in_as --for 24h --as ACCOUNT",
		Short: "Record the holder's consent for IT support to change their password or log in as them (at most 72h)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withSupport(cmd, func(ctx context.Context, s session) error {
				var sc []account.Scope
				for _, scope := range strings.Split(scopes, ",") {
					if scope = strings.TrimSpace(scope); scope != "" {
						sc = append(sc, account.Scope(scope))
					}
				}
				if as == "" {
					return fmt.Errorf("%w: consent is given by the holder: --as must name the account", support.ErrUnknownActor)
				}
				call, err := s.caller(ctx, cmd, as, "")
				if err != nil {
					return err
				}
				var id string
				err = s.a.AccountStep(ctx, call, "account.grant_support_access", args[0], func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					var err error
					id, err = svc.GrantSupportAccess(ctx, support.Grant{AccountID: args[0], TicketID: ticketID, Scopes: sc, ExpiresAt: svc.Now().Add(lasting)}, meta)
					return err
				})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the account holder giving consent (their account id)")
	cmd.Flags().StringVar(&ticketID, "ticket", "", "the ticket the consent is for")
	cmd.Flags().StringVar(&scopes, "scopes", "", "change_password, log_in_as, or both separated by a comma")
	cmd.Flags().DurationVar(&lasting, "for", 24*time.Hour, "how long the consent lasts (at most 72h)")
	return cmd
}

func revokeAccessCommand() *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   "revoke-access ACCOUNT GRANT",
		Short: "Withdraw a consent to IT support (the holder or an agent)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				if err := s.a.AccountStep(ctx, call, "account.revoke_support_access", args[0], func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					return svc.RevokeSupportAccess(ctx, args[0], args[1], meta)
				}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "revoked")
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	return cmd
}

func setPasswordAsSupportCommand() *cobra.Command {
	var as, grant string
	cmd := &cobra.Command{
		Use:   "set-password ACCOUNT --grant GRANT --as AGENT < password",
		Short: "IT support sets a user's password under their active change_password consent (read from stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(cmd)
			if err != nil {
				return err
			}
			return acting(cmd, &as, func(ctx context.Context, s session, call app.Call) error {
				if err := s.a.AccountStep(ctx, call, "account.change_password_as_support", args[0], func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					return svc.ChangePasswordAsSupport(ctx, args[0], grant, pw, meta)
				}); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "password changed; the change is recorded under the grant")
				return nil
			})
		},
	}
	actorFlag(cmd, &as)
	cmd.Flags().StringVar(&grant, "grant", "", "the user's consent (grant id)")
	return cmd
}

func requestResetCommand() *cobra.Command {
	var realm string
	cmd := &cobra.Command{
		Use:   "request-password-reset EMAIL",
		Short: "Issue a password reset link (printed here, for when the email did not arrive)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withSupport(cmd, func(ctx context.Context, s session) error {
				call, err := operator(cmd, authz.ITSupport)
				if err != nil {
					return err
				}
				var link support.ResetLink
				var found bool
				err = s.a.AccountStep(ctx, call, "account.request_password_reset", "", func(ctx context.Context, svc *support.Service, meta commands.Metadata) error {
					var err error
					link, found, err = svc.RequestPasswordReset(ctx, account.Realm(realm), args[0], meta)
					return err
				})
				if err != nil {
					return err
				}
				if !found {
					return fmt.Errorf("%w: no %s account has this email", account.ErrAccountNotFound, realm)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "account %s: token %s (works once, until %s)\n", link.AccountID, link.Token, link.ExpiresAt.Format(time.RFC3339))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&realm, "realm", "portal", "portal or support")
	return cmd
}
