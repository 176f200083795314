package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tokrihq/tokri/sync/wire"
)

// countingWriter counts the body bytes written and keeps the status.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int
}

func (w *countingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

// writeJSON answers with v as JSON, gzipped when the client accepts it and
// gzip makes it smaller (a short push answer grows by gzip's 18 bytes of
// framing). Every body is JSON, so no Content-Type is sent (and none is
// sniffed); no Vary either, since every answer is to a request with an
// Authorization header, which shared caches never store.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"encode answer"}}`)
	}
	w.Header()["Content-Type"] = nil
	if acceptsGzip(r) {
		if gz := wire.Gzip(body); len(gz) < len(body) {
			w.Header().Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	// A length up front: net/http would otherwise send a body over 2 kB
	// chunked, which costs more and hides from the agent's byte count.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if name, _, _ := strings.Cut(strings.TrimSpace(part), ";"); name == "gzip" {
			return true
		}
	}
	return false
}

// writeError answers with err as an ErrorResponse; an error that is not a
// *wire.Error is internal and its detail stays in the log.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var we *wire.Error
	if !errors.As(err, &we) {
		we = &wire.Error{Status: http.StatusInternalServerError, Code: wire.CodeInternal, Message: "internal error; retry later"}
	}
	out := *we
	out.ServerTime = s.now().UTC()
	writeJSON(w, r, out.Status, wire.ErrorResponse{Error: out})
}
