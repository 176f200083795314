package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestServeSocketMode(t *testing.T) {
	testtime.NoLeaks(t)
	dir, db := seed.Data(t)
	sock := startAgent(t, dir, db)
	fi, err := os.Lstat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("%s is %v, want a socket", sock, fi.Mode())
	}
	if got := fi.Mode().Perm(); got != 0o660 {
		t.Errorf("socket mode %o, want 660", got)
	}
}

func TestServeLifecycle(t *testing.T) {
	testtime.NoLeaks(t)
	dir, db := seed.Data(t)
	sock := filepath.Join(dir, SocketName)

	// A socket left by a killed agent: bound, then closed without unlinking.
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	if _, err := os.Lstat(sock); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}

	srv := NewServer(Options{DB: db, Log: testLog(t), Now: seed.Clock})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, sock) }()
	testtime.Until(t, "the agent to take over the stale socket", func() bool { return probe(sock) == nil })

	// A second agent must not steal the socket of a live one.
	second := NewServer(Options{DB: db, Log: testLog(t), Now: seed.Clock})
	if err := second.Serve(context.Background(), sock); !errors.Is(err, ErrAgentRunning) {
		t.Errorf("second Serve: %v, want ErrAgentRunning", err)
	}
	if err := probe(sock); err != nil {
		t.Errorf("first agent stopped answering after the refused second: %v", err)
	}

	c := Dial(sock)
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || st.Modem.State != "" {
		t.Errorf("status %+v: want running with no modem (no Status func)", st)
	}
	c.Close()

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := os.Lstat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after Serve returned: %v", err)
	}
	if _, err := Dial(sock).Status(context.Background()); !errors.Is(err, ErrNoAgent) {
		t.Errorf("status after stop: %v, want ErrNoAgent", err)
	}
}

func TestServeRefusesNonSocket(t *testing.T) {
	testtime.NoLeaks(t)
	dir, db := seed.Data(t)
	sock := filepath.Join(dir, SocketName)
	if err := os.WriteFile(sock, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := NewServer(Options{DB: db, Log: testLog(t)}).Serve(context.Background(), sock)
	if err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Serve over a regular file: %v", err)
	}
	if b, _ := os.ReadFile(sock); string(b) != "keep me" {
		t.Errorf("regular file changed to %q", b)
	}
}

// TestAPIErrors sends bad requests straight over the socket and checks
// that each gets its status and names the field.
func TestAPIErrors(t *testing.T) {
	testtime.NoLeaks(t)
	c, first, _ := seededAgent(t)

	tests := []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"GET", "/v1/orders?limit=many", "", 400, "limit"},
		{"GET", "/v1/orders?state=lost", "", 400, "state"},
		{"GET", "/v1/orders?since=yesterday", "", 400, "since"},
		{"GET", "/v1/orders/QQQQQ", "", 404, "id"},
		{"POST", "/v1/orders/" + first + "/explode", "", 400, "action"},
		{"POST", "/v1/orders/" + first + "/reject", `{}`, 400, "reason"},
		{"POST", "/v1/orders/" + first + "/accept", `{"why":"x"}`, 400, "why"},
		{"POST", "/v1/orders/" + first + "/deliver", "", 409, "action"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", `{"stock":"ten"}`, 400, "stock"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", `{}`, 400, "stock"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", `{"stock":-1}`, 400, "stock"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", ``, 400, "body"},
		{"PUT", "/v1/catalog/items/NOPE/stock", `{"stock":3}`, 404, "sku"},
		{"PUT", "/v1/catalog/items/ATTA5/price", `{"price":0}`, 400, "price"},
		{"PUT", "/v1/catalog/items/ATTA5/price", `{"price":2.5}`, 400, "price"},
		// Over the bounds: int64-max paise once wrapped a 3-item cart.
		{"PUT", "/v1/catalog/items/ATTA5/price", `{"price":9223372036854775807}`, 400, "price"},
		{"PUT", "/v1/catalog/items/ATTA5/price", `{"price":100000001}`, 400, "price"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", `{"stock":9223372036854775807}`, 400, "stock"},
		{"PUT", "/v1/catalog/items/ATTA5/stock", `{"stock":1000001}`, 400, "stock"},
		{"POST", "/v1/shoppers/" + seed.ShopperA + "/maybe", "", 400, "choice"},
		{"POST", "/v1/shoppers/+910000000000/opt-in", "", 404, "number"},
		{"GET", "/v1/nothing", "", 404, "path"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://tokri"+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (%s)", resp.StatusCode, tt.status, b)
			}
			var e struct{ Error, Field string }
			if err := json.Unmarshal(b, &e); err != nil || e.Error == "" {
				t.Fatalf("body %s: want {\"error\": ...} (%v)", b, err)
			}
			if e.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", e.Field, tt.field, e.Error)
			}
		})
	}
}

func TestClientRoundTrip(t *testing.T) {
	testtime.NoLeaks(t)
	c, first, second := seededAgent(t)
	ctx := context.Background()

	list, err := c.Orders(ctx, orders.Filter{States: []orders.State{orders.Placed}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range list {
		got = append(got, o.ID)
	}
	if !slices.Equal(got, []string{second, first}) {
		t.Fatalf("orders %v, want %s then %s", got, second, first)
	}
	o, err := c.Act(ctx, first, Accept, "")
	if err != nil {
		t.Fatal(err)
	}
	if o.State != "accepted" || o.History[len(o.History)-1].By != "operator" {
		t.Errorf("after accept: state %s, history %+v", o.State, o.History)
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Queues.OutboxNotification != 1 || st.OpenOrders["accepted"] != 1 || st.OpenOrders["placed"] != 1 {
		t.Errorf("status after accept: %+v", st)
	}
	if st.Queues.DailyCap != 200 || st.Modem.Operator != "Airtel" || st.Items != 3 {
		t.Errorf("status lost the agent's part: %+v", st)
	}

	_, err = c.SetPrice(ctx, "NOPE", 100)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeNotFound || e.Field != "sku" {
		t.Errorf("SetPrice unknown SKU: %#v", err)
	}
	it, err := c.SetStock(ctx, "MILK", 7)
	if err != nil || it.Stock != 7 {
		t.Errorf("SetStock: %+v, %v", it, err)
	}
	found, err := c.FindItems(ctx, "doodh")
	if err != nil || len(found) == 0 || found[0].SKU != "MILK" {
		t.Errorf("FindItems doodh: %+v, %v", found, err)
	}
	p, err := c.SetOptOut(ctx, seed.ShopperB, true)
	if err != nil || !p.OptedOut || p.Number != seed.ShopperB {
		t.Errorf("SetOptOut: %+v, %v", p, err)
	}
}

// TestNoGoroutineLeak serves, answers a few requests and stops, then
// checks the goroutines went with it.
func TestNoGoroutineLeak(t *testing.T) {
	testtime.NoLeaks(t)
	before := runtime.NumGoroutine()
	t.Run("serve", func(t *testing.T) {
		dir, db := seed.Data(t)
		seed.Shop(t, db)
		startAgent(t, dir, db)
		for range 3 {
			b, _, done, err := Env{Data: dir, Log: testLog(t), Now: seed.Clock}.Open(FileOK)
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.Orders(t.Context(), orders.Filter{})
			done()
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	testtime.Until(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}
