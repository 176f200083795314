package uplink

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

const (
	testStore  = "kirana-7"
	testSecret = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7"
)

// fakeServer is a hand-written central server: it checks signatures,
// keeps records by key and serves a versioned catalog in pages.
type fakeServer struct {
	t   testing.TB
	now func() time.Time

	mu        sync.Mutex // guards following
	records   map[string]wire.Record
	order     []string // keys in arrival order
	items     map[string]wire.Item
	stamps    map[string]uint64
	version   uint64
	reject    map[string]bool // kinds refused as bad records
	failNext  int             // answer this many requests with 503
	badCursor bool            // refuse every cursor once
	mangle    func(*wire.PushResponse)
	noCatalog bool // answer pushes without the catalog versions
	calls     map[string]int
}

func newFake(t testing.TB, now func() time.Time) (*fakeServer, *httptest.Server) {
	f := &fakeServer{t: t, now: now, records: map[string]wire.Record{}, items: map[string]wire.Item{},
		stamps: map[string]uint64{}, reject: map[string]bool{}, calls: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// put changes items centrally, as one catalog write.
func (f *fakeServer) put(items ...wire.Item) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version++
	for _, it := range items {
		f.items[it.SKU] = it
		f.stamps[it.SKU] = f.version
	}
}

func (f *fakeServer) fail(n int) {
	f.mu.Lock()
	f.failNext = n
	f.mu.Unlock()
}

func (f *fakeServer) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.order...)
}

func (f *fakeServer) errorOut(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(wire.ErrorResponse{Error: wire.Error{Code: code, Message: code}})
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	wire.SetServerTime(w.Header(), now)
	f.calls[r.URL.Path]++
	if f.failNext > 0 {
		f.failNext--
		f.errorOut(w, 503, wire.CodeUnavailable)
		return
	}
	raw, err := wire.ReadLimited(r.Body, wire.MaxBodyBytes)
	if err != nil {
		f.errorOut(w, 400, wire.CodeBadRequest)
		return
	}
	a, err := wire.ParseAuth(r.Header)
	if err != nil || a.Store != testStore {
		f.errorOut(w, 401, wire.CodeUnauthorized)
		return
	}
	if err := a.Verify(testSecret, r.Method, r.URL.RequestURI(), raw, now); err != nil {
		code := wire.CodeBadSignature
		if err != wire.ErrBadSignature {
			code = wire.CodeStaleTimestamp
		}
		f.errorOut(w, 401, code)
		return
	}
	body, err := wire.Decode(r.Header.Get("Content-Encoding"), raw)
	if err != nil {
		f.errorOut(w, 400, wire.CodeBadRequest)
		return
	}
	var out any
	switch r.URL.Path {
	case wire.PathOutbox:
		var req wire.PushRequest
		if err := json.Unmarshal(body, &req); err != nil {
			f.errorOut(w, 400, wire.CodeBadRequest)
			return
		}
		resp := wire.PushResponse{Catalog: &wire.PushCatalog{From: f.version}}
		moves := map[string]int{}
		for _, rec := range req.Records {
			if f.reject[rec.Kind] {
				resp.Rejected = append(resp.Rejected, wire.Reject{Seq: rec.Seq, Key: rec.Key, Code: wire.CodeBadRecord, Message: "refused"})
				continue
			}
			_, dup := f.records[rec.Key]
			if !dup {
				f.records[rec.Key] = rec
				f.order = append(f.order, rec.Key)
				f.moves(rec, moves)
			}
			resp.Acked = append(resp.Acked, wire.Ack{Seq: rec.Seq, Key: rec.Key, Duplicate: dup})
		}
		bumped := false
		for sku, d := range moves {
			if it, ok := f.items[sku]; ok && d != 0 {
				if !bumped {
					f.version++
					bumped = true
				}
				it.Stock += d
				f.items[sku] = it
				f.stamps[sku] = f.version
			}
		}
		resp.Catalog.Version = f.version
		if f.noCatalog {
			resp.Catalog = nil
		}
		if f.mangle != nil {
			f.mangle(&resp)
		}
		out = resp
	case wire.PathCatalog:
		out, err = f.page(r)
		if err != nil {
			f.errorOut(w, 400, wire.CodeBadCursor)
			return
		}
	default:
		f.errorOut(w, 404, wire.CodeNotFound)
		return
	}
	js, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.Write(wire.Gzip(js))
}

// moves adds the stock a new record moves, as the real server does: a
// stock record its delta, an order its lines, its rejection or cancellation
// the lines back (of an order already held).
func (f *fakeServer) moves(rec wire.Record, into map[string]int) {
	switch rec.Kind {
	case wire.KindStock:
		var s wire.StockBody
		json.Unmarshal(rec.Body, &s)
		into[s.SKU] += s.Delta
	case wire.KindOrder:
		var o wire.OrderBody
		json.Unmarshal(rec.Body, &o)
		for _, l := range o.Lines {
			into[l.SKU] -= l.Qty
		}
	case wire.KindOrderState:
		var st wire.OrderStateBody
		json.Unmarshal(rec.Body, &st)
		if st.State != "rejected" && st.State != "cancelled" {
			return
		}
		placed, ok := f.records["order:"+st.ID+":placed"]
		if !ok {
			return
		}
		var o wire.OrderBody
		json.Unmarshal(placed.Body, &o)
		for _, l := range o.Lines {
			into[l.SKU] += l.Qty
		}
	}
}

func (f *fakeServer) page(r *http.Request) (wire.CatalogResponse, error) {
	q := r.URL.Query()
	since, _ := strconv.ParseUint(q.Get("since"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	var after wire.Cursor
	if c := q.Get("cursor"); c != "" {
		if f.badCursor {
			f.badCursor = false
			return wire.CatalogResponse{}, wire.ErrBadCursor
		}
		var err error
		if after, err = wire.ParseCursor(c); err != nil {
			return wire.CatalogResponse{}, err
		}
		since = after.Since
	} else {
		after = wire.Cursor{Since: since, Version: since}
	}
	var skus []string
	for sku, v := range f.stamps {
		if v > after.Version || (v == after.Version && v > since && sku > after.SKU) {
			skus = append(skus, sku)
		}
	}
	sort.Slice(skus, func(i, j int) bool {
		a, b := f.stamps[skus[i]], f.stamps[skus[j]]
		return a < b || (a == b && skus[i] < skus[j])
	})
	resp := wire.CatalogResponse{Version: f.version, Items: []wire.Item{}}
	if limit > 0 && len(skus) > limit {
		skus, resp.More = skus[:limit], true
	}
	for _, sku := range skus {
		resp.Items = append(resp.Items, f.items[sku])
	}
	if resp.More {
		last := skus[len(skus)-1]
		resp.Cursor = wire.Cursor{Since: since, Version: f.stamps[last], SKU: last}.String()
	}
	return resp, nil
}
