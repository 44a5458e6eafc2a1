package payments_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp/totp"

	"ledgerdesk/adapters/postgres/pgtest"
	"ledgerdesk/app"
	"ledgerdesk/app/authz"
	"ledgerdesk/cmd/ledgerdesk/internal/cli"
	"ledgerdesk/cmd/ledgerdesk/internal/clitest"
	"ledgerdesk/commands"
	"ledgerdesk/commands/support"
	"ledgerdesk/domain/account"
	psupport "ledgerdesk/projections/support"
)

func TestAClinicianSetsBankDetailsFromTheCLIAndAccountsListTheChange(t *testing.T) {
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	d := clitest.Open(t)
	svc, err := d.SupportService()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Two neighbouring 30-second steps must stay acceptable while the test runs.
	if into := time.Now().Unix() % 30; into > 20 {
		time.Sleep(time.Duration(31-into) * time.Second)
	}
	base := time.Now()
	id := uuid.NewString()
	const password = "correct horse battery staple"
	if _, err := svc.Register(ctx, support.Registration{AccountID: id, Realm: account.RealmPortal, Role: account.RoleClinician,
		Email: "dr.okafor@clinicians.example", Name: "Dr Aisha Okafor", Password: password}, commands.Metadata{CommandID: commands.NewCommandID()}); err != nil {
		t.Fatal(err)
	}
	enrol, err := svc.BeginTwoFactor(ctx, id, commands.Metadata{CommandID: commands.NewCommandID(), Actor: id})
	if err != nil {
		t.Fatal(err)
	}
	code := func(step int) string {
		c, err := totp.GenerateCode(enrol.Secret, base.Add(time.Duration(step)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := svc.ConfirmTwoFactor(ctx, id, enrol.SecretRef, code(-1), commands.Metadata{CommandID: commands.NewCommandID(), Actor: id}); err != nil {
		t.Fatal(err)
	}
	set := func(stdin string, extra ...string) (string, error) {
		args := append([]string{"bank-details", "set", "--as", id, "--account-name", "Dr Aisha Okafor", "--sort-code", "40-12-76", "--account-number", "12345678"}, extra...)
		out, _, err := clitest.Exec(t, stdin, args...)
		return out, err
	}
	before := clitest.Events(t, d)
	for name, c := range map[string]struct {
		stdin string
		extra []string
		want  error
	}{
		"wrong password":     {"guess\n" + code(0) + "\n", nil, support.ErrWrongPassword},
		"no code":            {password + "\n", nil, support.ErrTwoFactorRequired},
		"bad sort code":      {password + "\n" + code(0) + "\n", []string{"--sort-code", "40-12"}, account.ErrInvalidInput},
		"bad account number": {password + "\n" + code(0) + "\n", []string{"--account-number", "1234567x"}, account.ErrInvalidInput},
		"too long a line":    {strings.Repeat("x", 5000) + "\n", nil, cli.ErrBadInput},
	} {
		if _, err := set(c.stdin, c.extra...); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if _, _, err := clitest.Exec(t, password+"\n"+code(0)+"\n", "bank-details", "set", "--as", "someone-else", "--clinician", id,
		"--account-name", "X Y", "--sort-code", "40-12-76", "--account-number", "12345678"); err == nil {
		t.Error("someone else set the clinician's bank details")
	}
	// Staff cannot pass themselves off as the clinician re-authenticated.
	a, err := d.App()
	if err != nil {
		t.Fatal(err)
	}
	admin := app.Call{Actor: authz.Actor{Subject: "admin-1", Role: authz.Admin}, Door: app.CLI}
	for _, c := range []account.SetPayeeBankDetails{
		{AccountID: id, AccountName: "Eve", SortCode: "11-22-33", AccountNumber: "44556677", By: id, At: time.Now()},
		{AccountID: id, AccountName: "Eve", SortCode: "11-22-33", AccountNumber: "44556677", By: "admin-1", Reauthenticated: true, At: time.Now()},
	} {
		if _, err := a.Execute(ctx, admin, c); !errors.Is(err, account.ErrInvalidInput) {
			t.Errorf("staff claiming %q re-authenticated=%v: %v", c.By, c.Reauthenticated, err)
		}
	}
	if after := clitest.Events(t, d); after != before {
		t.Fatalf("refused commands appended %d events", after-before)
	}

	out, err := set(password + "\n" + code(0) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"saved", "40-12-76", "****5678", "could not be checked", "PAYOUTS HELD UNTIL"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = clitest.Run(t, "bank-details", "changes", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []psupport.PayeeChange
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].AccountID != id || list[0].By != id || !list[0].Reauthenticated {
		t.Fatalf("changes: %v\n%s", err, out)
	}
	if out, err = clitest.Run(t, "bank-details", "changes"); err != nil || !strings.Contains(out, "first set") || !strings.Contains(out, id) {
		t.Fatalf("changes table: %v\n%s", err, out)
	}
	if _, err := clitest.Run(t, "bank-details", "changes", "--role", "patient"); err == nil {
		t.Fatal("a patient listed bank details changes")
	}
}
