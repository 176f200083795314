package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// NewRequest builds a signed request to base+uri (uri with any query). A
// non-nil body is sent as gzipped JSON; the response is asked for gzipped.
// It returns the request and the number of body bytes it will send.
func NewRequest(ctx context.Context, method, base, uri string, body any, store, secret string, now time.Time) (*http.Request, int, error) {
	var wireBody []byte
	if body != nil {
		js, err := json.Marshal(body)
		if err != nil {
			return nil, 0, fmt.Errorf("encode %s body: %w", uri, err)
		}
		wireBody = Gzip(js)
	}
	r, err := http.NewRequestWithContext(ctx, method, base+uri, bytes.NewReader(wireBody))
	if err != nil {
		return nil, 0, fmt.Errorf("new request %s: %w", uri, err)
	}
	// Only the headers the server needs: bodies are always JSON, so no
	// Content-Type, and an empty User-Agent keeps net/http from adding its
	// own (34 bytes a request on a metered link).
	if body != nil {
		r.Header.Set("Content-Encoding", "gzip")
	}
	r.Header.Set("User-Agent", "")
	// Set explicitly, so net/http leaves the body compressed and ReadResponse
	// can count the bytes that crossed the link.
	r.Header.Set("Accept-Encoding", "gzip")
	SignRequest(r, wireBody, store, secret, now)
	return r, len(wireBody), nil
}

// ReadResponse reads resp's body, decompresses it and decodes a 2xx answer
// into into; any other status comes back as *Error. It returns the number of
// body bytes received as sent (compressed) and closes the body.
func ReadResponse(resp *http.Response, into any) (int, error) {
	defer resp.Body.Close()
	raw, err := ReadLimited(resp.Body, MaxDecodedBytes)
	if err != nil {
		return len(raw), fmt.Errorf("read response: %w", err)
	}
	body, err := Decode(resp.Header.Get("Content-Encoding"), raw)
	if err != nil {
		return len(raw), fmt.Errorf("read response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return len(raw), ParseError(resp.StatusCode, resp.Header, body)
	}
	if into == nil {
		return len(raw), nil
	}
	if err := json.Unmarshal(body, into); err != nil {
		return len(raw), fmt.Errorf("decode response: %w", err)
	}
	return len(raw), nil
}

// ParseError turns a non-2xx answer into *Error, also when the body is not
// ours (a proxy's HTML page, say).
func ParseError(status int, h http.Header, body []byte) *Error {
	var er ErrorResponse
	if err := json.Unmarshal(body, &er); err != nil || er.Error.Code == "" {
		er.Error = Error{Code: codeForStatus(status), Message: http.StatusText(status)}
	}
	er.Error.Status = status
	if er.Error.ServerTime.IsZero() {
		if t, ok := ServerTime(h); ok {
			er.Error.ServerTime = t
		}
	}
	return &er.Error
}

// ServerTime reads the server's clock from an answer's Date header.
func ServerTime(h http.Header) (time.Time, bool) {
	t, err := http.ParseTime(h.Get(HeaderTime))
	return t.UTC(), err == nil
}

// SetServerTime writes the server's clock into an answer's Date header.
func SetServerTime(h http.Header, now time.Time) {
	h.Set(HeaderTime, now.UTC().Format(http.TimeFormat))
}

func codeForStatus(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return CodeUnauthorized
	case status == http.StatusNotFound:
		return CodeNotFound
	case status == http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case status == http.StatusServiceUnavailable:
		return CodeUnavailable
	case status >= 500:
		return CodeInternal
	default:
		return CodeBadRequest
	}
}
