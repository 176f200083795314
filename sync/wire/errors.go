package wire

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error codes in an ErrorResponse. The HTTP status alone says whether to
// retry (see Retryable); the code says why.
const (
	CodeBadRequest     = "bad_request"     // 400: malformed body, query or headers
	CodeBadCursor      = "bad_cursor"      // 400: cursor not made by this server; restart the delta
	CodeBadRecord      = "bad_record"      // per record in PushResponse.Rejected
	CodeUnauthorized   = "unauthorized"    // 401: signature headers missing or malformed
	CodeUnknownStore   = "unknown_store"   // 401: no such store
	CodeBadSignature   = "bad_signature"   // 401: signature does not match (wrong secret, tampered request)
	CodeStaleTimestamp = "stale_timestamp" // 401: timestamp beyond MaxSkew; fix the clock from the Date header
	CodeReplay         = "replayed_nonce"  // 401: nonce already seen within the window
	CodeNotFound       = "not_found"       // 404
	CodeMethod         = "method_not_allowed"
	CodeTooLarge       = "too_large"   // 413
	CodeInternal       = "internal"    // 500: retry later
	CodeUnavailable    = "unavailable" // 503: retry later
)

// Sentinel errors of the package.
var (
	// ErrBadCursor is returned by ParseCursor for a cursor it did not make.
	ErrBadCursor = errors.New("bad catalog cursor")
	// ErrBadSignature means the HMAC did not match.
	ErrBadSignature = errors.New("bad signature")
	// ErrStale means the timestamp is beyond MaxSkew.
	ErrStale = errors.New("stale timestamp")
	// ErrMissingAuth means a signature header is missing or malformed.
	ErrMissingAuth = errors.New("missing or malformed signature headers")
	// ErrPinMismatch means the server's certificate is not the pinned one.
	ErrPinMismatch = errors.New("server certificate does not match pin")
	// ErrTooLarge means a body is beyond MaxBodyBytes or MaxDecodedBytes.
	ErrTooLarge = errors.New("body too large")
)

// ErrorResponse is the JSON body of every non-2xx answer.
type ErrorResponse struct {
	Error Error `json:"error"`
}

// Error is a protocol error: a stable code, a message safe to show and log,
// the HTTP status it came with and the server's clock.
type Error struct {
	Status     int       `json:"-"`
	Code       string    `json:"code"`
	Message    string    `json:"message"`
	ServerTime time.Time `json:"serverTime,omitzero"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("sync server: %s (%d %s)", e.Message, e.Status, e.Code)
}

// Retryable says whether the same request (re-signed, with a new nonce) may
// succeed later: 5xx, 429 and a stale timestamp (after the clock is fixed)
// are; other 4xx are not.
func (e *Error) Retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Code == CodeStaleTimestamp
}
