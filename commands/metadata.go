package commands

import (
	"encoding/json"
	"fmt"

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

// MetadataSchema is the version of the metadata layout written by this package.
const MetadataSchema = 1

// EventMetadata is the metadata JSON on every event this package appends.
type EventMetadata struct {
	CommandID     uuid.UUID `json:"command_id"`
	CorrelationID uuid.UUID `json:"correlation_id"`
	CausationID   uuid.UUID `json:"causation_id"`
	Actor         string    `json:"actor"`
	// Command is the Go type of the command that produced the event, for auditors.
	Command string `json:"command,omitempty"`
	Schema  int    `json:"schema"`
}

// NewCommandID mints a command id for a request entering the system.
func NewCommandID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// ParseMetadata reads an event's metadata. Metadata written by something else (no command
// id) reads as the zero EventMetadata, not as an error: only a malformed document is one.
func ParseMetadata(raw json.RawMessage) (EventMetadata, error) {
	var m EventMetadata
	if len(raw) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return EventMetadata{}, fmt.Errorf("event metadata: %w", err)
	}
	return m, nil
}

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
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = m.CommandID
	}
	if m.CausationID == uuid.Nil {
		m.CausationID = m.CommandID
	}
	return m, nil
}

func (m Metadata) encode(command string) (json.RawMessage, error) {
	return json.Marshal(EventMetadata{
		CommandID:     m.CommandID,
		CorrelationID: m.CorrelationID,
		CausationID:   m.CausationID,
		Actor:         m.Actor,
		Command:       command,
		Schema:        MetadataSchema,
	})
}
