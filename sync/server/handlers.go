package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tokrihq/tokri/sync/wire"
)

func badRequest(format string, args ...any) *wire.Error {
	return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

func (s *Server) handleStatus(w *countingWriter, r *request) error {
	v, err := s.st.CatalogVersion(r.Context(), r.store)
	if err != nil {
		return fmt.Errorf("status %s: %w", r.store, err)
	}
	writeJSON(w, r.Request, http.StatusOK, wire.StatusResponse{Store: r.store, ServerTime: s.now().UTC(), CatalogVersion: v})
	return nil
}

func (s *Server) handlePush(w *countingWriter, r *request) error {
	var req wire.PushRequest
	if err := json.Unmarshal(r.body, &req); err != nil {
		return badRequest("push body: %v", err)
	}
	if len(req.Records) > wire.MaxPushRecords {
		return &wire.Error{Status: http.StatusRequestEntityTooLarge, Code: wire.CodeTooLarge,
			Message: fmt.Sprintf("%d records; at most %d per push", len(req.Records), wire.MaxPushRecords)}
	}
	var resp wire.PushResponse
	resp.Acked = []wire.Ack{}
	var good []Record
	seen := map[string]bool{}
	for _, rec := range req.Records {
		c, err := Check(rec)
		if err != nil {
			resp.Rejected = append(resp.Rejected, wire.Reject{Seq: rec.Seq, Key: rec.Key, Code: wire.CodeBadRecord, Message: err.Error()})
			continue
		}
		if seen[rec.Key] { // the same key twice in one batch: the first wins
			resp.Acked = append(resp.Acked, wire.Ack{Seq: rec.Seq, Key: rec.Key, Duplicate: true})
			continue
		}
		seen[rec.Key] = true
		good = append(good, c)
	}
	res, err := s.st.Push(r.Context(), r.store, good, s.now().UTC())
	if err != nil {
		return fmt.Errorf("push %d records for %s: %w", len(good), r.store, err)
	}
	for i, rec := range good {
		resp.Acked = append(resp.Acked, wire.Ack{Seq: rec.Seq, Key: rec.Key, Duplicate: res.Dup[i]})
	}
	resp.Catalog = &wire.PushCatalog{From: res.From, Version: res.Version}
	writeJSON(w, r.Request, http.StatusOK, resp)
	return nil
}

func (s *Server) handleCatalog(w *countingWriter, r *request) error {
	q := r.URL.Query()
	limit := wire.DefaultPageItems
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return badRequest("limit %q is not a positive number", v)
		}
		limit = min(n, wire.MaxPageItems)
	}
	var cur wire.Cursor
	if v := q.Get("cursor"); v != "" {
		c, err := wire.ParseCursor(v)
		if errors.Is(err, wire.ErrBadCursor) {
			return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadCursor, Message: "cursor not understood; restart the delta from your version"}
		}
		cur = c
	} else {
		since, err := strconv.ParseUint(q.Get("since"), 10, 64)
		if err != nil {
			return badRequest("since %q is not a version", q.Get("since"))
		}
		cur = wire.Cursor{Since: since, Version: since}
	}
	p, err := s.st.CatalogPage(r.Context(), r.store, cur, limit)
	if err != nil {
		return fmt.Errorf("catalog page for %s: %w", r.store, err)
	}
	if cur.Since > p.Version {
		return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeBadCursor,
			Message: fmt.Sprintf("version %d is ahead of the server's %d; start again from 0", cur.Since, p.Version)}
	}
	resp := wire.CatalogResponse{Version: p.Version, Items: p.Items, More: p.More}
	if resp.Items == nil {
		resp.Items = []wire.Item{}
	}
	if n := len(p.Items); n > 0 {
		resp.Cursor = wire.Cursor{Since: cur.Since, Version: p.Stamps[n-1], SKU: p.Items[n-1].SKU}.String()
	}
	if !p.More && p.CategoriesVersion > cur.Since {
		resp.Categories = p.Categories
	}
	writeJSON(w, r.Request, http.StatusOK, resp)
	return nil
}
