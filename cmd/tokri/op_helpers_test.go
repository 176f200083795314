package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// testNow is the clock of every operator command test.
var testNow = time.Date(2026, 5, 1, 10, 30, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

// shortDir is a data directory with a path short enough for a Unix socket
// (108 bytes), which t.TempDir's long names can exceed.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "tk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func testLog(t *testing.T) zerolog.Logger { return zerolog.New(zerolog.NewTestWriter(t)) }

func openDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, admin.DBName), store.Options{Now: testClock, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

const goodCSV = `sku,name,name_hi,category,unit,price,stock,synonyms
ATTA5,Aashirvaad Atta,आशीर्वाद आटा,Staples,5 kg,265.00,20,aata|gehu atta
DAL1,Toor Dal,तूर दाल,Staples,1 kg,165,30,arhar
MILK,Amul Taaza,अमूल ताज़ा,Dairy,500 ml,27.50,50,doodh
`

const (
	shopperA = "+919876543210"
	shopperB = "+919812345678"
)

// seed fills a store with the catalog above, two shoppers and two
// placed orders, and returns the orders' IDs.
func seed(t *testing.T, db *store.DB) (first, second string) {
	t.Helper()
	items, err := catalog.ParseCSV(strings.NewReader(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = db.Update(func(tx *store.Tx) error {
		ids = ids[:0]
		if _, err := catalog.Import(tx.Bolt(), items); err != nil {
			return err
		}
		for _, n := range []string{shopperA, shopperB} {
			if err := shoppers.Put(tx.Bolt(), shoppers.Profile{Number: n, Lang: "hi", FirstSeen: testNow, LastSeen: testNow}); err != nil {
				return err
			}
		}
		for i, sh := range []string{shopperA, shopperB} {
			o := orders.Order{
				Shopper: sh,
				Lines:   []orders.Line{{SKU: "ATTA5", Name: "Aashirvaad Atta", Unit: "5 kg", Qty: 1 + i, Price: 26500}},
				Mode:    "pickup", Payment: "cod",
			}
			o.Subtotal = 26500 * int64(1+i)
			o.Total = o.Subtotal
			placed, err := orders.Place(tx, o, testNow.Add(time.Duration(i)*time.Minute))
			if err != nil {
				return err
			}
			ids = append(ids, placed.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0], ids[1]
}

// agentDB is a fresh store file in a directory short enough for the
// admin socket's path, closed when the test ends.
func agentDB(t *testing.T) (string, *store.DB) {
	t.Helper()
	dir := shortDir(t)
	db := openDB(t, dir)
	t.Cleanup(func() { db.Close() })
	return dir, db
}

// serveAdmin serves the admin API of db on <dir>/tokri.sock until the test
// ends, and waits until it answers.
func serveAdmin(t *testing.T, dir string, db *store.DB) string {
	t.Helper()
	return serveAdminWith(t, dir, admin.Options{DB: db, Cache: catalog.NewCache(), Status: agentStatus, Log: testLog(t), Now: testClock})
}

// agentStatus stands in for the agent's Status func.
func agentStatus() admin.Status {
	return admin.Status{
		Version:   "test",
		StartedAt: testNow.Add(-3 * time.Hour),
		Modem: admin.ModemStatus{State: "ready", Registration: "registered, home", Registered: true,
			Operator: "Airtel", CSQ: 21, DBm: -71, Bars: 3, SIM: "ready"},
		Queues: admin.Queues{DailyCap: 200},
	}
}

// serveAdminWith is serveAdmin with the server's options given.
func serveAdminWith(t *testing.T, dir string, opts admin.Options) string {
	t.Helper()
	sock := filepath.Join(dir, admin.SocketName)
	srv := admin.NewServer(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, sock) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	c := admin.Dial(sock)
	defer c.Close()
	testtime.Until(t, "the socket to answer", func() bool { _, err := c.Status(ctx); return err == nil })
	return sock
}

// tokri runs one tokri command line on the data in dir (times shown in
// UTC) and returns what it printed and its exit code.
func tokri(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	out, errw, _, err := tokriExit(t, dir, args...)
	return out, errw, err
}

// tokriExit is tokri with the exit code the binary would give, and the
// error as the binary prints it in stderr.
func tokriExit(t *testing.T, dir string, args ...string) (stdout, stderr string, code int, err error) {
	t.Helper()
	if dir != "" {
		cfg := filepath.Join(t.TempDir(), "utc.toml")
		if err := os.WriteFile(cfg, []byte("[agent]\ntimezone = \"UTC\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--data", dir, "--config", cfg)
	}
	var out, errw bytes.Buffer
	err = table(&out, &errw, testClock).Run(context.Background(), args)
	code = command.Exit("tokri", err, command.WantsJSON(args), &out, &errw)
	return out.String(), errw.String(), code, err
}

// staleSocket leaves a socket file at path that nothing listens on, as a
// killed agent would.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
