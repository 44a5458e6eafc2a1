package support

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	support "ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	"ledgerdesk/projections"
	"ledgerdesk/projector"
)

// session is what a support command runs on: the application layer, the support service
// (to look accounts up by email and read their state), and the runtime.
type session struct {
	d   *wiring.Runtime
	a   *app.App
	svc *support.Service
}

// withSupport runs f with the application layer and the support service.
func withSupport(cmd *cobra.Command, f func(ctx context.Context, s session) error) error {
	return wiring.With(cmd, func(ctx context.Context, d *wiring.Runtime) error {
		a, err := d.App()
		if err != nil {
			return err
		}
		svc, err := d.SupportService()
		if err != nil {
			return err
		}
		return f(ctx, session{d: d, a: a, svc: svc})
	})
}

// reading runs f as the account --as names (the operator as a support agent without one),
// once the support read models have caught up with the history.
func reading(cmd *cobra.Command, as string, f func(ctx context.Context, s session, call app.Call) error) error {
	return withSupport(cmd, func(ctx context.Context, s session) error {
		call, err := s.caller(ctx, cmd, as, authz.SupportAgent)
		if err != nil {
			return err
		}
		if err := s.settleReadModels(ctx); err != nil {
			return err
		}
		return f(ctx, s, call)
	})
}

// acting runs f as the account --as names, in the role its account gives it.
func acting(cmd *cobra.Command, as *string, f func(ctx context.Context, s session, call app.Call) error) error {
	return withSupport(cmd, func(ctx context.Context, s session) error {
		call, err := s.caller(ctx, cmd, *as, "")
		if err != nil {
			return err
		}
		return f(ctx, s, call)
	})
}

// settle runs ps until each has caught up with the history, then stops them. When another
// process (serve, project) owns a projection, this one waits for that process to catch up
// instead. A CLI command uses it to read its own writes, and to let a policy act at once
// when no projector is running.
func (s session) settle(ctx context.Context, ps []projections.Projection) error {
	_, err := projector.CatchUp(ctx, s.d.DB, s.d.Store, ps, 30*time.Second)
	return err
}

// settleReadModels brings the support read models up to date before a read command
// answers from them.
func (s session) settleReadModels(ctx context.Context) error {
	rms, _ := wiring.SupportProjections(s.svc, s.d)
	return s.settle(ctx, rms)
}

// actorFlag is the --as flag every acting command has: an account id, or the email of a
// support-site account.
func actorFlag(cmd *cobra.Command, as *string) {
	cmd.Flags().StringVar(as, "as", "", "who is acting: an account id or a support-site email (default $LEDGERDESK_ACTOR)")
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if *as == "" {
			*as = wiring.Settings(c).Actor
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
}

// roleFlag gives cmd's subcommands --role: how an account acts (an agent as it_support, a
// requester as clinician), or the operator's role where no account acts. A subcommand with
// a --role of its own (accounts register: the new account's role) acts in its default.
func roleFlag(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		if c.Flags().Lookup("role") == nil {
			c.Flags().String("role", "", fmt.Sprintf("the role to act in: for an agent's account support_agent (default) or it_support; for a requester's patient (default) or clinician; without --as, one of %v", authz.Roles()))
		}
	}
}

// operator is the caller for a command no account runs: the operator (cli:$USER) in
// --role, def by default.
func operator(cmd *cobra.Command, def authz.Role) (app.Call, error) {
	role := def
	if name, _ := cmd.Flags().GetString("role"); name != "" {
		r, err := authz.ParseRole(name)
		if err != nil {
			return app.Call{}, fmt.Errorf("%w: --role: %w", cli.ErrBadInput, err)
		}
		role = r
	}
	return cli.As(wiring.Actor(cmd, ""), role), nil
}

// caller is the caller for the account as names (an id, or a support-site email): the
// account itself, in the role its account gives it. Without as it is the operator in
// --role, def by default, where a command allows that (def not empty).
func (s session) caller(ctx context.Context, cmd *cobra.Command, as string, def authz.Role) (app.Call, error) {
	if as == "" && def != "" {
		return operator(cmd, def)
	}
	id, err := resolveAccount(ctx, s.svc, account.RealmSupport, as)
	if err != nil {
		return app.Call{}, err
	}
	acct, err := s.svc.Account(ctx, id)
	if errors.Is(err, account.ErrAccountNotFound) {
		return app.Call{}, fmt.Errorf("%w: %s", support.ErrUnknownActor, id)
	}
	if err != nil {
		return app.Call{}, err
	}
	asked, _ := cmd.Flags().GetString("role")
	role, err := roleOf(acct, authz.Role(asked))
	if err != nil {
		return app.Call{}, err
	}
	return cli.As(id, role), nil
}

// roleOf is the role an account acts in, asked (--role) choosing between the two an
// agent's or a requester's account may hold.
func roleOf(a account.State, asked authz.Role) (authz.Role, error) {
	var role authz.Role
	var may []authz.Role
	switch {
	case a.Realm == account.RealmSupport && a.Role == account.RoleAgent:
		role, may = authz.SupportAgent, []authz.Role{authz.SupportAgent, authz.ITSupport}
	case a.Realm == account.RealmSupport:
		role, may = authz.Patient, []authz.Role{authz.Patient, authz.Clinician}
	case a.Role == account.RoleClinician:
		role, may = authz.Clinician, []authz.Role{authz.Clinician}
	case a.Role == account.RoleAccounts:
		role, may = authz.Accounts, []authz.Role{authz.Accounts}
	default:
		role, may = authz.Patient, []authz.Role{authz.Patient}
	}
	if asked == "" {
		return role, nil
	}
	for _, r := range may {
		if r == asked {
			return r, nil
		}
	}
	return "", fmt.Errorf("%w: --role %s: a %s %s account acts as one of %v", cli.ErrBadInput, asked, a.Realm, a.Role, may)
}

// resolveAccount turns an id or an email into an account id; emails are looked up in
// realm.
func resolveAccount(ctx context.Context, svc *support.Service, realm account.Realm, idOrEmail string) (string, error) {
	if idOrEmail == "" {
		return "", fmt.Errorf("%w: say who is acting with --as or LEDGERDESK_ACTOR", support.ErrUnknownActor)
	}
	if !strings.Contains(idOrEmail, "@") {
		return idOrEmail, nil
	}
	id, found, err := svc.LookupEmail(ctx, realm, idOrEmail)
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("%w: no %s account is registered with that email", account.ErrAccountNotFound, realm)
	}
	return id, nil
}

// readPassword reads a password from the first line of stdin, for --password-stdin.
func readPassword(cmd *cobra.Command) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := cmd.InOrStdin().Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			break
		}
		if b.Len() > 4096 {
			return "", errors.New("password on stdin is too long")
		}
	}
	return strings.TrimRight(b.String(), "\r"), nil
}
