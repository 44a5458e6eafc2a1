package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"ledgerdesk/projector"

	"github.com/spf13/cobra"

	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
)

// errPayBadInput is wrapped by every argument the payments commands refuse before they
// touch anything: a clear message, nothing appended.
var errPayBadInput = errors.New("bad input")

// payActor is who the payments commands act as: --as, or the operating-system user.
func payActor(cmd *cobra.Command) string {
	as, _ := cmd.Flags().GetString("as")
	return cliActor(cmd, as)
}

// payAddActorFlag gives a command --as and --role: who is acting, and in what role
// (role, unless --role says otherwise). The application layer checks the pair exactly as
// it checks a signed-in user of the API.
func payAddActorFlag(cmd *cobra.Command, role authz.Role) {
	cmd.PersistentFlags().String("as", "", "who is acting (an account id); default cli:$USER")
	cmd.PersistentFlags().String("role", string(role), fmt.Sprintf("the role they act in: one of %v", authz.Roles()))
}

// payCall is the CLI's caller for the application layer: --as in --role.
func payCall(cmd *cobra.Command) (app.Call, error) {
	name, _ := cmd.Flags().GetString("role")
	if !cmd.Flags().Changed("role") && settings(cmd).Role != "" {
		name = string(settings(cmd).Role)
	}
	role, err := authz.ParseRole(name)
	if err != nil {
		return app.Call{}, fmt.Errorf("%w: --role: %w", errPayBadInput, err)
	}
	return app.Call{Actor: authz.Actor{Subject: payActor(cmd), Role: role}, Door: app.CLI}, nil
}

// payAmount reads an amount in pounds, refusing anything but a plain decimal with at most
// two decimal places.
func payAmount(flag, s string) (money.Amount, error) {
	a, err := money.Parse(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	if err != nil {
		return money.Zero, fmt.Errorf("%w: --%s: %w", errPayBadInput, flag, err)
	}
	return a, nil
}

// payDate reads YYYY-MM-DD.
func payDate(flag, s string) (ledger.Date, error) {
	d, err := ledger.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return ledger.Date{}, fmt.Errorf("%w: --%s: %w", errPayBadInput, flag, err)
	}
	return d, nil
}

// payTime reads an instant: RFC 3339, or "YYYY-MM-DD HH:MM" in London time; empty is now.
func payTime(flag, s string) (time.Time, error) {
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
	return time.Time{}, fmt.Errorf("%w: --%s: %q is not a time (use 2025-02-10T14:30:00Z or \"2025-02-10 14:30\", London time)", errPayBadInput, flag, s)
}

// payID refuses an empty or blank id argument.
func payID(what, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%w: %s is empty", errPayBadInput, what)
	}
	return s, nil
}

func payJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// payLagNote warns on stderr when a read model has not caught up with the history, so a
// reader knows the figures may be behind (the projector runs in `serve` or `project`).
func payLagNote(ctx context.Context, cmd *cobra.Command, d *deps, names ...string) {
	st, err := projector.StatusOf(ctx, d.db, d.store, names)
	if err != nil {
		return
	}
	for _, s := range st {
		if s.Lag > 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), "note: the %s read model is %d event(s) behind the history; are the projectors running (ledgerdesk serve, or ledgerdesk project)?\n", s.Name, s.Lag)
		}
	}
}

// payDay prints a time as its London date.
func payDay(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.In(ledger.London).Format("2006-01-02")
}

// payDoor is the application layer and the CLI's caller for it.
func payDoor(cmd *cobra.Command, d *deps) (*app.App, app.Call, error) {
	call, err := payCall(cmd)
	if err != nil {
		return nil, app.Call{}, err
	}
	a, err := d.application()
	return a, call, err
}
