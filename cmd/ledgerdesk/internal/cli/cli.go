// Package cli holds what every CLI area shares: reading arguments (amounts, dates, times,
// ids) with clear errors, the --as and --role flags that make the application layer's
// caller, JSON output, the note that a read model lags, and exit statuses and signals.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/wiring"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/projector"
)

// ErrBadInput is wrapped by every argument a command refuses before it touches anything:
// a clear message, nothing appended.
var ErrBadInput = errors.New("bad input")

// ExitError asks for a particular exit status (e.g. a replay that found differences).
type ExitError int

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// AddActorFlags gives a command --as and --role: who is acting, and in what role (role,
// unless --role or LEDGERDESK_ROLE says otherwise). The application layer checks the pair
// exactly as it checks a signed-in user of the API.
func AddActorFlags(cmd *cobra.Command, role authz.Role) {
	cmd.PersistentFlags().String("as", "", "who is acting (an account id); default cli:$USER")
	cmd.PersistentFlags().String("role", string(role), fmt.Sprintf("the role they act in: one of %v", authz.Roles()))
}

// Role is the role a command acts in: --role, else LEDGERDESK_ROLE, else the command's
// default.
func Role(cmd *cobra.Command) (authz.Role, error) {
	name, _ := cmd.Flags().GetString("role")
	if !cmd.Flags().Changed("role") && wiring.Settings(cmd).Role != "" {
		name = string(wiring.Settings(cmd).Role)
	}
	role, err := authz.ParseRole(name)
	if err != nil {
		return "", fmt.Errorf("%w: --role: %w", ErrBadInput, err)
	}
	return role, nil
}

// Call is the CLI's caller for the application layer: --as in --role.
func Call(cmd *cobra.Command) (app.Call, error) {
	role, err := Role(cmd)
	if err != nil {
		return app.Call{}, err
	}
	as, _ := cmd.Flags().GetString("as")
	return As(wiring.Actor(cmd, as), role), nil
}

// As is the CLI's caller acting as subject in role.
func As(subject string, role authz.Role) app.Call {
	return app.Call{Actor: authz.Actor{Subject: subject, Role: role}, Door: app.CLI}
}

// Door is the application layer and the CLI's caller for it.
func Door(cmd *cobra.Command, r *wiring.Runtime) (*app.App, app.Call, error) {
	call, err := Call(cmd)
	if err != nil {
		return nil, app.Call{}, err
	}
	a, err := r.App()
	return a, call, err
}

// Amount reads an amount in pounds, refusing anything but a plain decimal with at most two
// decimal places.
func Amount(flag, s string) (money.Amount, error) {
	a, err := money.Parse(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	if err != nil {
		return money.Zero, fmt.Errorf("%w: --%s: %w", ErrBadInput, flag, err)
	}
	return a, nil
}

// Date reads YYYY-MM-DD.
func Date(flag, s string) (ledger.Date, error) {
	d, err := ledger.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return ledger.Date{}, fmt.Errorf("%w: --%s: %w", ErrBadInput, flag, err)
	}
	return d, nil
}

// Time reads an instant: RFC 3339, or "YYYY-MM-DD HH:MM" in London time; empty is now.
func Time(flag, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Now().UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, ledger.London); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: --%s: %q is not a time (use 2025-02-10T14:30:00Z or \"2025-02-10 14:30\", London time)", ErrBadInput, flag, s)
}

// ID refuses an empty or blank id argument.
func ID(what, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrBadInput, what)
	}
	return s, nil
}

// JSON prints v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// LagNote warns on stderr when a read model has not caught up with the history, so a
// reader knows the figures may be behind (the projector runs in `serve` or `project`).
func LagNote(ctx context.Context, cmd *cobra.Command, r *wiring.Runtime, names ...string) {
	st, err := projector.StatusOf(ctx, r.DB, r.Store, names)
	if err != nil {
		return
	}
	for _, s := range st {
		if s.Lag > 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), "note: the %s read model is %d event(s) behind the history; are the projectors running (ledgerdesk serve, or ledgerdesk project)?\n", s.Name, s.Lag)
		}
	}
}

// Day prints a time as its London date.
func Day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.In(ledger.London).Format("2006-01-02")
}

// WithApp runs f on an open runtime with the application layer and the CLI's caller for
// it (--as in --role).
func WithApp(cmd *cobra.Command, f func(ctx context.Context, r *wiring.Runtime, a *app.App, call app.Call) error) error {
	return wiring.With(cmd, func(ctx context.Context, r *wiring.Runtime) error {
		a, call, err := Door(cmd, r)
		if err != nil {
			return err
		}
		return f(ctx, r, a, call)
	})
}
