package devkey

import (
	"errors"
	"fmt"
)

// InsecureEnv is the variable that lets `serve` run without --demo and without
// LEDGERDESK_MASTER_KEY, on the development key file.
const InsecureEnv = "LEDGERDESK_INSECURE_DEV_KEYS"

// ErrNoMasterKey says `serve` was asked to run for real without a master key.
var ErrNoMasterKey = errors.New("LEDGERDESK_MASTER_KEY is not set")

// Decide is the key policy of `serve`: with a configured master key (masterKeySet) it is
// used, and never the development key; otherwise `serve --demo` (make run) uses the
// development key file, and so does `serve` with LEDGERDESK_INSECURE_DEV_KEYS=1; plain
// `serve` without a key refuses to start, rather than run a deployment whose data keys
// a copy of the database opens.
func Decide(masterKeySet, demo, insecureDevKeys bool) (useDevKey bool, err error) {
	switch {
	case masterKeySet:
		return false, nil
	case demo, insecureDevKeys:
		return true, nil
	}
	return false, fmt.Errorf("%w: the personal data keys would be wrapped by nothing a copy of the database lacks; "+
		"set it (base64 of 32 random bytes, e.g. `openssl rand -base64 32`, from the deployment's secret store), "+
		"run `serve --demo`, or set %s=1 for a development key kept in a file", ErrNoMasterKey, InsecureEnv)
}

// DecideTool is the key policy of every other command (the CLI tools: payments, support,
// audit, v1 import, keys, project, ...): with a configured master key it is used;
// without one, the development key file, since a tool reading or writing personal data
// must use the key the server used, and a server without a master key used that file.
//
// A tool cannot tell a development database from a production one by configuration, so
// the binary must also check that the key it picked opens the database's existing keys
// (postgres.VerifyMasterKey) before writing anything: a production database, whose keys
// are wrapped under the real master key, is then refused instead of gaining keys wrapped
// under a development key.
func DecideTool(masterKeySet bool) (useDevKey bool) { return !masterKeySet }

// InsecureDevKeys parses LEDGERDESK_INSECURE_DEV_KEYS: "1" or "true" sets it; "", "0"
// or "false" leaves it unset; anything else is an error, so a typo does not silently
// mean either.
func InsecureDevKeys(v string) (bool, error) {
	switch v {
	case "1", "true":
		return true, nil
	case "", "0", "false":
		return false, nil
	}
	return false, fmt.Errorf("%s=%q: want 1 or 0", InsecureEnv, v)
}

// Warning is what the binary logs when it uses the development key at path.
func Warning(path string, created bool) string {
	verb := "using"
	if created {
		verb = "created"
	}
	return fmt.Sprintf("LEDGERDESK_MASTER_KEY is not set: %s the development master key %s; "+
		"anyone who can read that file can read every person's data. Set LEDGERDESK_MASTER_KEY in production", verb, path)
}
