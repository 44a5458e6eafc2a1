package postgres

import (
	"crypto/sha256"
	"encoding/binary"

	"ledgerdesk/eventstore"
)

// chainDomain separates these hashes from any other use of sha256 over similar bytes, and
// names the layout, so a future layout can be told apart.
const chainDomain = "ledgerdesk-chain-v1"

// HashSize is the length of a chain hash (sha256).
const HashSize = sha256.Size

// ChainHash is one link's hash.
type ChainHash [HashSize]byte

// chainHash is the link for e after prev. Every stored column of the event goes in, each
// length-prefixed so no two different events serialise to the same bytes: the id, the
// stream and version, the type, data and metadata exactly as Postgres prints the stored
// jsonb (its text form is canonical: key order and spacing are fixed), the recorded time to
// the microsecond Postgres keeps, and the global position (transaction id and sequence), so
// moving an event in the order breaks the chain as surely as editing it.
func chainHash(prev ChainHash, e eventstore.RecordedEvent) ChainHash {
	h := sha256.New()
	var n [8]byte
	str := func(s []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write(s)
	}
	num := func(v uint64) {
		binary.BigEndian.PutUint64(n[:], v)
		h.Write(n[:])
	}
	str([]byte(chainDomain))
	h.Write(prev[:])
	str(e.ID[:])
	str([]byte(e.StreamID))
	num(e.Version)
	str([]byte(e.Type))
	str(e.Data)
	str(e.Metadata)
	num(uint64(e.RecordedAt.UnixMicro()))
	num(e.Position.Commit)
	num(e.Position.Prepare)
	var out ChainHash
	h.Sum(out[:0])
	return out
}
