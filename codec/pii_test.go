package codec_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/money"
)

type person struct {
	Name  string   `json:"name" pii:"true"`
	Role  string   `json:"role"`
	Notes []string `json:"notes" pii:"true"`
}

// withNested has personal data at every depth the codec supports.
type withNested struct {
	SubjectID string       `json:"subject_id"`
	Lead      person       `json:"lead"`
	People    []person     `json:"people"`
	Deputy    *person      `json:"deputy,omitempty"`
	Alias     *string      `json:"alias,omitempty" pii:"true"`
	Pair      [2]person    `json:"pair"`
	Amount    money.Amount `json:"amount"`
}

func (withNested) EventType() string     { return "test.with_nested.v1" }
func (e withNested) DataSubject() string { return e.SubjectID }

func nested() withNested {
	alias := "Jo"
	return withNested{
		SubjectID: "patient-1",
		Lead:      person{Name: "Joanna Plaintext", Role: "patient", Notes: []string{"note one", "note two"}},
		People:    []person{{Name: "Carer Plaintext", Role: "carer"}, {Name: "Sibling Plaintext", Role: "sibling"}},
		Deputy:    &person{Name: "Deputy Plaintext", Role: "deputy"},
		Alias:     &alias,
		Pair:      [2]person{{Name: "Pair One Plaintext"}, {Name: "Pair Two Plaintext"}},
		Amount:    money.GBP("42.50"),
	}
}

var nestedPlaintexts = []string{"Joanna Plaintext", "note one", "note two", "Carer Plaintext", "Sibling Plaintext", "Deputy Plaintext", `"Jo"`, "Pair One Plaintext", "Pair Two Plaintext"}

func TestPersonalDataIsNeverWrittenInTheClear(t *testing.T) {
	c := newCodec(t, codec.NewMemoryKeyStore(), withNested{})
	e := nested()
	_, data, err := c.Encode(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range nestedPlaintexts {
		if strings.Contains(string(data), p) {
			t.Errorf("stored JSON contains %q in the clear:\n%s", p, data)
		}
	}
	for _, clear := range []string{`"subject_id":"patient-1"`, `"role":"carer"`, `"amount":"42.50"`} {
		if !strings.Contains(string(data), clear) {
			t.Errorf("stored JSON lacks non-personal %s:\n%s", clear, data)
		}
	}
	if n := strings.Count(string(data), codec.SealedPrefix); n != len(nestedPlaintexts) {
		t.Errorf("%d fields encrypted, want %d:\n%s", n, len(nestedPlaintexts), data)
	}
	if !reflect.DeepEqual(e, nested()) {
		t.Fatalf("encoding changed the caller's event: %+v", e)
	}

	back, err := c.Decode(ctx, e.EventType(), data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := plainJSON(t, back), plainJSON(t, e); got != want {
		t.Fatalf("decoded\n %s\nwant\n %s", got, want)
	}
}

func TestEncodingIsDeterministicPerEventID(t *testing.T) {
	c := newCodec(t, codec.NewMemoryKeyStore(), withNested{})
	id1, id2 := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	_, a, _ := c.EncodeWithID(ctx, id1, nested())
	_, b, _ := c.EncodeWithID(ctx, id1, nested())
	_, d, _ := c.EncodeWithID(ctx, id2, nested())
	if string(a) != string(b) {
		t.Fatalf("the same event encoded twice differs, so the store could not recognise a retried append:\n%s\n%s", a, b)
	}
	if string(a) == string(d) {
		t.Fatalf("two events with different ids encrypt identically: equal values would be linkable")
	}
	// The two notes of one event are different ciphertexts even if equal in plaintext.
	e := nested()
	e.Lead.Notes = []string{"same", "same"}
	_, x, _ := c.EncodeWithID(ctx, id1, e)
	var parsed withNested
	_ = json.Unmarshal(x, &parsed)
	if parsed.Lead.Notes[0] == parsed.Lead.Notes[1] {
		t.Fatalf("two equal values in one event encrypt to the same text")
	}
}

func TestErasedSubjectsPersonalDataReadsErasedAndTheRestIsIntact(t *testing.T) {
	keys := codec.NewMemoryKeyStore()
	c := newCodec(t, keys, allEvents()...)
	item := invoice.BillableItemAdded{
		InvoiceID: "inv-1", PatientID: "patient-7", ItemID: "item-1", ClinicianID: "clin-1",
		Description: "Letter to GP about sertraline dose", Amount: money.GBP("85.00"), AddedAt: at,
	}
	other := invoice.BillableItemAdded{
		InvoiceID: "inv-2", PatientID: "patient-8", ItemID: "item-2", ClinicianID: "clin-1",
		Description: "Report for employer", Amount: money.GBP("120.00"), AddedAt: at,
	}
	typ, data, err := c.Encode(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	_, otherData, _ := c.Encode(ctx, other)

	if err := c.Erase(ctx, "patient-7"); err != nil {
		t.Fatal(err)
	}
	back, err := c.Decode(ctx, typ, data)
	if err != nil {
		t.Fatal(err)
	}
	got := back.(invoice.BillableItemAdded)
	want := item
	want.Description = codec.Erased
	if plainJSON(t, got) != plainJSON(t, want) {
		t.Fatalf("after erasure got %+v, want %+v", got, want)
	}
	if !got.Amount.Equal(money.GBP("85.00")) {
		t.Fatalf("amount changed by erasure: %s", got.Amount)
	}
	// Someone else's data is untouched.
	o, err := c.Decode(ctx, typ, otherData)
	if err != nil || o.(invoice.BillableItemAdded).Description != "Report for employer" {
		t.Fatalf("another patient's data after an erasure: %+v, %v", o, err)
	}
}

func TestErasureIsFinal(t *testing.T) {
	keys := codec.NewMemoryKeyStore()
	c := newCodec(t, keys, allEvents()...)
	if err := c.Erase(ctx, "acc-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.KeyFor(ctx, "acc-1"); !errors.Is(err, codec.ErrSubjectErased) {
		t.Fatalf("KeyFor after erasure: got %v, want ErrSubjectErased", err)
	}
	_, _, err := c.Encode(ctx, account.IPBlocked{AccountID: "acc-1", IP: "203.0.113.9", By: "agent", At: at})
	if !errors.Is(err, codec.ErrSubjectErased) {
		t.Fatalf("encoding new personal data of an erased subject: got %v, want ErrSubjectErased", err)
	}
	// An event of theirs with no personal data in it still encodes.
	if _, _, err := c.Encode(ctx, account.ProfileUpdated{AccountID: "acc-1", At: at}); err != nil {
		t.Fatalf("encoding an event with empty personal fields: %v", err)
	}
	if err := c.Erase(ctx, "acc-1"); err != nil {
		t.Fatalf("erasing twice: %v", err)
	}
}

func TestPersonalDataWithoutASubjectIsRefused(t *testing.T) {
	c := newCodec(t, codec.NewMemoryKeyStore(), allEvents()...)
	_, _, err := c.Encode(ctx, account.IPBlocked{IP: "203.0.113.9", By: "agent", At: at})
	if !errors.Is(err, codec.ErrNoDataSubject) {
		t.Fatalf("got %v, want ErrNoDataSubject", err)
	}
}

func TestCiphertextIsBoundToItsFieldAndSubject(t *testing.T) {
	keys := codec.NewMemoryKeyStore()
	c := newCodec(t, keys, allEvents()...)
	typ, data, err := c.Encode(ctx, account.Registered{AccountID: "acc-1", Realm: "portal", Role: "patient", Email: "jane@example.org", Name: "Jane Doe", At: at})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	tamper := func(change func(map[string]any)) []byte {
		cp := map[string]any{}
		for k, v := range m {
			cp[k] = v
		}
		change(cp)
		b, _ := json.Marshal(cp)
		return b
	}
	if _, err := keys.KeyFor(ctx, "acc-2"); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"fields swapped":           tamper(func(m map[string]any) { m["email"], m["name"] = m["name"], m["email"] }),
		"moved to another subject": tamper(func(m map[string]any) { m["account_id"] = "acc-2" }),
		"a byte flipped": tamper(func(m map[string]any) {
			s := m["email"].(string)
			m["email"] = s[:len(s)-6] + "AAAA==" // still base64, not the same bytes
		}),
		"not base64": tamper(func(m map[string]any) { m["email"] = codec.SealedPrefix + "%%%" }),
		"too short":  tamper(func(m map[string]any) { m["email"] = codec.SealedPrefix + "AAAA" }),
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Decode(ctx, typ, d); !errors.Is(err, codec.ErrCiphertext) {
				t.Fatalf("got %v, want ErrCiphertext", err)
			}
		})
	}
	t.Run("subject with no key", func(t *testing.T) {
		d := tamper(func(m map[string]any) { m["account_id"] = "acc-never" })
		if _, err := c.Decode(ctx, typ, d); !errors.Is(err, codec.ErrNoKey) {
			t.Fatalf("got %v, want ErrNoKey", err)
		}
	})
}

func TestUnencryptedPersonalFieldsReadAsWritten(t *testing.T) {
	c := newCodec(t, codec.NewMemoryKeyStore(), allEvents()...)
	e, err := c.Decode(ctx, "account.ip_blocked.v1", []byte(`{"account_id":"acc-1","ip":"198.51.100.1","by":"agent"}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.(account.IPBlocked).IP != "198.51.100.1" {
		t.Fatalf("got %+v", e)
	}
}
