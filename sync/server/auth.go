package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// request is an authenticated request: the store it acts for and its body
// decoded.
type request struct {
	*http.Request
	store string
	body  []byte // after Content-Encoding
	start time.Time
	in    int // body bytes as received
}

type handler func(w *countingWriter, r *request) error

// authed wraps h with the checks of docs/sync.md in order: headers, store,
// signature, timestamp, nonce; then decodes the body.
func (s *Server) authed(h handler) http.Handler {
	return http.HandlerFunc(func(hw http.ResponseWriter, hr *http.Request) {
		w := &countingWriter{ResponseWriter: hw}
		req := &request{Request: hr, start: s.now()}
		err := s.authenticate(req)
		if err == nil {
			err = h(w, req)
		}
		if err != nil {
			s.writeError(w, hr, err)
		}
		ev := s.log.Debug()
		if w.status >= 500 {
			ev = s.log.Warn().AnErr("error", err)
		}
		ev.Str("method", hr.Method).Str("path", hr.URL.Path).Str("store", req.store).
			Int("status", w.status).Int("in", req.in).Int("out", w.n).
			Dur("took", time.Since(req.start)).Msg("request")
	})
}

func (s *Server) authenticate(r *request) error {
	raw, err := wire.ReadLimited(r.Body, wire.MaxBodyBytes)
	r.in = len(raw)
	if errors.Is(err, wire.ErrTooLarge) {
		return &wire.Error{Status: http.StatusRequestEntityTooLarge, Code: wire.CodeTooLarge, Message: "request body over 4 MiB"}
	}
	if err != nil {
		return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadRequest, Message: "could not read body"}
	}
	a, err := wire.ParseAuth(r.Header)
	if err != nil {
		return unauthorized(wire.CodeUnauthorized, err.Error())
	}
	secret, err := s.st.Secret(r.Context(), a.Store)
	if errors.Is(err, ErrUnknownStore) {
		return unauthorized(wire.CodeUnknownStore, "no store "+a.Store)
	}
	if err != nil {
		return err
	}
	now := s.now()
	switch err := a.Verify(secret, r.Method, r.URL.RequestURI(), raw, now); {
	case errors.Is(err, wire.ErrStale):
		return unauthorized(wire.CodeStaleTimestamp, err.Error()+"; correct the clock from the Date header")
	case err != nil:
		return unauthorized(wire.CodeBadSignature, "signature does not match")
	}
	switch fresh, err := s.useNonce(r.Context(), a.Store, a.Nonce, now); {
	case err != nil:
		return fmt.Errorf("record nonce: %w", err)
	case !fresh:
		return unauthorized(wire.CodeReplay, "nonce already used")
	}
	r.store = a.Store
	r.body, err = wire.Decode(strings.TrimSpace(r.Header.Get("Content-Encoding")), raw)
	if errors.Is(err, wire.ErrTooLarge) {
		return &wire.Error{Status: http.StatusRequestEntityTooLarge, Code: wire.CodeTooLarge, Message: "request body over 32 MiB after gunzip"}
	}
	if err != nil {
		return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadRequest, Message: err.Error()}
	}
	return nil
}

func unauthorized(code, msg string) *wire.Error {
	return &wire.Error{Status: http.StatusUnauthorized, Code: code, Message: msg}
}
