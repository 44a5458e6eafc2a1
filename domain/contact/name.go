package contact

import "unicode"

// MaxNameLength is the longest name, in characters, that fits every screen and the bank
// file's 140-character name field with room to spare.
const MaxNameLength = 100

// ParseName accepts a person's name as they write it (any script, apostrophes, hyphens),
// with runs of spaces collapsed to one and the ends trimmed. It refuses control and
// invisible formatting characters, and a name with no letter at all.
func ParseName(s string) (string, error) {
	const field = "name"
	out, err := cleanLine(ErrInvalidName, field, s, MaxNameLength, true)
	if err != nil {
		return "", err
	}
	for _, r := range out {
		if unicode.IsLetter(r) {
			return out, nil
		}
	}
	return "", fail(ErrInvalidName, field, "must contain at least one letter")
}
