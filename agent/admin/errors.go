package admin

import (
	"errors"
	"net/http"

	"github.com/tokrihq/tokri/agent/catalog"
)

// Errors callers act on.
var (
	// ErrNoAgent means nothing listens on the socket: the socket file is
	// missing or the connection is refused. The CLI then opens the file.
	ErrNoAgent = errors.New("admin: the agent is not running")
	// ErrAgentRunning means another agent already answers on the socket,
	// so Serve refuses to take it over.
	ErrAgentRunning = errors.New("admin: another agent answers on the socket")
	// ErrNoAnswer means the bbolt file is locked (an agent holds it) but
	// nothing answers on its socket.
	ErrNoAnswer = errors.New("admin: the agent is running but its socket does not answer")
)

// Codes of Error, each with its HTTP status.
const (
	CodeInvalid     = "invalid"     // a bad argument; Field names it
	CodeNotFound    = "not_found"   // unknown order ID, SKU or shopper
	CodeConflict    = "conflict"    // a state change the order's state does not allow
	CodeBadCSV      = "bad_csv"     // a catalog import with bad lines; Problems lists them
	CodeUnavailable = "unavailable" // a part the agent runs without (sync not configured)
	CodeSyncFailed  = "sync_failed" // a sync round stopped early
	CodeInternal    = "internal"    // anything else; the detail is in the agent's log
)

// Error is what an operator sees when a request fails: a code, the field
// at fault if any, and a message safe to print. It travels as the JSON body
// of a 4xx or 5xx answer, so the CLI prints the same text whether it talked
// to the agent or opened the file itself.
type Error struct {
	Code     string            `json:"code"`
	Field    string            `json:"field,omitempty"`
	Msg      string            `json:"error"`
	Problems []catalog.Problem `json:"problems,omitempty"`

	err error // the cause, on the side that made the error
}

func (e *Error) Error() string { return e.Msg }

// ErrorCode is the error's code, for a caller that prints errors as JSON.
func (e *Error) ErrorCode() string { return e.Code }

// Unwrap returns the cause where it is known (not across the socket).
func (e *Error) Unwrap() error { return e.err }

// httpStatus maps a code to the status of the answer.
func (e *Error) httpStatus() int {
	switch e.Code {
	case CodeInvalid:
		return http.StatusBadRequest
	case CodeNotFound:
		return http.StatusNotFound
	case CodeConflict:
		return http.StatusConflict
	case CodeBadCSV:
		return http.StatusUnprocessableEntity
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	case CodeSyncFailed:
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

func invalid(field, msg string) *Error {
	return &Error{Code: CodeInvalid, Field: field, Msg: field + ": " + msg}
}

func notFound(field, msg string, cause error) *Error {
	return &Error{Code: CodeNotFound, Field: field, Msg: msg, err: cause}
}
