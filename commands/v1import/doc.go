// Package v1import is the accounts department's side of the V1 → V2 cutover: it imports
// the legacy back office's (V1) export of pending payments, ticks items off as they are
// settled, and keeps the go-live date in the history.
//
// An import reads the whole file first, with the Parser the caller gives (adapters/v1csv
// for V1's CSV export), and changes nothing unless every row is valid (or the caller asked
// to skip invalid rows). It then reads the items the file names, plans the import against
// them (v1rows.Plan), and decides every command in memory before appending any: a command
// the item would refuse stops the import before anything is written. Only then are the commands executed, concurrently, each on its own item's
// stream.
//
// Every command id is derived from what the command says (the reference and a digest of
// the figures), never from when or by whom it was sent. Importing the same rows again, or
// running an import again after it was interrupted half way, therefore sends the same
// commands, which the command layer recognises and does not apply twice.
package v1import
