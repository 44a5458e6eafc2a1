package payments

import (
	"errors"
	"strings"
	"testing"

	"ledgerdesk/cmd/ledgerdesk/internal/cli"
)

func FuzzReadSecrets(f *testing.F) {
	f.Add("correct horse\n123456\n")
	f.Add("pw\r\n 123456 \r\n")
	f.Add("")
	f.Add(strings.Repeat("x", maxSecretLine+1))
	f.Fuzz(func(t *testing.T, in string) {
		pw, code, err := readSecrets(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, cli.ErrBadInput) {
				t.Fatalf("error %v is not bad input", err)
			}
			return
		}
		if strings.ContainsAny(pw, "\n") || strings.ContainsAny(code, "\n") || len(pw) > maxSecretLine || len(code) > maxSecretLine {
			t.Fatalf("%q read as %q, %q", in, pw, code)
		}
		if !strings.HasPrefix(in, pw) {
			t.Fatalf("%q: the password %q is not its first line", in, pw)
		}
	})
}
