// Package codec turns domain events into the (type, JSON) pairs the event store holds and
// back, and keeps personal data in those events erasable.
//
// A Codec is a registry built from every aggregate's EventTypes(): the event's EventType()
// names it in the store and the registry maps the name back to the concrete Go type, so a
// decoded event is the same value type the deciders switch on. A name nobody registered is
// an *UnknownTypeError, never a silent skip: a reader that does not know an event must say
// so rather than fold a history with a hole in it.
//
// # Personal data (UK GDPR crypto-shredding)
//
// Exported string fields tagged `pii:"true"` (also inside nested structs, slices, arrays
// and pointers) are encrypted on the way in with the key of the event's data subject, the
// person its DataSubject() method names, and written as "enc:v1:<base64(nonce|ciphertext)>".
// The cipher is AES-256-GCM under a key derived (HKDF-SHA256) from the subject's 32-byte
// key; the additional data binds each ciphertext to its event type and field, so a value
// cannot be moved to another field or event type and still decrypt.
//
// The nonce is derived, not random: an HMAC (under a second key derived from the subject's
// key) of the event id, type, field, the field's ordinal and the plaintext. Encoding the
// same event twice therefore gives the same bytes, which is what lets the event store
// recognise a retried append by comparing data; and because the plaintext is an input to
// the nonce, one nonce never protects two different plaintexts (the synthetic-IV
// construction). What an observer learns is only that two ciphertexts in the same place of
// the same event id are equal, which they know anyway.
//
// Erasing a subject destroys their key (KeyStore.Erase). Their events stay in the store
// untouched, since history is append-only, but every personal field of them then decodes
// as Erased, while everything else (amounts, dates, ids) reads as before. Erasure is
// final: a KeyStore never hands out a new key for an erased subject, so an event with
// personal data for them cannot be encoded any more (ErrSubjectErased).
//
// Empty personal fields are left empty (there is nothing to protect), and a non-empty value
// without the "enc:v1:" prefix decodes as written: such a value was not written by a Codec.
package codec
