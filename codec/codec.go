package codec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/google/uuid"

	"ledgerdesk/domain/decider"
)

// DataSubject is implemented by events that carry personal data: it names the person whose
// key encrypts it.
type DataSubject interface {
	DataSubject() string
}

// Codec encodes and decodes registered events. It is immutable after New and safe for
// concurrent use.
type Codec struct {
	keys  KeyStore
	types map[string]*registration
}

type registration struct {
	name   string
	goType reflect.Type
	pii    *piiNode
}

var (
	// ErrUnknownType is matched by every *UnknownTypeError.
	ErrUnknownType = errors.New("unknown event type")
	// ErrRegistration says an event type cannot be registered as given.
	ErrRegistration = errors.New("event type cannot be registered")
	// ErrMalformed says stored data does not decode into its event type.
	ErrMalformed = errors.New("event data does not match its type")
	// ErrNoDataSubject says an event carries personal data but names nobody it belongs to,
	// so there is no key to encrypt it with.
	ErrNoDataSubject = errors.New("event has personal data but no data subject")
)

// UnknownTypeError names an event type the codec was not given.
type UnknownTypeError struct {
	Type string
}

func (e *UnknownTypeError) Error() string {
	return fmt.Sprintf("%v %q: no aggregate registered it with the codec", ErrUnknownType, e.Type)
}

// Is makes errors.Is(err, ErrUnknownType) match.
func (e *UnknownTypeError) Is(target error) bool { return target == ErrUnknownType }

// New registers events (pass every aggregate's EventTypes()). Each must be a struct value,
// not a pointer, since deciders switch on value types; names must be unique; an event with
// a pii-tagged field must implement DataSubject. keys may be nil only if no registered
// event carries personal data.
func New(keys KeyStore, events ...decider.Event) (*Codec, error) {
	c := &Codec{keys: keys, types: make(map[string]*registration, len(events))}
	for _, e := range events {
		if e == nil {
			return nil, fmt.Errorf("%w: a nil event", ErrRegistration)
		}
		t := reflect.TypeOf(e)
		name := e.EventType()
		if t.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%w: %s (%q): register the struct value, not %s", ErrRegistration, t, name, t.Kind())
		}
		if name == "" {
			return nil, fmt.Errorf("%w: %s has an empty EventType()", ErrRegistration, t)
		}
		if prev, ok := c.types[name]; ok {
			if prev.goType == t {
				return nil, fmt.Errorf("%w: %s is registered twice", ErrRegistration, t)
			}
			return nil, fmt.Errorf("%w: %s and %s both call themselves %q", ErrRegistration, prev.goType, t, name)
		}
		plan, err := planPII(t, false, map[reflect.Type]bool{})
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrRegistration, t, err)
		}
		if plan != nil {
			if _, ok := e.(DataSubject); !ok {
				return nil, fmt.Errorf("%w: %s has pii fields but no DataSubject() method to say whose they are", ErrRegistration, t)
			}
			if keys == nil {
				return nil, fmt.Errorf("%w: %s has pii fields but the codec has no key store", ErrRegistration, t)
			}
		}
		c.types[name] = &registration{name: name, goType: t, pii: plan}
	}
	return c, nil
}

// Types lists the registered event type names, sorted.
func (c *Codec) Types() []string {
	names := make([]string, 0, len(c.types))
	for n := range c.types {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Keys is the key store personal data is encrypted with.
func (c *Codec) Keys() KeyStore { return c.keys }

// Erase destroys the subject's key: from now on their personal fields decode as Erased.
func (c *Codec) Erase(ctx context.Context, subject string) error {
	if c.keys == nil {
		return fmt.Errorf("erasing %q: the codec has no key store", subject)
	}
	return c.keys.Erase(ctx, subject)
}

// Encode is EncodeWithID for an event with no id of its own yet.
func (c *Codec) Encode(ctx context.Context, e decider.Event) (string, json.RawMessage, error) {
	return c.EncodeWithID(ctx, uuid.Nil, e)
}

// EncodeWithID returns the event's type name and JSON, its personal fields encrypted. The
// event id goes into the derivation of each field's nonce, so the same personal value in
// two different events does not encrypt to the same text. Only registered types are
// encoded: writing an event nothing can read back is refused here.
func (c *Codec) EncodeWithID(ctx context.Context, id uuid.UUID, e decider.Event) (string, json.RawMessage, error) {
	if e == nil {
		return "", nil, fmt.Errorf("%w: a nil event", ErrRegistration)
	}
	name := e.EventType()
	reg, ok := c.types[name]
	if !ok {
		return "", nil, &UnknownTypeError{Type: name}
	}
	v := reflect.ValueOf(e)
	if v.Type() != reg.goType {
		return "", nil, fmt.Errorf("%w: %q is registered as %s, not %s", ErrRegistration, name, reg.goType, v.Type())
	}
	if reg.pii != nil {
		sealed, err := c.seal(ctx, id, reg, v, e.(DataSubject).DataSubject())
		if err != nil {
			return "", nil, fmt.Errorf("encoding %s: %w", name, err)
		}
		v = sealed
	}
	data, err := json.Marshal(v.Interface())
	if err != nil {
		return "", nil, fmt.Errorf("encoding %s: %w", name, err)
	}
	return name, data, nil
}

func (c *Codec) seal(ctx context.Context, id uuid.UUID, reg *registration, v reflect.Value, subject string) (reflect.Value, error) {
	var sc *subjectCipher
	ordinal := 0
	return rewrite(v, reg.pii, "", func(path, s string) (string, error) {
		ordinal++
		if s == "" {
			return s, nil
		}
		if sc == nil {
			if subject == "" {
				return "", fmt.Errorf("%w: field %s is personal data, but DataSubject() is empty", ErrNoDataSubject, path)
			}
			k, err := c.keys.KeyFor(ctx, subject)
			if err != nil {
				return "", fmt.Errorf("key for data subject %s: %w", subject, err)
			}
			if sc, err = newSubjectCipher(k); err != nil {
				return "", err
			}
		}
		return sc.seal(id, reg.name, path, ordinal, s), nil
	})
}

// Decode reads stored data back into the registered Go type, as a value. Personal fields
// are decrypted, or read as Erased if their subject was erased.
func (c *Codec) Decode(ctx context.Context, eventType string, data json.RawMessage) (decider.Event, error) {
	reg, ok := c.types[eventType]
	if !ok {
		return nil, &UnknownTypeError{Type: eventType}
	}
	ptr := reflect.New(reg.goType)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, eventType, err)
	}
	v := ptr.Elem()
	if reg.pii != nil {
		opened, err := c.open(ctx, reg, v)
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", eventType, err)
		}
		v = opened
	}
	return v.Interface().(decider.Event), nil
}

func (c *Codec) open(ctx context.Context, reg *registration, v reflect.Value) (reflect.Value, error) {
	subject := v.Interface().(DataSubject).DataSubject()
	var sc *subjectCipher
	looked, erased := false, false
	return rewrite(v, reg.pii, "", func(path, s string) (string, error) {
		if !isSealed(s) {
			return s, nil
		}
		if !looked {
			looked = true
			if subject == "" {
				return "", fmt.Errorf("%w: field %s is encrypted, but DataSubject() is empty", ErrNoDataSubject, path)
			}
			k, isErased, err := c.keys.Lookup(ctx, subject)
			if err != nil {
				return "", fmt.Errorf("key for data subject %s: %w", subject, err)
			}
			if erased = isErased; !erased {
				if sc, err = newSubjectCipher(k); err != nil {
					return "", err
				}
			}
		}
		if erased {
			return Erased, nil
		}
		return sc.open(reg.name, path, s)
	})
}
