package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
)

// maxBody bounds a request body; a 5,000-item catalog is well under 1 MB.
const maxBody = 16 << 20

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	svc := s.svc
	mux.HandleFunc("GET /v1/orders", s.answer(s.listOrders))
	mux.HandleFunc("GET /v1/orders/{id}", s.answer(func(r *http.Request) (any, error) { return svc.order(r.PathValue("id")) }))
	mux.HandleFunc("POST /v1/orders/{id}/{action}", s.answer(s.actOnOrder))
	mux.HandleFunc("GET /v1/orders/{id}/{action}/preview", s.answer(func(r *http.Request) (any, error) {
		return svc.preview(r.PathValue("id"), Action(r.PathValue("action")), r.URL.Query().Get("reason"))
	}))
	mux.HandleFunc("GET /v1/watch", s.answer(s.watch))
	mux.HandleFunc("PUT /v1/shop/paused", setter(s, "paused", "true or false", func(q PauseRequest) *bool { return q.Paused },
		func(_ *http.Request, paused bool) (any, error) { return svc.setPaused(paused) }))
	mux.HandleFunc("GET /v1/shoppers/{number}/messages", s.answer(func(r *http.Request) (any, error) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		return svc.conversation(r.PathValue("number"), limit)
	}))
	mux.HandleFunc("GET /v1/messages/failed", s.answer(func(*http.Request) (any, error) { return svc.failed() }))
	mux.HandleFunc("POST /v1/messages/{id}/retry", s.answer(func(r *http.Request) (any, error) { return svc.resend(r.PathValue("id")) }))
	mux.HandleFunc("GET /v1/messages/undecodable", s.answer(func(*http.Request) (any, error) { return svc.unreadable() }))
	mux.HandleFunc("DELETE /v1/messages/undecodable/{id}", s.answer(func(r *http.Request) (any, error) { return svc.dismissUnreadable(r.PathValue("id")) }))
	mux.HandleFunc("GET /v1/today", s.answer(func(*http.Request) (any, error) { return svc.today() }))
	mux.HandleFunc("POST /v1/catalog/import", s.importCatalog)
	mux.HandleFunc("GET /v1/catalog/import", s.answer(func(*http.Request) (any, error) { return svc.imports.get(), nil }))
	mux.HandleFunc("GET /v1/catalog/export", s.exportCatalog)
	mux.HandleFunc("GET /v1/catalog/items", s.answer(s.listItems))
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/stock", setter(s, "stock", "units on hand", func(q StockRequest) *int { return q.Stock },
		func(r *http.Request, n int) (any, error) { return svc.setStock(r.PathValue("sku"), n) }))
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/price", setter(s, "price", "paise", func(q PriceRequest) *int64 { return q.Price },
		func(r *http.Request, paise int64) (any, error) { return svc.setPrice(r.PathValue("sku"), paise) }))
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/active", setter(s, "active", "true or false", func(q ActiveRequest) *bool { return q.Active },
		func(r *http.Request, active bool) (any, error) { return svc.setActive(r.PathValue("sku"), active) }))
	mux.HandleFunc("GET /v1/shoppers", s.answer(func(*http.Request) (any, error) { return svc.shoppers() }))
	mux.HandleFunc("POST /v1/shoppers/{number}/{choice}", s.answer(s.optOut))
	mux.HandleFunc("GET /v1/status", s.answer(func(*http.Request) (any, error) { return svc.status() }))
	// A round runs with the request's context, so an operator who gives
	// up stops the round too.
	mux.HandleFunc("POST /v1/sync", s.answer(func(r *http.Request) (any, error) { return svc.syncNow(r.Context()) }))
	mux.HandleFunc("GET /v1/backup", s.getBackup)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &Error{Code: CodeNotFound, Field: "path", Msg: fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path)})
	})
	return s.logged(mux)
}

// logged logs each request at debug by its route pattern, never its path,
// which may hold a phone number.
func (s *Server) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		start := time.Now()
		if r.URL.Path != "/v1/catalog/import" { // bounded in importCatalog
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		h.ServeHTTP(sw, r)
		s.log.Debug().Str("route", r.Pattern).Int("status", sw.code).Stringer("took", time.Since(start).Round(time.Millisecond)).Msg("admin request")
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) listOrders(r *http.Request) (any, error) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return s.svc.orders(f)
}

// parseFilter reads state (repeated or comma-separated), shopper, since
// (RFC 3339 or YYYY-MM-DD, UTC) and limit.
func parseFilter(q map[string][]string) (orders.Filter, error) {
	var f orders.Filter
	for _, v := range q["state"] {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				f.States = append(f.States, orders.State(st))
			}
		}
	}
	if v := first(q, "shopper"); v != "" {
		f.Shopper = v
	}
	if v := first(q, "since"); v != "" {
		t, err := parseSince(v)
		if err != nil {
			return f, invalid("since", fmt.Sprintf("%q is not an RFC 3339 time or a YYYY-MM-DD date", v))
		}
		f.Since = t
	}
	if v := first(q, "limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, invalid("limit", fmt.Sprintf("%q is not a whole number of orders", v))
		}
		f.Limit = n
	}
	return f, nil
}

func parseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, v)
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ActRequest is the body of POST /v1/orders/{id}/{action}; it may be empty.
type ActRequest struct {
	Reason string `json:"reason,omitempty"`
}

func (s *Server) actOnOrder(r *http.Request) (any, error) {
	var req ActRequest
	if err := decodeOptional(r, &req); err != nil {
		return nil, err
	}
	return s.svc.act(r.PathValue("id"), Action(r.PathValue("action")), req.Reason)
}

// importCatalog imports a CSV in batches; it ends when the client goes.
func (s *Server) importCatalog(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	res, err := s.svc.importCSV(r.Context(), r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = invalid("body", fmt.Sprintf("catalog csv is over %d bytes", maxImportBody))
	}
	s.reply(w, r, res, err)
}

func (s *Server) exportCatalog(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.svc.exportCSV(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Write(buf.Bytes())
}

func (s *Server) listItems(r *http.Request) (any, error) {
	q := r.URL.Query().Get("q")
	if q == "" {
		return s.svc.items()
	}
	return s.svc.find(s.cache, q)
}

// StockRequest is the body of PUT /v1/catalog/items/{sku}/stock.
type StockRequest struct {
	Stock *int `json:"stock"`
}

// PriceRequest is the body of PUT /v1/catalog/items/{sku}/price.
type PriceRequest struct {
	Price *int64 `json:"price"` // paise
}

func (s *Server) optOut(r *http.Request) (any, error) {
	var out bool
	switch c := r.PathValue("choice"); c {
	case "opt-out":
		out = true
	case "opt-in":
	default:
		return nil, invalid("choice", fmt.Sprintf("%q is neither opt-out nor opt-in", c))
	}
	return s.svc.setOptOut(r.PathValue("number"), out)
}

// decode reads a JSON body into v, naming the field a bad value is in.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return invalid(te.Field, fmt.Sprintf("want a %s, not a JSON %s", te.Type, te.Value))
		}
		if errors.Is(err, io.EOF) {
			return invalid("body", "a JSON object is required")
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return invalid(strings.Trim(f, `"`), "unknown field")
		}
		return invalid("body", "not JSON: "+err.Error())
	}
	return nil
}

// decodeOptional is decode for bodies that may be left out.
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	err := decode(r, v)
	var e *Error
	if errors.As(err, &e) && e.Field == "body" && strings.HasSuffix(e.Msg, "is required") {
		return nil
	}
	return err
}

// answer serves a request with what ask answers for it, or its error.
func (s *Server) answer(ask func(r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := ask(r)
		s.reply(w, r, v, err)
	}
}

// setter serves a request whose JSON body, Req, must hold the one value
// get reads from it (nil when left out), which is wanted as want says;
// set makes the change and answers.
func setter[Req, V any](s *Server, field, want string, get func(Req) *V, set func(r *http.Request, v V) (any, error)) http.HandlerFunc {
	return s.answer(func(r *http.Request) (any, error) {
		var req Req
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		v := get(req)
		if v == nil {
			return nil, invalid(field, "required ("+want+")")
		}
		return set(r, *v)
	})
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		s.log.Debug().Err(err).Str("route", r.Pattern).Msg("write answer")
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = internal("request", err)
	}
	if e.Code == CodeInternal {
		s.log.Error().Err(err).Str("route", r.Pattern).Msg("admin request failed")
		e = &Error{Code: CodeInternal, Msg: e.Msg}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.httpStatus())
	json.NewEncoder(w).Encode(e)
}

// watch answers when the store changed after since, or after wait
// (seconds, at most 30).
func (s *Server) watch(r *http.Request) (any, error) {
	q := r.URL.Query()
	since, err := strconv.Atoi(q.Get("since"))
	if err != nil && q.Get("since") != "" {
		return nil, invalid("since", fmt.Sprintf("%q is not a transaction number", q.Get("since")))
	}
	wait := 0
	if v := q.Get("wait"); v != "" {
		if wait, err = strconv.Atoi(v); err != nil || wait < 0 {
			return nil, invalid("wait", fmt.Sprintf("%q is not a whole number of seconds", v))
		}
	}
	return s.svc.watch(r.Context(), since, time.Duration(wait)*time.Second)
}

// ActiveRequest is the body of PUT /v1/catalog/items/{sku}/active.
type ActiveRequest struct {
	Active *bool `json:"active"`
}
