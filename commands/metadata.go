package commands

import (
	"encoding/json"
	"fmt"

	"ledgerdesk/codec"
	"ledgerdesk/domain/check"

	"github.com/google/uuid"
)

// Metadata is who asked for a command and why.
type Metadata struct {
	// CommandID identifies this command across retries: a UUIDv7 minted where the request
	// entered the system (NewCommandID), or derived from the event that caused it
	// (DerivedCommandID). Required.
	CommandID uuid.UUID
	// CorrelationID ties together everything one original request led to; it defaults to
	// CommandID.
	CorrelationID uuid.UUID
	// CausationID is the command or event that directly caused this one; it defaults to
	// CommandID.
	CausationID uuid.UUID
	// Actor is who is acting: an account id, or "policy:<name>" for the system. Required,
	// since every change must be attributable.
	Actor string
}

// NewCommandID mints a command id for a request entering the system.
func NewCommandID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

func (m Metadata) validate() (Metadata, error) {
	if m.CommandID == uuid.Nil {
		return m, fmt.Errorf("%w: command id: missing", ErrInvalidMetadata)
	}
	if m.CommandID.Version() != 7 || m.CommandID.Variant() != uuid.RFC4122 {
		return m, fmt.Errorf("%w: command id %s: want a UUIDv7 (NewCommandID or DerivedCommandID)", ErrInvalidMetadata, m.CommandID)
	}
	if m.Actor == "" {
		return m, fmt.Errorf("%w: actor: missing; every change must say who made it", ErrInvalidMetadata)
	}
	// The actor is an account id or a name like "policy:<name>": an id like any other.
	if err := check.ID(ErrInvalidMetadata, "actor", m.Actor, check.MaxIDLength); err != nil {
		return m, err
	}
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = m.CommandID
	}
	if m.CausationID == uuid.Nil {
		m.CausationID = m.CommandID
	}
	return m, nil
}

func (m Metadata) encode(command string) (json.RawMessage, error) {
	return json.Marshal(codec.EventMetadata{
		CommandID:     m.CommandID,
		CorrelationID: m.CorrelationID,
		CausationID:   m.CausationID,
		Actor:         m.Actor,
		Command:       command,
		Schema:        codec.MetadataSchema,
	})
}
