package server

import (
	"errors"
	"fmt"
	"io"
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
	// bodyRead is set once the body has been read (or reading it failed):
	// until then an answer closes the connection.
	bodyRead bool
	release  func() // gives back the large-body buffer, if one was taken
}

type handler func(w *countingWriter, r *request) error

// authed wraps h with the checks of docs/sync.md in order: headers, store,
// timestamp (all before a byte of body is read), then the body within its
// limits, signature, nonce; then decodes the body. A request refused
// before its body was read closes its connection, so the rest of the body
// is never read either.
func (s *Server) authed(h handler) http.Handler {
	return http.HandlerFunc(func(hw http.ResponseWriter, hr *http.Request) {
		w := &countingWriter{ResponseWriter: hw}
		req := &request{Request: hr, start: s.now()}
		defer func() {
			if req.release != nil {
				req.release()
			}
		}()
		err := s.authenticate(req)
		if err == nil {
			err = h(w, req)
		}
		if err != nil {
			if !req.bodyRead {
				w.Header().Set("Connection", "close")
			}
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
	if d := now.Sub(time.Unix(a.Timestamp, 0)); d > wire.MaxSkew || d < -wire.MaxSkew {
		return unauthorized(wire.CodeStaleTimestamp, fmt.Sprintf("timestamp off by %s; correct the clock from the Date header", d.Round(time.Second)))
	}
	if r.ContentLength > wire.MaxBodyBytes {
		return tooLarge()
	}
	raw, err := s.readBody(r)
	r.in = len(raw)
	if errors.Is(err, wire.ErrTooLarge) {
		return tooLarge()
	}
	if err != nil {
		return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadRequest, Message: "could not read body"}
	}
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

// readBody reads the body as sent: the first Limits.PreAuthBody bytes
// freely, the rest (up to wire.MaxBodyBytes) only into one of the
// Limits.LargeBodies buffers the server keeps, held until the request is
// answered. So requests not yet authenticated never hold more than those
// few large buffers, however many send large bodies, and no garbage of
// 4 MiB bodies piles up for the collector.
func (s *Server) readBody(r *request) ([]byte, error) {
	defer func() { r.bodyRead = true }()
	small := s.limits.PreAuthBody
	// One allocation of the announced size (or the small limit), not the
	// doubling of io.ReadAll.
	want := small + 1
	if r.ContentLength >= 0 && r.ContentLength < small {
		want = r.ContentLength + 1
	}
	raw, err := readUpTo(r.Body, make([]byte, 0, want))
	if err != nil || int64(len(raw)) <= small {
		return raw, err
	}
	var buf []byte
	select {
	case buf = <-s.large:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	if buf == nil {
		buf = make([]byte, 0, wire.MaxBodyBytes+1)
	}
	r.release = func() { s.large <- buf[:0] }
	buf, err = readUpTo(r.Body, append(buf[:0], raw...))
	if err != nil {
		return nil, err
	}
	if len(buf) == cap(buf) {
		return nil, wire.ErrTooLarge
	}
	return buf, nil
}

// readUpTo reads r into buf until EOF or until buf is full; it never
// grows buf, so the caller's capacity is the most it holds.
func readUpTo(r io.Reader, buf []byte) ([]byte, error) {
	for len(buf) < cap(buf) {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func tooLarge() *wire.Error {
	return &wire.Error{Status: http.StatusRequestEntityTooLarge, Code: wire.CodeTooLarge, Message: "request body over 4 MiB"}
}

func unauthorized(code, msg string) *wire.Error {
	return &wire.Error{Status: http.StatusUnauthorized, Code: code, Message: msg}
}
