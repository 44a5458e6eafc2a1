package devkey_test

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/cmd/ledgerdesk/internal/devkey"
)

func TestServeRefusesToStartWithoutAKeyUnlessDevelopment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                      string
		masterKey, demo, insecure bool
		wantDev, wantErr          bool
	}{
		{"a configured key is used", true, false, false, false, false},
		{"a configured key wins over --demo", true, true, false, false, false},
		{"a configured key wins over the insecure switch", true, false, true, false, false},
		{"a configured key wins over both", true, true, true, false, false},
		{"make run: serve --demo uses the key file", false, true, false, true, false},
		{"serve with the insecure switch uses the key file", false, false, true, true, false},
		{"--demo and the switch", false, true, true, true, false},
		{"plain serve without a key refuses", false, false, false, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dev, err := devkey.Decide(c.masterKey, c.demo, c.insecure)
			if dev != c.wantDev || (err != nil) != c.wantErr {
				t.Fatalf("Decide(key=%v, demo=%v, insecure=%v) = %v, %v; want dev key %v, error %v",
					c.masterKey, c.demo, c.insecure, dev, err, c.wantDev, c.wantErr)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, devkey.ErrNoMasterKey) {
				t.Fatalf("the refusal is not ErrNoMasterKey: %v", err)
			}
			for _, want := range []string{"LEDGERDESK_MASTER_KEY is not set", "LEDGERDESK_INSECURE_DEV_KEYS=1", "--demo"} {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("the refusal does not say %q: %v", want, err)
				}
			}
		})
	}
}

func TestToolsUseTheServersKey(t *testing.T) {
	t.Parallel()
	if devkey.DecideTool(true) {
		t.Fatal("a tool with a configured key used the development key")
	}
	if !devkey.DecideTool(false) {
		t.Fatal("a tool without a configured key did not use the development key, the one the server used")
	}
}

func TestInsecureDevKeysSwitch(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"1": true, "true": true, "": false, "0": false, "false": false} {
		if got, err := devkey.InsecureDevKeys(v); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", v, got, err, want)
		}
	}
	for _, v := range []string{"yes", "on", "2", " 1"} {
		if _, err := devkey.InsecureDevKeys(v); err == nil || !strings.Contains(err.Error(), devkey.InsecureEnv) {
			t.Errorf("%q: got %v, want an error naming the variable", v, err)
		}
	}
}
