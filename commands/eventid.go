package commands

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/google/uuid"
)

// EventID is the id of the index-th event a command appends to stream: UUIDv7-shaped, with
// the command id's timestamp (so ids still sort by when the command was issued) and the
// rest from SHA-256(command id, stream, index). The same command always yields the same
// ids, which is how the store recognises a repeated append. The stream is part of the
// hash because one command may write to two streams (an email claim and the account it
// registers) and event ids are unique across the whole store.
func EventID(commandID uuid.UUID, stream string, index int) uuid.UUID {
	h := sha256.New()
	h.Write(commandID[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(stream)))
	h.Write(n[:])
	h.Write([]byte(stream))
	binary.BigEndian.PutUint64(n[:], uint64(index))
	h.Write(n[:])
	return v7Shaped(commandID, h.Sum(nil))
}

// DerivedCommandID is the id of the command a policy issues in reaction to the event cause,
// for the purpose named (one policy may issue several commands for one event). A
// redelivered event thus yields the same command id and the command runs once.
func DerivedCommandID(cause uuid.UUID, purpose string) uuid.UUID {
	h := sha256.New()
	h.Write([]byte("ledgerdesk derived command\x00"))
	h.Write(cause[:])
	h.Write([]byte(purpose))
	return v7Shaped(cause, h.Sum(nil))
}

// v7Shaped keeps the 48-bit timestamp of ts and fills the rest from random, setting the
// version (7) and variant (RFC 4122) bits.
func v7Shaped(ts uuid.UUID, random []byte) uuid.UUID {
	var id uuid.UUID
	copy(id[:6], ts[:6])
	copy(id[6:], random[:10])
	id[6] = 0x70 | id[6]&0x0f
	id[8] = 0x80 | id[8]&0x3f
	return id
}
