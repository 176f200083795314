package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("tokri-central %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// TestEndToEnd registers a store, imports its catalog, serves, syncs over
// real HTTP and lists the order the agent pushed.
func TestEndToEnd(t *testing.T) {
	data := t.TempDir()
	out := cli(t, "store", "add", "--data", data, "kirana-7")
	secret := regexp.MustCompile(`(?m)^[0-9a-f]{64}$`).FindString(out)
	if secret == "" {
		t.Fatalf("no secret in %q", out)
	}
	if out := cli(t, "catalog", "import", "--data", data, "--store", "kirana-7", filepath.Join("testdata", "catalog.csv")); !strings.Contains(out, "3 added") {
		t.Fatalf("import said %q", out)
	}

	addr, stop := startServe(t, &bytes.Buffer{}, "--data", data)
	base := "http://" + addr

	var page wire.CatalogResponse
	call(t, http.DefaultClient, base, "GET", wire.CatalogURI(0, "", 0), nil, secret, &page)
	if len(page.Items) != 3 || page.Items[1].Price != 16050 || page.Items[0].NameHi == "" || len(page.Categories) != 3 {
		t.Fatalf("catalog = %+v", page)
	}
	body, _ := json.Marshal(wire.OrderBody{ID: "ACDEF", Lines: []wire.OrderLine{{SKU: "ATTA-5KG", Name: "Atta", Qty: 1, Price: 26500}},
		Subtotal: 26500, Total: 26500, State: "placed", CreatedAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)})
	var ack wire.PushResponse
	call(t, http.DefaultClient, base, "POST", wire.PathOutbox, wire.PushRequest{Records: []wire.Record{{Seq: 1, Key: "order:ACDEF:1", Kind: "order", Body: body}}}, secret, &ack)
	if len(ack.Acked) != 1 {
		t.Fatalf("ack = %+v", ack)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}

	var orders []server.Order
	if err := json.Unmarshal([]byte(cli(t, "orders", "list", "--data", data, "--store", "kirana-7", "--json")), &orders); err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 || orders[0].ID != "ACDEF" || orders[0].Placed.Lines[0].Price != 26500 {
		t.Fatalf("orders = %+v", orders)
	}
	if table := cli(t, "orders", "list", "--data", data, "--store", "kirana-7"); !strings.Contains(table, "ACDEF") || !strings.Contains(table, "₹265.00") {
		t.Fatalf("orders table:\n%s", table)
	}
	if err := run(context.Background(), []string{"store", "add", "--data", data}, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, command.ErrUsage) || !strings.Contains(err.Error(), "want one STORE_ID") {
		t.Fatalf("store add without an ID: %v, want a usage error", err)
	}
	if err := run(context.Background(), []string{"store", "add", "--data", data, "Bad/ID"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Fatal("bad store ID accepted")
	}
}

func call(t *testing.T, c *http.Client, base, method, uri string, body any, secret string, into any) {
	t.Helper()
	req, _, err := wire.NewRequest(context.Background(), method, base, uri, body, "kirana-7", secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wire.ReadResponse(resp, into); err != nil {
		t.Fatal(err)
	}
}

// TestServeTLSPinned serves HTTPS with a generated certificate and checks
// that a client pinned to it gets through and one pinned elsewhere does not.
func TestServeTLSPinned(t *testing.T) {
	data := t.TempDir()
	out := cli(t, "store", "add", "--data", data, "kirana-7")
	secret := regexp.MustCompile(`(?m)^[0-9a-f]{64}$`).FindString(out)
	certFile, keyFile, der := writeCert(t, t.TempDir())
	var logs bytes.Buffer
	addr, stop := startServe(t, &logs, "--data", data, "--tls-cert", certFile, "--tls-key", keyFile)
	base := "https://" + addr
	defer stop()

	pin := wire.Fingerprint(der)
	if !strings.Contains(logs.String(), pin) {
		t.Errorf("serve log does not name the pin %s:\n%s", pin, logs.String())
	}
	good, _ := wire.PinnedTLSConfig(pin)
	var st wire.StatusResponse
	call(t, pinnedClient(good), base, "GET", wire.PathStatus, nil, secret, &st)
	if st.Store != "kirana-7" {
		t.Fatalf("status = %+v", st)
	}
	bad, _ := wire.PinnedTLSConfig(strings.Repeat("00", 32))
	req, _, _ := wire.NewRequest(context.Background(), "GET", base, wire.PathStatus, nil, "kirana-7", secret, time.Now())
	if resp, err := pinnedClient(bad).Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a client pinned to another certificate got through")
	}
}

func pinnedClient(c *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: c, DisableKeepAlives: true}}
}

// TestBenchLoad runs the load bench with more agents than one address may
// hold connections by default: all of them dial from loopback, and none
// may be refused.
func TestBenchLoad(t *testing.T) {
	agents := server.DefaultMaxConnsPerIP + 8
	out := cli(t, "bench", "--agents", strconv.Itoa(agents), "--items", "5", "--duration", "1s")
	m := regexp.MustCompile(`(\d+) agents: (\d+) requests .* (\d+) errors`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no result line in:\n%s", out)
	}
	if m[1] != strconv.Itoa(agents) || m[2] == "0" || m[3] != "0" {
		t.Errorf("want %d agents, some requests and no errors:\n%s", agents, out)
	}
}

// TestOrdersListWhileServing checks that the CLI says why it cannot read
// the bbolt file serve holds, instead of failing obscurely.
func TestOrdersListWhileServing(t *testing.T) {
	data := t.TempDir()
	cli(t, "store", "add", "--data", data, "kirana-7")
	_, stop := startServe(t, &bytes.Buffer{}, "--data", data)
	err := run(context.Background(), []string{"orders", "list", "--data", data, "--store", "kirana-7"}, &bytes.Buffer{}, &bytes.Buffer{})
	stop()
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "serve") {
		t.Fatalf("orders list while serving: %v, want ErrInUse naming serve", err)
	}
	cli(t, "orders", "list", "--data", data, "--store", "kirana-7")
}
