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
	mux.HandleFunc("GET /v1/orders", s.listOrders)
	mux.HandleFunc("GET /v1/orders/{id}", s.getOrder)
	mux.HandleFunc("POST /v1/orders/{id}/{action}", s.actOnOrder)
	mux.HandleFunc("GET /v1/orders/{id}/{action}/preview", s.previewAction)
	mux.HandleFunc("GET /v1/watch", s.watch)
	mux.HandleFunc("PUT /v1/shop/paused", s.setPaused)
	mux.HandleFunc("GET /v1/shoppers/{number}/messages", s.getConversation)
	mux.HandleFunc("GET /v1/messages/failed", s.listFailed)
	mux.HandleFunc("POST /v1/messages/{id}/retry", s.retryMessage)
	mux.HandleFunc("GET /v1/messages/undecodable", s.listUnreadable)
	mux.HandleFunc("DELETE /v1/messages/undecodable/{id}", s.dismissUnreadable)
	mux.HandleFunc("GET /v1/today", s.getToday)
	mux.HandleFunc("POST /v1/catalog/import", s.importCatalog)
	mux.HandleFunc("GET /v1/catalog/import", s.importProgress)
	mux.HandleFunc("GET /v1/catalog/export", s.exportCatalog)
	mux.HandleFunc("GET /v1/catalog/items", s.listItems)
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/stock", s.setStock)
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/price", s.setPrice)
	mux.HandleFunc("PUT /v1/catalog/items/{sku}/active", s.setActive)
	mux.HandleFunc("GET /v1/shoppers", s.listShoppers)
	mux.HandleFunc("POST /v1/shoppers/{number}/{choice}", s.optOut)
	mux.HandleFunc("GET /v1/status", s.getStatus)
	mux.HandleFunc("POST /v1/sync", s.syncNow)
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
		s.log.Debug().Str("route", r.Pattern).Int("status", sw.code).Dur("took", time.Since(start)).Msg("admin request")
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

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.svc.orders(f)
	s.reply(w, r, list, err)
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

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.order(r.PathValue("id"))
	s.reply(w, r, o, err)
}

// ActRequest is the body of POST /v1/orders/{id}/{action}; it may be empty.
type ActRequest struct {
	Reason string `json:"reason,omitempty"`
}

func (s *Server) actOnOrder(w http.ResponseWriter, r *http.Request) {
	var req ActRequest
	if err := decodeOptional(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.svc.act(r.PathValue("id"), Action(r.PathValue("action")), req.Reason)
	s.reply(w, r, o, err)
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

// importProgress says how far the running (or last) import got.
func (s *Server) importProgress(w http.ResponseWriter, r *http.Request) {
	s.reply(w, r, s.svc.imports.get(), nil)
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

func (s *Server) listItems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if q == "" {
		items, err := s.svc.items()
		s.reply(w, r, items, err)
		return
	}
	items, err := s.svc.find(s.cache, q)
	s.reply(w, r, items, err)
}

// StockRequest is the body of PUT /v1/catalog/items/{sku}/stock.
type StockRequest struct {
	Stock *int `json:"stock"`
}

// PriceRequest is the body of PUT /v1/catalog/items/{sku}/price.
type PriceRequest struct {
	Price *int64 `json:"price"` // paise
}

func (s *Server) setStock(w http.ResponseWriter, r *http.Request) {
	var req StockRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Stock == nil {
		s.fail(w, r, invalid("stock", "required (units on hand)"))
		return
	}
	it, err := s.svc.setStock(r.PathValue("sku"), *req.Stock)
	s.reply(w, r, it, err)
}

func (s *Server) setPrice(w http.ResponseWriter, r *http.Request) {
	var req PriceRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Price == nil {
		s.fail(w, r, invalid("price", "required (paise)"))
		return
	}
	it, err := s.svc.setPrice(r.PathValue("sku"), *req.Price)
	s.reply(w, r, it, err)
}

func (s *Server) listShoppers(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.shoppers()
	s.reply(w, r, list, err)
}

func (s *Server) optOut(w http.ResponseWriter, r *http.Request) {
	var out bool
	switch c := r.PathValue("choice"); c {
	case "opt-out":
		out = true
	case "opt-in":
	default:
		s.fail(w, r, invalid("choice", fmt.Sprintf("%q is neither opt-out nor opt-in", c)))
		return
	}
	p, err := s.svc.setOptOut(r.PathValue("number"), out)
	s.reply(w, r, p, err)
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.status()
	s.reply(w, r, st, err)
}

// syncNow runs one sync round with the request's context, so an operator
// who gives up stops the round too.
func (s *Server) syncNow(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.syncNow(r.Context())
	s.reply(w, r, res, err)
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

func (s *Server) previewAction(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.preview(r.PathValue("id"), Action(r.PathValue("action")), r.URL.Query().Get("reason"))
	s.reply(w, r, p, err)
}

// watch answers when the store changed after since, or after wait
// (seconds, at most 30).
func (s *Server) watch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	since, err := strconv.Atoi(q.Get("since"))
	if err != nil && q.Get("since") != "" {
		s.fail(w, r, invalid("since", fmt.Sprintf("%q is not a transaction number", q.Get("since"))))
		return
	}
	wait := 0
	if v := q.Get("wait"); v != "" {
		if wait, err = strconv.Atoi(v); err != nil || wait < 0 {
			s.fail(w, r, invalid("wait", fmt.Sprintf("%q is not a whole number of seconds", v)))
			return
		}
	}
	c, err := s.svc.watch(r.Context(), since, time.Duration(wait)*time.Second)
	s.reply(w, r, c, err)
}

func (s *Server) setPaused(w http.ResponseWriter, r *http.Request) {
	var req PauseRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Paused == nil {
		s.fail(w, r, invalid("paused", "required (true or false)"))
		return
	}
	st, err := s.svc.setPaused(*req.Paused)
	s.reply(w, r, st, err)
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	list, err := s.svc.conversation(r.PathValue("number"), limit)
	s.reply(w, r, list, err)
}

func (s *Server) listFailed(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.failed()
	s.reply(w, r, list, err)
}

func (s *Server) retryMessage(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.resend(r.PathValue("id"))
	s.reply(w, r, res, err)
}

func (s *Server) listUnreadable(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.unreadable()
	s.reply(w, r, list, err)
}

func (s *Server) dismissUnreadable(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.dismissUnreadable(r.PathValue("id"))
	s.reply(w, r, res, err)
}

func (s *Server) getToday(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.today()
	s.reply(w, r, t, err)
}

// ActiveRequest is the body of PUT /v1/catalog/items/{sku}/active.
type ActiveRequest struct {
	Active *bool `json:"active"`
}

func (s *Server) setActive(w http.ResponseWriter, r *http.Request) {
	var req ActiveRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Active == nil {
		s.fail(w, r, invalid("active", "required (true or false)"))
		return
	}
	it, err := s.svc.setActive(r.PathValue("sku"), *req.Active)
	s.reply(w, r, it, err)
}
