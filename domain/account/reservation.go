package account

import (
	"crypto/sha256"
	"encoding/hex"
)

// EmailReservationStream names the stream that claims an email within a realm. The
// decider cannot see other accounts, so uniqueness lives here: before appending Registered
// (or a ProfileUpdated that changes the email), the command layer appends a claim event
// to this stream with the expected version NoStream. A second registration of the same
// email in the same realm then fails with a version conflict, even from another process.
// The same email in the other realm is a different stream, hence a distinct account.
//
// The stream is named by a hash so the address itself is not in a stream name that
// outlives crypto-shredding; the hash is still pseudonymous personal data (an email can
// be guessed and hashed), so erasing a person must also delete their claim streams.
// Pass the email already normalised by contact.ParseEmail.
func EmailReservationStream(realm Realm, normalisedEmail string) string {
	sum := sha256.Sum256([]byte(string(realm) + ":" + normalisedEmail))
	return "emailclaim-" + hex.EncodeToString(sum[:])
}

// StreamID is the account's event stream.
func StreamID(accountID string) string { return "account-" + accountID }
