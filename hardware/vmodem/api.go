package vmodem

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds control API request bodies.
const maxBody = 1 << 20

// Handler is the loopback HTTP JSON control API (docs/vmodem.md).
func (m *Modem) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/sms", m.postSMS)
	mux.HandleFunc("GET /v1/sent", m.getSent)
	mux.HandleFunc("DELETE /v1/sent", m.deleteSent)
	mux.HandleFunc("POST /v1/call", m.postCall)
	mux.HandleFunc("GET /v1/ussd", m.getUSSD)
	mux.HandleFunc("POST /v1/ussd", m.postUSSD)
	mux.HandleFunc("DELETE /v1/ussd", m.deleteUSSD)
	mux.HandleFunc("POST /v1/faults", m.postFaults)
	mux.HandleFunc("DELETE /v1/faults", m.deleteFaults)
	mux.HandleFunc("GET /v1/state", m.getState)
	mux.HandleFunc("POST /v1/reboot", m.postReboot)
	mux.HandleFunc("POST /v1/sim", m.postSIM)
	mux.HandleFunc("POST /v1/urc", m.postURC)
	return mux
}

// apiError is the JSON body of every failed call.
type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	switch {
	case errors.Is(err, ErrBadRequest):
		code = http.StatusBadRequest
	case errors.Is(err, ErrNotRunning):
		code = http.StatusServiceUnavailable
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, apiError{Error: err.Error()})
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode body: %v: %w", err, ErrBadRequest)
	}
	return nil
}

// call decodes the body into in, runs fn on the engine and answers with its result.
func call[In, Out any](m *Modem, w http.ResponseWriter, r *http.Request, fn func(*engine, In) (Out, error)) {
	var in In
	if r.ContentLength != 0 {
		if err := readJSON(w, r, &in); err != nil {
			writeErr(w, err)
			return
		}
	}
	var out Out
	var ferr error
	if err := m.do(r.Context(), func(e *engine) { out, ferr = fn(e, in) }); err != nil {
		writeErr(w, err)
		return
	}
	if ferr != nil {
		writeErr(w, ferr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type okBody struct {
	OK bool `json:"ok"`
}

var okResp = okBody{OK: true}

func (m *Modem) postSMS(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, s SMS) (Delivery, error) { return e.deliverSMS(s) })
}

func (m *Modem) postCall(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, c Call) (okBody, error) { return okResp, e.startCall(c) })
}

func (m *Modem) postFaults(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, f Faults) (Faults, error) {
		if err := e.applyFaults(f); err != nil {
			return Faults{}, err
		}
		return e.faults.active(e), nil
	})
}

func (m *Modem) deleteFaults(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, _ struct{}) (okBody, error) { e.clearFaults(); return okResp, nil })
}

func (m *Modem) getState(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, _ struct{}) (State, error) { return e.state(), nil })
}

func (m *Modem) postReboot(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, _ struct{}) (okBody, error) { e.reboot("control api"); return okResp, nil })
}

func (m *Modem) postSIM(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, s SIM) (okBody, error) { e.setSIM(s); return okResp, nil })
}

// URC is raw unsolicited lines to write now (POST /v1/urc).
type URC struct {
	Lines []string `json:"lines"`
}

func (m *Modem) postURC(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, u URC) (okBody, error) {
		if len(u.Lines) == 0 {
			return okResp, fmt.Errorf("no lines: %w", ErrBadRequest)
		}
		e.urc(u.Lines...)
		return okResp, nil
	})
}

func (m *Modem) getUSSD(w http.ResponseWriter, r *http.Request) {
	// Marshalled on the engine goroutine: the scripts may change right after.
	call(m, w, r, func(e *engine, _ struct{}) (json.RawMessage, error) { return json.Marshal(e.ussd.scripts) })
}

func (m *Modem) postUSSD(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, s USSD) (okBody, error) {
		if s.Code == "" {
			return okResp, fmt.Errorf("ussd script without code: %w", ErrBadRequest)
		}
		if err := s.validate(); err != nil {
			return okResp, err
		}
		e.ussd.scripts[s.Code] = &s
		return okResp, nil
	})
}

func (m *Modem) deleteUSSD(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, _ struct{}) (okBody, error) {
		e.ussd.scripts = defaultUSSD()
		e.ussd.session = nil
		return okResp, nil
	})
}

func (m *Modem) deleteSent(w http.ResponseWriter, r *http.Request) {
	call(m, w, r, func(e *engine, _ struct{}) (okBody, error) { e.sent.clear(); return okResp, nil })
}

// getSent answers the sent log after ?since=<seq>; with ?wait=<duration> it
// holds the request until at least ?min=<n> (default 1) entries are there.
func (m *Modem) getSent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, err1 := atoiDefault(q.Get("since"), 0)
	minN, err2 := atoiDefault(q.Get("min"), 1)
	var wait time.Duration
	var err3 error
	if s := q.Get("wait"); s != "" {
		wait, err3 = time.ParseDuration(s)
	}
	if err := errors.Join(err1, err2, err3); err != nil {
		writeErr(w, fmt.Errorf("query: %v: %w", err, ErrBadRequest))
		return
	}
	ctx := r.Context()
	var deadline <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		deadline = t.C
	}
	for {
		var out []Sent
		var changed chan struct{}
		if err := m.do(ctx, func(e *engine) { out, changed = e.sent.since(since), e.sent.changed }); err != nil {
			writeErr(w, err)
			return
		}
		if wait <= 0 || len(out) >= minN {
			writeJSON(w, http.StatusOK, out)
			return
		}
		select {
		case <-changed:
		case <-deadline:
			writeJSON(w, http.StatusOK, out)
			return
		case <-ctx.Done():
			writeErr(w, ctx.Err())
			return
		case <-m.stopped:
			writeErr(w, ErrNotRunning)
			return
		}
	}
}

func atoiDefault(s string, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}
