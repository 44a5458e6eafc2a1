package codec

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
)

// MetadataSchema is the version of the metadata layout written by the command layer.
const MetadataSchema = 1

// EventMetadata is the metadata JSON on every event the command layer appends.
type EventMetadata struct {
	CommandID     uuid.UUID `json:"command_id"`
	CorrelationID uuid.UUID `json:"correlation_id"`
	CausationID   uuid.UUID `json:"causation_id"`
	Actor         string    `json:"actor"`
	// Command is the Go type of the command that produced the event, for auditors.
	Command string `json:"command,omitempty"`
	Schema  int    `json:"schema"`
}

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
