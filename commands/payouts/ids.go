package payouts

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"

	"ledgerdesk/commands"
)

var payoutNamespace = uuid.MustParse("0b7c4a0e-5d61-4d8e-b0a8-3f0c2b6e9d17")

// cause is the UUID every command of a run derives its id from: the payout id itself when
// it is a UUIDv7 (so the commands sort with the run), a name-based UUID otherwise.
func cause(payoutID string) uuid.UUID {
	if id, err := uuid.Parse(payoutID); err == nil && id.Version() == 7 {
		return id
	}
	return uuid.NewSHA1(payoutNamespace, []byte(payoutID))
}

// commandID is the id of the run's command for purpose (e.g. "include:<clinician>").
func commandID(payoutID, purpose string) uuid.UUID {
	return commands.DerivedCommandID(cause(payoutID), "payout run:"+purpose)
}

// NewPayoutID mints an id for a new run.
func NewPayoutID() string { return commands.NewCommandID().String() }

// fileKey is 32 hex digits that name a run's bank file: the payout id's own digits when it
// is a UUID (so a clerk can match the file to the run by eye), a hash otherwise. pain.001
// ids are at most 35 characters.
func fileKey(payoutID string) string {
	if id, err := uuid.Parse(payoutID); err == nil {
		return strings.ReplaceAll(id.String(), "-", "")
	}
	sum := sha256.Sum256([]byte(payoutID))
	return hex.EncodeToString(sum[:16])
}

// MessageID is the pain.001 message id of the run's bank file.
func MessageID(payoutID string) string { return "PO" + fileKey(payoutID) }
