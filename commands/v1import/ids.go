package v1import

import (
	"slices"

	"github.com/google/uuid"

	"ledgerdesk/commands"
	"ledgerdesk/domain/v1item"
)

// namespace is the cause every import command id is derived from. Its timestamp (January
// 2025, the cutover era) is what the derived ids and their events' ids sort by.
var namespace = uuid.MustParse("01948e2a-0000-7000-8000-000000000000")

// ImportCommandID is the id of the command importing these figures: the same row, from
// whichever file, is the same command.
func ImportCommandID(f v1item.Figures) uuid.UUID {
	return commands.DerivedCommandID(namespace, "v1item.import\x00"+f.Fingerprint())
}

// ConflictCommandID is the id of the command recording a disagreement between these
// variants, whatever lines they came from.
func ConflictCommandID(variants []v1item.Variant) uuid.UUID {
	prints := make([]string, 0, len(variants))
	seen := map[string]bool{}
	for _, v := range variants {
		p := v.Fingerprint()
		if !seen[p] {
			seen[p] = true
			prints = append(prints, p)
		}
	}
	slices.Sort(prints)
	purpose := "v1item.conflict"
	for _, p := range prints {
		purpose += "\x00" + p
	}
	return commands.DerivedCommandID(namespace, purpose)
}
