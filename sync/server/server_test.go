package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/storetest"
	"github.com/tokrihq/tokri/sync/wire"
)

var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

type env struct {
	t     *testing.T
	st    server.Storage
	srv   *httptest.Server
	clock atomic.Int64 // unix seconds
	secs  map[string]string
}

func newEnv(t *testing.T, stores ...string) *env {
	st := openStore(t)
	e := &env{t: t, st: st, secs: map[string]string{}}
	e.clock.Store(t0.Unix())
	for _, s := range stores {
		sec, _ := wire.GenerateSecret()
		if err := st.AddStore(context.Background(), s, sec, t0); err != nil {
			t.Fatal(err)
		}
		e.secs[s] = sec
	}
	srv := server.New(server.Options{Storage: st, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.DebugLevel), Now: e.now})
	e.srv = httptest.NewServer(srv)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) now() time.Time { return time.Unix(e.clock.Load(), 0) }

// do sends a signed request as store with secret and decodes the answer.
func (e *env) do(method, uri string, body any, store, secret string, into any) error {
	e.t.Helper()
	req, _, err := wire.NewRequest(context.Background(), method, e.srv.URL, uri, body, store, secret, e.now())
	if err != nil {
		e.t.Fatal(err)
	}
	return e.send(req, into)
}

func (e *env) send(req *http.Request, into any) error {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	_, err = wire.ReadResponse(resp, into)
	return err
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var we *wire.Error
	if !errors.As(err, &we) || we.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func pushOf(t *testing.T, recs ...server.Record) wire.PushRequest {
	var p wire.PushRequest
	for _, r := range recs {
		p.Records = append(p.Records, r.Record)
	}
	return p
}

func TestPushAckAndRepeat(t *testing.T) {
	e := newEnv(t, "a")
	push := pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "ATTA", 1, 26500, t0), storetest.StateRecord(t, 2, "ACDEF", "accepted", t0))
	push.Records = append(push.Records,
		wire.Record{Seq: 3, Key: "x:1", Kind: "coupon", Body: json.RawMessage(`{}`)},
		wire.Record{Seq: 4, Key: "order:BAD:4", Kind: wire.KindOrder, Body: json.RawMessage(`{"id":"BAD"}`)},
		push.Records[0], // same key twice in one batch
	)
	var resp wire.PushResponse
	if err := e.do("POST", wire.PathOutbox, push, "a", e.secs["a"], &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Acked) != 3 || len(resp.Rejected) != 2 || !resp.Acked[0].Duplicate || resp.Acked[1].Duplicate || resp.Acked[2].Duplicate {
		t.Fatalf("first push = %+v", resp)
	}
	if resp.Rejected[0].Seq != 3 || resp.Rejected[0].Code != wire.CodeBadRecord || resp.Rejected[1].Seq != 4 {
		t.Fatalf("rejected = %+v", resp.Rejected)
	}
	// The whole push again, as after a lost answer: all duplicates.
	resp = wire.PushResponse{}
	if err := e.do("POST", wire.PathOutbox, push, "a", e.secs["a"], &resp); err != nil {
		t.Fatal(err)
	}
	for _, a := range resp.Acked {
		if !a.Duplicate {
			t.Fatalf("repeat not a duplicate: %+v", a)
		}
	}
	orders, _ := e.st.Orders(context.Background(), "a", 0)
	if len(orders) != 1 || orders[0].State != "accepted" || orders[0].Placed.Lines[0].Price != 26500 {
		t.Fatalf("orders = %+v", orders)
	}
}

func TestCatalogOverHTTP(t *testing.T) {
	e := newEnv(t, "a")
	items := storetest.Items(45)
	if _, err := e.st.ImportCatalog(context.Background(), "a", items, server.CategoriesOf(items)); err != nil {
		t.Fatal(err)
	}
	var got []wire.Item
	var cats []wire.Category
	uri := wire.CatalogURI(0, "", 20)
	for pages := 1; ; pages++ {
		var page wire.CatalogResponse
		if err := e.do("GET", uri, nil, "a", e.secs["a"], &page); err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Items...)
		if page.More && page.Categories != nil {
			t.Fatal("categories before the last page")
		}
		if !page.More {
			cats = page.Categories
			if pages != 3 || page.Version != 1 {
				t.Fatalf("%d pages to version %d", pages, page.Version)
			}
			break
		}
		uri = wire.CatalogURI(0, page.Cursor, 20)
	}
	if len(got) != 45 || len(cats) != 3 {
		t.Fatalf("%d items, %d categories", len(got), len(cats))
	}
	var st wire.StatusResponse
	if err := e.do("GET", wire.PathStatus, nil, "a", e.secs["a"], &st); err != nil || st.CatalogVersion != 1 || st.Store != "a" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	var page wire.CatalogResponse
	if err := e.do("GET", wire.CatalogURI(1, "", 0), nil, "a", e.secs["a"], &page); err != nil || len(page.Items) != 0 || page.More || page.Categories != nil {
		t.Fatalf("up to date page = %+v, %v", page, err)
	}
	wantCode(t, e.do("GET", wire.PathCatalog+"?cursor=zzz", nil, "a", e.secs["a"], nil), wire.CodeBadCursor)
	wantCode(t, e.do("GET", wire.CatalogURI(9, "", 0), nil, "a", e.secs["a"], nil), wire.CodeBadCursor)
	wantCode(t, e.do("GET", wire.PathCatalog+"?since=x", nil, "a", e.secs["a"], nil), wire.CodeBadRequest)
}

func TestSecurity(t *testing.T) {
	e := newEnv(t, "a", "b")
	ctx := context.Background()
	body := pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "ATTA", 1, 26500, t0))

	t.Run("wrong secret", func(t *testing.T) {
		wantCode(t, e.do("POST", wire.PathOutbox, body, "a", e.secs["b"], nil), wire.CodeBadSignature)
	})
	t.Run("unknown store", func(t *testing.T) {
		wantCode(t, e.do("GET", wire.PathStatus, nil, "zz", e.secs["a"], nil), wire.CodeUnknownStore)
	})
	t.Run("no signature", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+wire.PathStatus, nil)
		wantCode(t, e.send(req, nil), wire.CodeUnauthorized)
	})
	t.Run("tampered body", func(t *testing.T) {
		req, _, _ := wire.NewRequest(ctx, "POST", e.srv.URL, wire.PathOutbox, body, "a", e.secs["a"], e.now())
		other := pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "ATTA", 1, 1, t0))
		js, _ := json.Marshal(other)
		z := wire.Gzip(js)
		req.Body, req.ContentLength = http.NoBody, int64(len(z))
		req.Body = readCloser{bytes.NewReader(z)}
		wantCode(t, e.send(req, nil), wire.CodeBadSignature)
	})
	t.Run("tampered query", func(t *testing.T) {
		req, _, _ := wire.NewRequest(ctx, "GET", e.srv.URL, wire.CatalogURI(0, "", 5), nil, "a", e.secs["a"], e.now())
		req.URL.RawQuery = "since=0&limit=1000"
		wantCode(t, e.send(req, nil), wire.CodeBadSignature)
	})
	t.Run("replay", func(t *testing.T) {
		req, _, _ := wire.NewRequest(ctx, "GET", e.srv.URL, wire.PathStatus, nil, "a", e.secs["a"], e.now())
		replay := req.Clone(ctx)
		if err := e.send(req, nil); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.send(replay, nil), wire.CodeReplay)
	})
	t.Run("stale timestamp", func(t *testing.T) {
		req, _, _ := wire.NewRequest(ctx, "GET", e.srv.URL, wire.PathStatus, nil, "a", e.secs["a"], e.now().Add(-wire.MaxSkew-time.Second))
		err := e.send(req, nil)
		wantCode(t, err, wire.CodeStaleTimestamp)
		var we *wire.Error
		errors.As(err, &we)
		if !we.ServerTime.Equal(e.now()) || !we.Retryable() {
			t.Fatalf("stale error = %+v, want server time %v and retryable", we, e.now())
		}
		req, _, _ = wire.NewRequest(ctx, "GET", e.srv.URL, wire.PathStatus, nil, "a", e.secs["a"], e.now().Add(wire.MaxSkew+time.Second))
		wantCode(t, e.send(req, nil), wire.CodeStaleTimestamp)
	})
	t.Run("one store cannot reach another's data", func(t *testing.T) {
		items := storetest.Items(3)
		if _, err := e.st.ImportCatalog(ctx, "b", items, server.CategoriesOf(items)); err != nil {
			t.Fatal(err)
		}
		if err := e.do("POST", wire.PathOutbox, pushOf(t, storetest.OrderRecord(t, 7, "BBBBB", "SKU-001", 1, 500, t0)), "b", e.secs["b"], nil); err != nil {
			t.Fatal(err)
		}
		// a, signing honestly, sees only its own (empty) catalog.
		var page wire.CatalogResponse
		if err := e.do("GET", wire.CatalogURI(0, "", 0), nil, "a", e.secs["a"], &page); err != nil || len(page.Items) != 0 || page.Version != 0 {
			t.Fatalf("a's catalog = %+v, %v", page, err)
		}
		// a claiming to be b fails the signature, for reads and writes.
		wantCode(t, e.do("GET", wire.CatalogURI(0, "", 0), nil, "b", e.secs["a"], nil), wire.CodeBadSignature)
		wantCode(t, e.do("POST", wire.PathOutbox, body, "b", e.secs["a"], nil), wire.CodeBadSignature)
		// a pushing b's order key stores a's own record and leaves b's alone.
		var resp wire.PushResponse
		if err := e.do("POST", wire.PathOutbox, pushOf(t, storetest.OrderRecord(t, 7, "BBBBB", "SKU-001", 1, 1, t0)), "a", e.secs["a"], &resp); err != nil || resp.Acked[0].Duplicate {
			t.Fatalf("a push = %+v, %v", resp, err)
		}
		ob, _ := e.st.Orders(ctx, "b", 0)
		if len(ob) != 1 || ob[0].Placed.Lines[0].Price != 500 {
			t.Fatalf("b's orders changed: %+v", ob)
		}
	})
	t.Run("too many records", func(t *testing.T) {
		var p wire.PushRequest
		for i := range wire.MaxPushRecords + 1 {
			p.Records = append(p.Records, wire.Record{Seq: uint64(i), Key: "k", Kind: "stock"})
		}
		wantCode(t, e.do("POST", wire.PathOutbox, p, "a", e.secs["a"], nil), wire.CodeTooLarge)
	})
	t.Run("unknown path", func(t *testing.T) {
		wantCode(t, e.do("GET", "/v2/catalog", nil, "a", e.secs["a"], nil), wire.CodeNotFound)
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func TestResponsesAreGzipped(t *testing.T) {
	e := newEnv(t, "a")
	items := storetest.Items(200)
	if _, err := e.st.ImportCatalog(context.Background(), "a", items, server.CategoriesOf(items)); err != nil {
		t.Fatal(err)
	}
	req, _, _ := wire.NewRequest(context.Background(), "GET", e.srv.URL, wire.CatalogURI(0, "", 200), nil, "a", e.secs["a"], e.now())
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", resp.Header.Get("Content-Encoding"))
	}
	var page wire.CatalogResponse
	n, err := wire.ReadResponse(resp, &page)
	js, _ := json.Marshal(page)
	if err != nil || len(page.Items) != 200 || n*3 > len(js) {
		t.Fatalf("%d items in %d bytes gzipped (%d plain), %v", len(page.Items), n, len(js), err)
	}
	t.Logf("catalog page of 200 items: %d bytes plain, %d gzipped", len(js), n)
}

// TestAnswerHeadersAreLean: answers carry Date (the clock an agent corrects
// itself by) and Content-Length, never chunked, and nothing a metered link
// need not pay for; a short answer is not gzipped into a longer one; the
// push answer says how the push moved the catalog version.
func TestAnswerHeadersAreLean(t *testing.T) {
	e := newEnv(t, "a")
	items := storetest.Items(300)
	if _, err := e.st.ImportCatalog(context.Background(), "a", items, server.CategoriesOf(items)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		method string
		uri    string
		body   any
		gzip   bool
	}{
		{"push", "POST", wire.PathOutbox, pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "SKU-001", 2, 1001, t0)), false},
		{"catalog page", "GET", wire.CatalogURI(0, "", 300), nil, true},
		{"error", "GET", "/v1/nothing", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _, _ := wire.NewRequest(context.Background(), tt.method, e.srv.URL, tt.uri, tt.body, "a", e.secs["a"], e.now())
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var names []string
			for k := range resp.Header {
				names = append(names, k)
			}
			sort.Strings(names)
			want := []string{"Content-Length", "Date"}
			if tt.gzip {
				want = []string{"Content-Encoding", "Content-Length", "Date"}
			}
			if diff := cmp.Diff(want, names); diff != "" || len(resp.TransferEncoding) != 0 {
				t.Errorf("headers (-want +got):\n%s transfer encoding %v", diff, resp.TransferEncoding)
			}
			if at, ok := wire.ServerTime(resp.Header); !ok || !at.Equal(e.now()) {
				t.Errorf("Date = %q, want the server's clock %v", resp.Header.Get("Date"), e.now())
			}
			if tt.name != "push" {
				return
			}
			var pr wire.PushResponse
			if _, err := wire.ReadResponse(resp, &pr); err != nil {
				t.Fatal(err)
			}
			if pr.Catalog == nil || pr.Catalog.From != 1 || pr.Catalog.Version != 2 {
				t.Errorf("push answer catalog = %+v, want 1 to 2", pr.Catalog)
			}
		})
	}
}
