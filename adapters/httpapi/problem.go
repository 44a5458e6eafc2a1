package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"ledgerdesk/app"
)

// ProblemBase prefixes every problem type; the types are stable: clients branch on them.
const ProblemBase = "https://ledgerdesk.dev/problems/"

// The kinds of problem.
const (
	TypeValidation     = ProblemBase + "validation"
	TypeRejected       = ProblemBase + "rejected"
	TypeNotFound       = ProblemBase + "not-found"
	TypeConflict       = ProblemBase + "conflict"
	TypeVersion        = ProblemBase + "version-mismatch"
	TypeForbidden      = ProblemBase + "forbidden"
	TypeUnauthorized   = ProblemBase + "unauthenticated"
	TypeRateLimited    = ProblemBase + "rate-limited"
	TypeIdempotencyKey = ProblemBase + "idempotency-key-reused"
	TypeInProgress     = ProblemBase + "in-progress"
	TypeInternal       = ProblemBase + "internal"
	TypeUnavailable    = ProblemBase + "unavailable"
)

// RetryAfterUnavailable is the Retry-After of a 503: about as long as PostgreSQL takes to
// restart.
const RetryAfterUnavailable = "5"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type     string `json:"type" doc:"Stable URI naming the kind of problem"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// CurrentVersion is the stream's version now, on a version mismatch.
	CurrentVersion *uint64             `json:"current_version,omitempty" doc:"On a version mismatch: the record's current version, to read again and retry with"`
	Errors         []*huma.ErrorDetail `json:"errors,omitempty"`
	headers        http.Header
}

func (p *Problem) Error() string  { return p.Detail }
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// GetHeaders lets a problem carry Retry-After.
func (p *Problem) GetHeaders() http.Header { return p.headers }

func newProblem(status int, typ, detail string) *Problem {
	return &Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: detail}
}

// typeForStatus is the type of a problem huma raises itself (request validation and the like).
func typeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return TypeValidation
	case http.StatusNotFound:
		return TypeNotFound
	case http.StatusConflict, http.StatusPreconditionFailed:
		return TypeConflict
	case http.StatusUnauthorized:
		return TypeUnauthorized
	case http.StatusForbidden:
		return TypeForbidden
	case http.StatusTooManyRequests:
		return TypeRateLimited
	}
	if status == http.StatusServiceUnavailable {
		return TypeUnavailable
	}
	if status >= 500 {
		return TypeInternal
	}
	return "about:blank"
}

var installErrors sync.Once

// useProblems makes huma's own errors (request validation, unknown routes) problems of
// our shape. huma exposes this only as a package variable, hence the Once.
func useProblems() {
	installErrors.Do(func() {
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			p := newProblem(status, typeForStatus(status), msg)
			for _, e := range errs {
				if e == nil {
					continue
				}
				if d, ok := e.(huma.ErrorDetailer); ok {
					p.Errors = append(p.Errors, d.ErrorDetail())
				} else {
					p.Errors = append(p.Errors, &huma.ErrorDetail{Message: e.Error()})
				}
			}
			return p
		}
	})
}

// statusOf is how each class of failure reads over HTTP.
var statusOf = map[app.Class]struct {
	status int
	typ    string
}{
	app.Invalid:         {http.StatusBadRequest, TypeValidation},
	app.Rejected:        {http.StatusUnprocessableEntity, TypeRejected},
	app.NotFound:        {http.StatusNotFound, TypeNotFound},
	app.Conflict:        {http.StatusConflict, TypeConflict},
	app.VersionMismatch: {http.StatusConflict, TypeVersion},
	app.Forbidden:       {http.StatusForbidden, TypeForbidden},
	app.Unauthenticated: {http.StatusUnauthorized, TypeUnauthorized},
	app.CommandIDReused: {http.StatusUnprocessableEntity, TypeIdempotencyKey},
	app.Unavailable:     {http.StatusServiceUnavailable, TypeUnavailable},
}

// problemFor turns an error from below into the problem the client sees. Unknown errors
// are 500s whose detail is withheld (it is logged instead: it may hold internals).
func problemFor(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var vm *app.VersionMismatchError
	if errors.As(err, &vm) {
		p := newProblem(http.StatusConflict, TypeVersion, err.Error())
		cur := vm.Current
		p.CurrentVersion = &cur
		p.headers = http.Header{"ETag": []string{etag(cur)}}
		return p
	}
	class := app.ClassOf(err)
	if class == app.Unavailable {
		// The error's text names hosts and databases: it is for the logs.
		p := newProblem(http.StatusServiceUnavailable, TypeUnavailable, "the service cannot reach its database just now; try again shortly")
		p.headers = http.Header{"Retry-After": []string{RetryAfterUnavailable}}
		return p
	}
	if k, ok := statusOf[class]; ok {
		return newProblem(k.status, k.typ, err.Error())
	}
	return newProblem(http.StatusInternalServerError, TypeInternal, "something went wrong on our side; quote the correlation id when you report it")
}

func rateLimited(retryAfter time.Duration, what string) *Problem {
	secs := int(retryAfter.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	p := newProblem(http.StatusTooManyRequests, TypeRateLimited, fmt.Sprintf("too many %s; try again in %d seconds", what, secs))
	p.headers = http.Header{"Retry-After": []string{strconv.Itoa(secs)}}
	return p
}

// writeProblem answers outside huma (middlewares) in the same shape.
func writeProblem(w http.ResponseWriter, p *Problem) {
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func etag(version uint64) string { return strconv.Quote(strconv.FormatUint(version, 10)) }
