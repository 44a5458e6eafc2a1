package app

import (
	"strings"
	"testing"
	"time"

	"ledgerdesk/app/authz"
	ppayouts "ledgerdesk/projections/payouts"
)

func TestAPayoutRunIsShownInItsTrueState(t *testing.T) {
	at := time.Date(2025, 3, 6, 9, 0, 0, 0, time.UTC)
	base := ppayouts.Run{PayoutID: "run1", StartedAt: at, FinalisedAt: &at, ExportedAt: &at, SubmittedAt: &at, SettledAt: &at, AbandonedAt: &at, Reason: "wrong cut-off"}
	for _, c := range []struct {
		status, line, want, wantStatus string
	}{
		{"drafting", "included", "being drawn up, not yet finalised", "drafting"},
		{"finalised", "included", "finalised on 2025-03-06; the bank file is not yet exported", "finalised"},
		{"exported", "included", "bank file exported on 2025-03-06; not yet submitted to the bank", "exported"},
		{"submitted", "included", "submitted to the bank on 2025-03-06; not yet settled", "submitted"},
		{"settled", "paid", "settled by the bank on 2025-03-06", "settled"},
		{"abandoned", "returned", "abandoned on 2025-03-06 (wrong cut-off)", "abandoned"},
		{"submitted", "failed", "the bank failed this payment (account closed)", "failed"},
	} {
		run := base
		run.Status = c.status
		run.Lines = []ppayouts.Line{{ClinicianID: "c1", Status: c.line, FailReason: "account closed"}, {ClinicianID: "c2", Status: "failed", FailReason: "other"}}
		st := PayoutStateOf("run1", &run, "c1")
		if st.Status != c.wantStatus || !strings.Contains(st.Words, c.want) || !strings.HasPrefix(st.Words, "payout run of 2025-03-06") ||
			strings.Contains(st.Words, "sent to the bank and not yet settled") {
			t.Errorf("run %s, line %s: %+v; want %s, %q", c.status, c.line, st, c.wantStatus, c.want)
		}
	}
	if st := PayoutStateOf("run9", nil, "c1"); st.Status != "unknown" || st.Words == "" {
		t.Errorf("a run the read model has not reached: %+v", st)
	}
}

func TestAClinicianReadsOnlyTheirOwnStatementAndStaffReadAnyones(t *testing.T) {
	for _, c := range []struct {
		actor authz.Actor
		res   authz.Resource
		ok    bool
	}{
		{authz.Actor{Subject: "c1", Role: authz.Clinician}, authz.Resource{ClinicianID: "c1"}, true},
		{authz.Actor{Subject: "c1", Role: authz.Clinician}, authz.Resource{ClinicianID: "c2"}, false},
		{authz.Actor{Subject: "a", Role: authz.Accounts}, authz.Resource{ClinicianID: "c2"}, true},
		{authz.Actor{Subject: "au", Role: authz.Auditor}, authz.Resource{ClinicianID: "c2"}, true},
		{authz.Actor{Subject: "ad", Role: authz.Admin}, authz.Resource{ClinicianID: "c2"}, true},
		{authz.Actor{Subject: "p1", Role: authz.Patient}, authz.Resource{ClinicianID: "c2"}, false},
	} {
		s, ok := Lookup("earnings.statement")
		if !ok || s.Kind != Query {
			t.Fatalf("earnings.statement = %+v, %v; want a declared query", s, ok)
		}
		if err := s.Rule.Check(c.actor, s.Action, c.res); (err == nil) != c.ok {
			t.Errorf("%+v reading the statement of %s: %v, want allowed=%v", c.actor, c.res.ClinicianID, err, c.ok)
		}
	}
}
