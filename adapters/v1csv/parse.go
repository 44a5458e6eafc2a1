package v1csv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"ledgerdesk/commands/v1import/v1rows"
	"ledgerdesk/domain/v1item"
)

// Limits on one file. A V1 export is tens of thousands of rows; these stop a wrong file
// (a database dump, a video) from exhausting memory before it is rejected.
const (
	MaxFileBytes = 256 << 20
	MaxRows      = 1_000_000
)

// Options adjust parsing. The zero value is valid. There is deliberately no go-live
// option: a row dated on or after go-live is still a row of V1's books, so it is imported
// and the import records that the work date puts it in V2 (see v1item).
type Options struct {
	// MaxBytes and MaxRows lower the file limits; zero means MaxFileBytes and MaxRows.
	MaxBytes int64
	MaxRows  int
}

func (o Options) limits() (maxBytes int64, maxRows int) {
	maxBytes, maxRows = MaxFileBytes, MaxRows
	if o.MaxBytes > 0 && o.MaxBytes < maxBytes {
		maxBytes = o.MaxBytes
	}
	if o.MaxRows > 0 && o.MaxRows < maxRows {
		maxRows = o.MaxRows
	}
	return maxBytes, maxRows
}

// Parse reads a whole export into memory. The error is for the file as a whole (no header,
// a missing column, an I/O failure); problems with single rows are in Result.Invalid.
func Parse(r io.Reader, opts Options) (v1rows.Result, error) { return opts.Parse(r) }

// Parse is Parse with these options: as a method value (v1csv.Options{}.Parse), the
// parser commands/v1import.Options takes.
func (o Options) Parse(r io.Reader) (v1rows.Result, error) {
	var res v1rows.Result
	invalid, err := o.Scan(r, func(row v1rows.Row) error {
		res.Rows = append(res.Rows, row)
		return nil
	})
	res.Invalid = invalid
	return res, err
}

// Scan reads an export with default options, calling fn with each valid row as it is read.
func Scan(r io.Reader, fn func(v1rows.Row) error) ([]v1rows.RowError, error) {
	return Options{}.Scan(r, fn)
}

// Scan reads an export row by row, so a caller can show progress (wrap r in a
// CountingReader) or stop early: an error from fn stops the scan and is returned as is.
func (o Options) Scan(r io.Reader, fn func(v1rows.Row) error) ([]v1rows.RowError, error) {
	maxBytes, maxRows := o.limits()
	limited := &limitReader{r: r, left: maxBytes}
	br := bufio.NewReader(limited)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a short row is reported, not fatal
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		return nil, headerError(err, limited, maxBytes)
	}
	line, _ := cr.FieldPos(0)
	cols, err := readHeader(header, line)
	if err != nil {
		return nil, err
	}
	width := len(header)

	var invalid []v1rows.RowError
	rows := 0
	for {
		record, err := cr.Read()
		if err == io.EOF {
			return invalid, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && !limited.exceeded {
			invalid = append(invalid, v1rows.RowError{Line: pe.StartLine, Reason: "the quotes in this row are not balanced (" + pe.Err.Error() + ")"})
			continue
		}
		if err != nil {
			if limited.exceeded {
				return invalid, tooLarge(maxBytes)
			}
			return invalid, fmt.Errorf("reading the file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blank(record) {
			continue
		}
		if rows++; rows > maxRows {
			return invalid, fmt.Errorf("%w: line %d is past the limit of %d rows; split the export", ErrTooManyRows, line, maxRows)
		}
		row, problems := o.row(record, cols, width, line)
		if len(problems) > 0 {
			invalid = append(invalid, problems...)
			continue
		}
		if err := fn(row); err != nil {
			return invalid, err
		}
	}
}

func headerError(err error, limited *limitReader, maxBytes int64) error {
	switch {
	case err == io.EOF:
		return fmt.Errorf("%w: expected a header row naming the columns %s", ErrEmptyFile, strings.Join(v1item.Fields(), ", "))
	case limited.exceeded:
		return tooLarge(maxBytes)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: line %d: %v", ErrBadHeader, pe.StartLine, pe.Err)
	}
	return fmt.Errorf("reading the file: %w", err)
}

func tooLarge(maxBytes int64) error {
	return fmt.Errorf("%w: it is bigger than the limit of %d bytes; split the export", ErrFileTooLarge, maxBytes)
}

// blank is a row with nothing in it: spreadsheets leave them at the end as ",,,,".
func blank(record []string) bool {
	for _, f := range record {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// row checks one record, reporting every problem in it rather than only the first.
func (o Options) row(record []string, cols columns, width, line int) (v1rows.Row, []v1rows.RowError) {
	if len(record) < width || !blank(record[width:]) {
		return v1rows.Row{}, []v1rows.RowError{{Line: line, Reason: fmt.Sprintf("has %d fields but the header row has %d; check for a missing or extra comma", len(record), width)}}
	}
	var errs []v1rows.RowError
	bad := map[string]bool{}
	fail := func(column, value, reason string) {
		errs = append(errs, v1rows.RowError{Line: line, Column: column, Value: value, Reason: reason})
		bad[column] = true
	}
	cell := func(column string) string {
		v := record[cols[column]]
		if !utf8.ValidString(v) {
			fail(column, strings.ToValidUTF8(v, "\uFFFD"), "contains characters that are not UTF-8 text; save the export as \"CSV UTF-8\"")
			return ""
		}
		return strings.TrimSpace(v)
	}
	f := v1item.Figures{
		Reference:        cell(v1item.FieldReference),
		ClinicianID:      cell(v1item.FieldClinicianID),
		ClinicianName:    cell(v1item.FieldClinicianName),
		PatientReference: cell(v1item.FieldPatientReference),
		Description:      cell(v1item.FieldDescription),
	}
	if v := cell(v1item.FieldWorkDate); !bad[v1item.FieldWorkDate] {
		var reason string
		if f.WorkDate, reason = parseDate(v); reason != "" {
			fail(v1item.FieldWorkDate, v, reason)
		}
	}
	if v := cell(v1item.FieldAmount); !bad[v1item.FieldAmount] {
		var reason string
		if f.Amount, reason = parseAmount(v); reason != "" {
			fail(v1item.FieldAmount, v, reason)
		}
	}
	if v := cell(v1item.FieldStatus); !bad[v1item.FieldStatus] {
		if s, err := v1item.ParseStatus(v); err != nil {
			fail(v1item.FieldStatus, v, "is neither \"pending\" nor \"paid\"")
		} else {
			f.Status = s
		}
	}
	for _, p := range f.Check() {
		if !bad[p.Field] {
			fail(p.Field, valueOf(f, p.Field), p.Reason)
		}
	}
	if len(errs) > 0 {
		sortByColumn(errs, cols)
		return v1rows.Row{}, errs
	}
	return v1rows.Row{Line: line, Figures: f}, nil
}

// valueOf is the cleaned value of a text field, to quote in a message.
func valueOf(f v1item.Figures, field string) string {
	switch field {
	case v1item.FieldReference:
		return f.Reference
	case v1item.FieldClinicianID:
		return f.ClinicianID
	case v1item.FieldClinicianName:
		return f.ClinicianName
	case v1item.FieldPatientReference:
		return f.PatientReference
	case v1item.FieldDescription:
		return f.Description
	}
	return ""
}

// sortByColumn puts a row's problems in the order the clerk reads the row.
func sortByColumn(errs []v1rows.RowError, cols columns) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && cols[errs[j].Column] < cols[errs[j-1].Column]; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// limitReader fails once more than left bytes have been read, remembering that it did.
type limitReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

var errTooLarge = errors.New("file size limit exceeded")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.exceeded {
		return 0, errTooLarge
	}
	if l.left <= 0 {
		// Only one more byte tells a file of exactly the limit from a larger one.
		var probe [1]byte
		n, err := io.ReadFull(l.r, probe[:])
		if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
			return 0, io.EOF
		}
		l.exceeded = true
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// CountingReader counts the bytes read through it, for a progress bar; BytesRead may be
// called from another goroutine.
type CountingReader struct {
	r io.Reader
	n atomic.Int64
}

// NewCountingReader wraps r.
func NewCountingReader(r io.Reader) *CountingReader { return &CountingReader{r: r} }

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// BytesRead is the number of bytes read so far.
func (c *CountingReader) BytesRead() int64 { return c.n.Load() }
