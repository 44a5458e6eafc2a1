package support_test

import (
	"errors"
	"testing"
	"time"

	"ledgerdesk/domain/account"
	"ledgerdesk/projections/projectiontest"
	readmodel "ledgerdesk/projections/support"
)

func accountsSpec(t *testing.T) *projectiontest.Spec {
	return projectiontest.New(t, readmodel.NewAccounts)
}

func registered(id string, realm account.Realm, role account.Role, email string) account.Registered {
	return account.Registered{AccountID: id, Realm: realm, Role: role, Email: email, Name: "Jo Bloggs", At: opened}
}

func accountRow(t *testing.T, s *projectiontest.Spec, id string) readmodel.AccountRow {
	t.Helper()
	a, err := readmodel.AccountByID(s.Ctx, s.DB, id)
	s.Must(err)
	return a
}

func TestARegisteredAccountIsFoundByEmailInEitherRealm(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("sup1"), registered("sup1", account.RealmSupport, account.RoleRequester, "jo@example.co.uk"))
	s.Given(account.StreamID("por1"), registered("por1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"))
	s.Given(account.StreamID("eve"), registered("eve", account.RealmPortal, account.RolePatient, "eve@example.com"))
	rows, err := readmodel.AccountsByEmail(s.Ctx, s.DB, " JO@example.co.uk ")
	s.Must(err)
	if len(rows) != 2 || rows[0].AccountID != "por1" || rows[1].AccountID != "sup1" || rows[0].Name != "Jo Bloggs" ||
		rows[0].HasPassword || rows[0].TwoFactorEnabled || rows[0].Version != 1 {
		t.Fatalf("accounts = %+v", rows)
	}
	if _, err := readmodel.AccountsByEmail(s.Ctx, s.DB, "not an email"); !errors.Is(err, account.ErrInvalidInput) {
		t.Fatalf("malformed email: %v", err)
	}
}

func TestAnAccountTheReadModelHasNotSeenIsNotFound(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	if _, err := readmodel.AccountByID(s.Ctx, s.DB, "nobody"); !errors.Is(err, account.ErrAccountNotFound) || !errors.Is(err, readmodel.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestNamesAreReadByAccountIDAndUnknownIDsAreLeftOut(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("por1"), registered("por1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"))
	names, err := readmodel.Names(s.Ctx, s.DB, []string{"por1", "nobody"})
	s.Must(err)
	if len(names) != 1 || names["por1"] != "Jo Bloggs" {
		t.Fatalf("names = %v", names)
	}
	if none, err := readmodel.Names(s.Ctx, s.DB, nil); err != nil || len(none) != 0 {
		t.Fatalf("no ids: %v, %v", none, err)
	}
}

func TestPasswordsAreRecordedWithWhoChangedThem(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"), account.PasswordSet{AccountID: "a1", At: at(1)})
	if a := accountRow(t, s, "a1"); !a.HasPassword || a.PasswordChangedBy != "self" || !a.PasswordChangedAt.Equal(at(1)) {
		t.Fatalf("after setting = %+v", a)
	}
	s.Given(account.StreamID("a1"), account.PasswordChanged{AccountID: "a1", By: account.ChangedBySupport, GrantID: "g1", AgentID: "sam", At: at(2)})
	if a := accountRow(t, s, "a1"); a.PasswordChangedBy != "support" || !a.PasswordChangedAt.Equal(at(2)) || a.Version != 3 || !a.UpdatedAt.Equal(at(2)) {
		t.Fatalf("after a support change = %+v", a)
	}
}

func TestProfileAndAddressUpdatesReplaceThePreviousOnes(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"),
		account.ProfileUpdated{AccountID: "a1", Name: "Jo Smith", Email: "jo.smith@example.co.uk", Phone: "07700 900123", At: at(1)},
		account.PostalAddressSet{AccountID: "a1", Line1: "1 High Street", Town: "Leeds", Postcode: "LS1 4AP", At: at(2)})
	a := accountRow(t, s, "a1")
	if a.Name != "Jo Smith" || a.Email != "jo.smith@example.co.uk" || a.Phone != "07700 900123" || a.Address.Line1 != "1 High Street" ||
		a.Address.Town != "Leeds" || a.Address.Postcode != "LS1 4AP" {
		t.Fatalf("account = %+v", a)
	}
	if rows, _ := readmodel.AccountsByEmail(s.Ctx, s.DB, "jo@example.co.uk"); len(rows) != 0 {
		t.Fatalf("found by the old email: %+v", rows)
	}
}

func TestTwoFactorIsEnabledByEnrolmentAndDisabledByAResetForATicket(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"),
		account.TwoFactorEnrolled{AccountID: "a1", SecretRef: "ref", At: at(1)})
	if a := accountRow(t, s, "a1"); !a.TwoFactorEnabled || !a.TwoFactorEnrolledAt.Equal(at(1)) {
		t.Fatalf("enrolled = %+v", a)
	}
	s.Given(account.StreamID("a1"), account.TwoFactorReset{AccountID: "a1", TicketID: "t1", AgentID: "sam", At: at(2)})
	if a := accountRow(t, s, "a1"); a.TwoFactorEnabled || a.TwoFactorResetTicket != "t1" || a.TwoFactorResetBy != "sam" || !a.TwoFactorResetAt.Equal(at(2)) {
		t.Fatalf("reset = %+v", a)
	}
}

func TestBlockedAddressesAreListedUntilUnblocked(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"),
		account.IPBlocked{AccountID: "a1", IP: "198.51.100.4", By: "sam", At: at(1)},
		account.IPBlocked{AccountID: "a1", IP: "198.51.100.5", By: "kim", At: at(2)},
		account.IPUnblocked{AccountID: "a1", IP: "198.51.100.4", By: "sam", TicketID: "t1", At: at(3)})
	ips, err := readmodel.BlockedIPs(s.Ctx, s.DB, "a1")
	s.Must(err)
	if len(ips) != 1 || ips[0].IP != "198.51.100.5" || ips[0].BlockedBy != "kim" {
		t.Fatalf("blocked = %+v", ips)
	}
	if a := accountRow(t, s, "a1"); a.Version != 4 || !a.UpdatedAt.Equal(at(3)) {
		t.Fatalf("account = %+v, want touched by each", a)
	}
}

func TestASupportGrantCountsItsActionsUntilRevoked(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"),
		account.SupportAccessGranted{AccountID: "a1", GrantID: "g1", TicketID: "t1", Scopes: []account.Scope{account.ScopeLogInAs}, At: at(1), ExpiresAt: at(3)},
		account.SupportActionRecorded{AccountID: "a1", GrantID: "g1", AgentID: "sam", Action: "log_in_as", At: at(1)},
		account.SupportActionRecorded{AccountID: "a1", GrantID: "g1", AgentID: "sam", Action: "cleared the cache", At: at(1)})
	gs, err := readmodel.Grants(s.Ctx, s.DB, "a1")
	s.Must(err)
	if len(gs) != 1 || gs[0].Actions != 2 || gs[0].TicketID != "t1" || len(gs[0].Scopes) != 1 || gs[0].Scopes[0] != "log_in_as" ||
		!gs[0].Active(at(2)) || gs[0].Active(at(3)) {
		t.Fatalf("grants = %+v", gs)
	}
	s.Given(account.StreamID("a1"), account.SupportAccessRevoked{AccountID: "a1", GrantID: "g1", By: "a1", At: at(2)},
		account.SupportAccessRevoked{AccountID: "a1", GrantID: "g1", By: "someone later", At: at(2).Add(time.Minute)})
	gs, err = readmodel.Grants(s.Ctx, s.DB, "a1")
	s.Must(err)
	if gs[0].RevokedBy != "a1" || !gs[0].RevokedAt.Equal(at(2)) || gs[0].Active(at(2)) {
		t.Fatalf("revoked grant = %+v, want the first revocation kept", gs[0])
	}
}

func TestEventsWithNothingToShowStillMoveTheAccountOn(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RoleClinician, "jo@example.co.uk"),
		account.PasswordResetRequested{AccountID: "a1", TokenHash: "h", At: at(1), ExpiresAt: at(2)},
		account.PasswordResetCompleted{AccountID: "a1", TokenHash: "h", At: at(2)},
		account.PayeeBankDetailsSet{AccountID: "a1", AccountName: "Dr Jo Bloggs", SortCode: "401276", AccountNumber: "12345678", At: at(3)})
	if a := accountRow(t, s, "a1"); a.Version != 4 || !a.UpdatedAt.Equal(at(3)) || a.HasPassword {
		t.Fatalf("account = %+v", a)
	}
}

func TestAnOlderAccountEventDeliveredAgainDoesNotUndoALaterOne(t *testing.T) {
	t.Parallel()
	s := accountsSpec(t)
	recs := s.Given(account.StreamID("a1"), registered("a1", account.RealmPortal, account.RolePatient, "jo@example.co.uk"),
		account.ProfileUpdated{AccountID: "a1", Name: "First", Email: "first@example.com", At: at(1)},
		account.ProfileUpdated{AccountID: "a1", Name: "Second", Email: "second@example.com", At: at(2)})
	s.Apply(recs[1])
	if a := accountRow(t, s, "a1"); a.Name != "Second" || a.Version != 3 {
		t.Fatalf("account = %+v", a)
	}
}
