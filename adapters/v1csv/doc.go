// Package v1csv reads the legacy back office's (V1) CSV export of pending payments into
// the import's rows (commands/v1import/v1rows): Options.Parse is the parser
// commands/v1import takes.
//
// Parsing is lenient where V1 and spreadsheets are inconsistent (column order and case, a
// byte-order mark, CRLF line ends, £ signs, thousands separators, DD/MM/YYYY dates) and
// strict where a wrong guess would move money (more than two decimal places, impossible
// dates, misplaced thousands separators, unknown statuses). Every problem is reported with
// the line, the column and the reason in words an accounts clerk understands, and a bad row
// never stops the rest of the file from being checked.
//
// v1rows.Plan then compares the parsed rows with what was already imported and classifies
// each: new, unchanged, repeated in the file, or in conflict.
package v1csv
