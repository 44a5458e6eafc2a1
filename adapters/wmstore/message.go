package wmstore

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ThreeDotsLabs/watermill/message"

	"ledgerdesk/eventstore"
)

// Metadata keys the subscriber sets on every message, beside the event's own metadata,
// unless SubscriberConfig.MetadataKeys limits them (handlers then read the event from the
// context with EventFromContext).
const (
	MetaStream   = "ledgerdesk_stream"
	MetaVersion  = "ledgerdesk_version"
	MetaType     = "ledgerdesk_type"
	MetaPosition = "ledgerdesk_position"
	// metaMessageUUID keeps a published message's own UUID: the event id is derived from
	// it and the topic, since Watermill lets one message be published to several topics.
	metaMessageUUID = "watermill_message_uuid"
)

// Event types the publisher writes for plain Watermill messages.
const (
	messageType       = "watermill.message.v1"
	binaryMessageType = "watermill.binary_message.v1"
)

type binaryPayload struct {
	Base64 string `json:"base64"`
}

func toMessage(e eventstore.RecordedEvent, keys []string) (*message.Message, error) {
	payload := []byte(e.Data)
	if e.Type == binaryMessageType {
		var b binaryPayload
		if err := json.Unmarshal(e.Data, &b); err != nil {
			return nil, fmt.Errorf("event %s: %w", e.ID, err)
		}
		raw, err := base64.StdEncoding.DecodeString(b.Base64)
		if err != nil {
			return nil, fmt.Errorf("event %s: %w", e.ID, err)
		}
		payload = raw
	}
	msg := message.NewMessage(e.ID.String(), payload)
	switch {
	case len(e.Metadata) <= 2: // "{}" carries nothing
	case keys == nil:
		copyMetadata(msg.Metadata, e.Metadata)
	default:
		for _, k := range keys {
			if v, ok := stringField(e.Metadata, k); ok {
				msg.Metadata[k] = v
			}
		}
	}
	if id, ok := msg.Metadata[metaMessageUUID]; ok {
		msg.UUID = id
		delete(msg.Metadata, metaMessageUUID)
	}
	if keys == nil {
		msg.Metadata[MetaStream] = e.StreamID
		msg.Metadata[MetaVersion] = strconv.FormatUint(e.Version, 10)
		msg.Metadata[MetaType] = e.Type
		msg.Metadata[MetaPosition] = e.Position.String()
	}
	return msg, nil
}

func fromMessage(topic string, msg *message.Message) (eventstore.EventData, error) {
	meta := map[string]string{metaMessageUUID: msg.UUID}
	for k, v := range msg.Metadata {
		meta[k] = v
	}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return eventstore.EventData{}, err
	}
	e := eventstore.EventData{ID: messageID(topic, msg.UUID), Type: messageType, Metadata: metaJSON, RecordedAt: time.Time{}}
	if json.Valid(msg.Payload) && len(msg.Payload) > 0 {
		e.Data = append(json.RawMessage{}, msg.Payload...)
	} else {
		e.Type = binaryMessageType
		e.Data, _ = json.Marshal(binaryPayload{Base64: base64.StdEncoding.EncodeToString(msg.Payload)})
	}
	return e, nil
}

// copyMetadata flattens an event's JSON metadata into Watermill's string map. Our own
// metadata is all strings, so the fast path decodes straight into strings; anything else
// keeps its JSON text.
func copyMetadata(into message.Metadata, raw json.RawMessage) {
	var flat map[string]string
	if json.Unmarshal(raw, &flat) == nil {
		for k, v := range flat {
			into[k] = v
		}
		return
	}
	var mixed map[string]json.RawMessage
	if json.Unmarshal(raw, &mixed) != nil {
		return
	}
	for k, v := range mixed {
		var s string
		if json.Unmarshal(v, &s) == nil {
			into[k] = s
		} else {
			into[k] = string(v)
		}
	}
}

// stringField finds a top-level string value in a JSON object without decoding the whole
// object: a cheap look-up of one key per event. It falls back to a full decode when the
// value holds escapes, so it is never wrong, only sometimes slower.
func stringField(raw json.RawMessage, key string) (string, bool) {
	needle := append(append([]byte{'"'}, key...), '"', ':')
	i := bytes.Index(raw, needle)
	if i < 0 {
		return "", false
	}
	rest := bytes.TrimLeft(raw[i+len(needle):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '"' {
		return "", false
	}
	end := bytes.IndexByte(rest[1:], '"')
	if end < 0 {
		return "", false
	}
	if v := rest[1 : 1+end]; plainJSONString(v) {
		return string(v), true
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(raw, &all) != nil {
		return "", false
	}
	var s string
	if json.Unmarshal(all[key], &s) != nil {
		return "", false
	}
	return s, true
}

// plainJSONString reports bytes that a JSON decoder would return unchanged: valid UTF-8
// with no escapes and no control characters.
func plainJSONString(v []byte) bool {
	for _, b := range v {
		if b == '\\' || b < 0x20 {
			return false
		}
	}
	return utf8.Valid(v)
}
