package codec_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"ledgerdesk/codec"
	"ledgerdesk/domain/account"
	"ledgerdesk/domain/appointment"
	"ledgerdesk/domain/cutover"
	"ledgerdesk/domain/decider"
	"ledgerdesk/domain/earnings"
	"ledgerdesk/domain/invoice"
	"ledgerdesk/domain/ledger"
	"ledgerdesk/domain/money"
	"ledgerdesk/domain/payout"
	"ledgerdesk/domain/ticket"
	"ledgerdesk/domain/v1item"
)

// aggregates is every aggregate's registry, by name.
func aggregates() map[string][]decider.Event {
	return map[string][]decider.Event{
		"account":     asEvents(account.EventTypes()),
		"appointment": asEvents(appointment.EventTypes()),
		"cutover":     asEvents(cutover.EventTypes()),
		"earnings":    asEvents(earnings.EventTypes()),
		"invoice":     asEvents(invoice.EventTypes()),
		"payout":      asEvents(payout.EventTypes()),
		"ticket":      asEvents(ticket.EventTypes()),
		"v1item":      asEvents(v1item.EventTypes()),
	}
}

func asEvents[E decider.Event](es []E) []decider.Event {
	out := make([]decider.Event, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func allEvents() []decider.Event {
	var all []decider.Event
	for _, es := range aggregates() {
		all = append(all, es...)
	}
	return all
}

func newCodec(t testing.TB, keys codec.KeyStore, events ...decider.Event) *codec.Codec {
	t.Helper()
	c, err := codec.New(keys, events...)
	if err != nil {
		t.Fatalf("codec.New: %v", err)
	}
	return c
}

var ctx = context.Background()

var at = time.Date(2025, 2, 5, 14, 30, 0, 0, time.UTC)

// filled returns a copy of the zero event e with every exported field set, strings to
// distinct recognisable text, so a round trip that lost or swapped a field shows.
func filled(e decider.Event) decider.Event {
	v := reflect.New(reflect.TypeOf(e)).Elem()
	fill(v, reflect.TypeOf(e).Name())
	return v.Interface().(decider.Event)
}

func fill(v reflect.Value, name string) {
	switch v.Interface().(type) {
	case time.Time:
		v.Set(reflect.ValueOf(at))
		return
	case money.Amount:
		v.Set(reflect.ValueOf(money.GBP("123.45")))
		return
	case ledger.Date:
		v.Set(reflect.ValueOf(ledger.Date{Year: 2025, Month: 2, Day: 3}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("value of " + name)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), name)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), name+"[0]")
		fill(s.Index(1), name+"[1]")
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), name+"."+v.Type().Field(i).Name)
			}
		}
	}
}

// plainJSON is the event as json.Marshal writes it, with no encryption: what a decoded
// event must equal.
func plainJSON(t testing.TB, e any) string {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("marshal %T: %v", e, err)
	}
	return string(b)
}
