package esdb

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	esdbc "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

func TestKurrentDBURLsAreRewrittenForTheClient(t *testing.T) {
	cases := []struct{ in, want string }{
		{"esdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"},
		{"esdb+discover://cluster.local:2113", "esdb+discover://cluster.local:2113"},
		{"kurrentdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"},
		{"KurrentDB://admin:changeit@localhost:2113", "esdb://admin:changeit@localhost:2113"},
		{"kurrentdb+discover://cluster.local:2113?tls=true", "esdb+discover://cluster.local:2113?tls=true"},
		{"kurrentdb://node1:2111,node2:2112,node3:2113?tls=false", "esdb://node1:2111,node2:2112,node3:2113?tls=false"},
		{"kdb://localhost:2113", "esdb://localhost:2113"},
		{"kdb+discover://localhost:2113", "esdb+discover://localhost:2113"},
		{"kurrent://localhost:2113", "esdb://localhost:2113"},
		{"  kurrentdb://localhost:2113  ", "esdb://localhost:2113"},
	}
	for _, c := range cases {
		got, err := normalizeURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("normalizeURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
			continue
		}
		if _, err := esdbc.ParseConnectionString(got); err != nil {
			t.Errorf("the client does not accept %q (from %q): %v", got, c.in, err)
		}
	}
}

func TestRewrittenURLKeepsItsSettings(t *testing.T) {
	url, err := normalizeURL("kurrentdb://admin:changeit@localhost:2113?tls=false")
	if err != nil {
		t.Fatal(err)
	}
	conf, err := esdbc.ParseConnectionString(url)
	if err != nil {
		t.Fatal(err)
	}
	if !conf.DisableTLS || conf.Username != "admin" || conf.Password != "changeit" || conf.Address != "localhost:2113" {
		t.Errorf("configuration = %+v", conf)
	}
}

func TestConnectionStringsThatCannotWork(t *testing.T) {
	for _, in := range []string{"", "localhost:2113", "postgres://localhost/ledgerdesk", "://x", "kurrentdb://", "http://localhost:2113"} {
		if _, err := normalizeURL(in); !errors.Is(err, ErrConnectionString) {
			t.Errorf("normalizeURL(%q) error = %v, want ErrConnectionString", in, err)
		}
	}
}

func TestOpenRefusesABadURLWithoutDialling(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://admin:secret@localhost/ledgerdesk")
	if !errors.Is(err, ErrConnectionString) {
		t.Fatalf("Open = %v, want ErrConnectionString", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
}

func TestPasswordsAreRedacted(t *testing.T) {
	cases := []struct{ in, want string }{
		{"esdb://admin:changeit@localhost:2113?tls=false", "esdb://admin:***@localhost:2113?tls=false"},
		{"esdb://localhost:2113?tls=false", "esdb://localhost:2113?tls=false"},
		{"esdb://localhost:2113?x=a@b", "esdb://localhost:2113?x=a@b"},
		{"no scheme", "no scheme"},
	}
	for _, c := range cases {
		if got := redact(c.in); got != c.want {
			t.Errorf("redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.SubscribeBatchSize != DefaultSubscribeBatchSize || c.ReconnectMin != DefaultReconnectMin ||
		c.ReconnectMax != DefaultReconnectMax || c.Logger == nil {
		t.Errorf("defaults = %+v", c)
	}
	c = Config{ReconnectMin: time.Minute}.withDefaults()
	if c.ReconnectMax < c.ReconnectMin {
		t.Errorf("ReconnectMax %s below ReconnectMin %s", c.ReconnectMax, c.ReconnectMin)
	}
}

// FuzzNormalizeURL: any string is either refused or turned into an esdb:// or
// esdb+discover:// URL with the same text after the scheme.
func FuzzNormalizeURL(f *testing.F) {
	f.Add("kurrentdb://localhost:2113?tls=false")
	f.Add("esdb+discover://a,b,c")
	f.Add("KDB://")
	f.Add("://")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := normalizeURL(in)
		if err != nil {
			if !errors.Is(err, ErrConnectionString) {
				t.Fatalf("error %v does not wrap ErrConnectionString", err)
			}
			return
		}
		_, rest, _ := strings.Cut(strings.TrimSpace(in), "://")
		if got != "esdb://"+rest && got != "esdb+discover://"+rest {
			t.Fatalf("normalizeURL(%q) = %q", in, got)
		}
	})
}

func TestOpenFailsFastWhenNoServerAnswers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	_, err := OpenConfig(ctx, Config{URL: "kurrentdb://admin:secret@127.0.0.1:1?tls=false", Logger: quietLogger()})
	if err == nil {
		t.Fatal("Open succeeded with no server")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Errorf("Open took %s to give up", elapsed)
	}
}
