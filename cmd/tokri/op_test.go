package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// step is one CLI run and what it must print.
type step struct {
	args    []string
	out     []string // substrings of stdout
	errMsg  string   // substring of the error; "" means no error
	errOut  []string // substrings of stderr
	notWant []string // must not be in stdout
}

func runSteps(t *testing.T, dir string, steps []step) {
	t.Helper()
	for _, s := range steps {
		out, errOut, err := tokri(t, dir, s.args...)
		name := strings.Join(s.args, " ")
		t.Logf("$ tokri %s\n%s%s", name, out, errOut)
		switch {
		case s.errMsg == "" && err != nil:
			t.Errorf("%s: %v\nstderr: %s", name, err, errOut)
		case s.errMsg != "" && (err == nil || !strings.Contains(err.Error(), s.errMsg)):
			t.Errorf("%s: error %v, want one containing %q", name, err, s.errMsg)
		}
		for _, w := range s.out {
			if !strings.Contains(out, w) {
				t.Errorf("%s: stdout lacks %q:\n%s", name, w, out)
			}
		}
		for _, w := range s.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%s: stdout has %q:\n%s", name, w, out)
			}
		}
		for _, w := range s.errOut {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", name, w, errOut)
			}
		}
	}
}

func TestCLIWithAgent(t *testing.T) {
	dir, db := seed.Data(t)
	first, second := seed.Shop(t, db)
	serveAdmin(t, dir, db)
	more := writeFile(t, dir, "more.csv", seed.CSV+"SUGAR1,Sugar,चीनी,Staples,1 kg,48,40,shakkar|chini\n")

	runSteps(t, dir, []step{
		{args: []string{"orders", "list"}, out: []string{"ID", "STATE", first, second, "placed", seed.ShopperA, "265.00", "530.00"}},
		{args: []string{"orders", "list", "--state", "accepted"}, out: []string{"no orders"}},
		{args: []string{"orders", "list", "--state", "lost"}, errMsg: `--state: unknown state "lost"`},
		{args: []string{"orders", "list", "--since", "soon"}, errMsg: "--since:"},
		{args: []string{"orders", "accept", strings.ToLower(first)}, out: []string{"order " + first + " is now accepted"}},
		{args: []string{"orders", "accept", "QQQQQ"}, errMsg: `unknown order ID "QQQQQ"`},
		{args: []string{"orders", "accept"}, errMsg: "missing ORDER-ID"},
		{args: []string{"orders", "reject", second}, errMsg: "--reason is required"},
		{args: []string{"orders", "reject", second, "--reason", "out of stock"}, out: []string{"order " + second + " is now rejected"}},
		{args: []string{"orders", "deliver", first}, errMsg: "order " + first},
		{args: []string{"orders", "pack", first}, out: []string{"is now packed"}},
		{args: []string{"orders", "show", first}, out: []string{"order " + first + "  packed", "Aashirvaad Atta 5 kg", "total", "by operator"}},
		{args: []string{"orders", "list", "--state", "open"}, out: []string{first}, notWant: []string{second}},
		{args: []string{"orders", "frobnicate"}, errMsg: `unknown command "tokri orders frobnicate"`},

		{args: []string{"catalog", "import", more}, out: []string{"imported 4 items: 1 added, 3 updated"}},
		{args: []string{"catalog", "list"}, out: []string{"SKU", "SUGAR1", "48.00", "MILK"}},
		{args: []string{"catalog", "list", "--find", "chini"}, out: []string{"SUGAR1"}, notWant: []string{"MILK"}},
		{args: []string{"stock", "set", "MILK", "12"}, out: []string{"MILK Amul Taaza 500 ml: stock 12"}},
		{args: []string{"stock", "set", "NOPE", "12"}, errMsg: `unknown SKU "NOPE"`},
		{args: []string{"stock", "set", "MILK", "a dozen"}, errMsg: `UNITS: "a dozen" is not a whole number`},
		{args: []string{"stock", "set", "MILK"}, errMsg: "missing UNITS"},
		{args: []string{"price", "set", "ATTA5", "289.50"}, out: []string{"ATTA5 Aashirvaad Atta 5 kg: price 289.50"}},
		{args: []string{"price", "set", "ATTA5", "Rs290"}, out: []string{"price 290.00"}},
		{args: []string{"price", "set", "ATTA5", "28.999"}, errMsg: "RUPEES:"},
		{args: []string{"price", "set", "ATTA5", "abc"}, errMsg: "RUPEES:"},
		{args: []string{"price", "set", "NOPE", "10"}, errMsg: `unknown SKU "NOPE"`},
		{args: []string{"price", "set", "ATTA5", "92233720368547758.07"}, errMsg: "RUPEES:"},
		{args: []string{"price", "set", "ATTA5", "1000000.01"}, errMsg: "price"},
		{args: []string{"stock", "set", "MILK", "9223372036854775807"}, errMsg: "stock"},
		{args: []string{"stock", "set", "MILK", "1000001"}, errMsg: "stock"},
		{args: []string{"catalog", "export"}, out: []string{"sku,name", "ATTA5,Aashirvaad Atta", "290.00", "MILK", "12"}},

		{args: []string{"shoppers", "list"}, out: []string{"NUMBER", seed.ShopperA, seed.ShopperB, "hi"}},
		{args: []string{"shoppers", "optout", seed.ShopperA}, out: []string{seed.ShopperA + " opted out"}},
		{args: []string{"shoppers", "optin", "+910000000000"}, errMsg: "unknown shopper"},

		{args: []string{"status"}, out: []string{"agent     running since 2026-05-01 07:30 (up 3h)", "modem     ready, signal -71 dBm (3/4), SIM ready, Airtel", "of 200 SMS today", "1 packed", "4 items"}},
		{args: []string{"bogus"}, errMsg: `unknown command "bogus"`},
	})

	st := tokriJSON[admin.Status](t, dir, "status")
	// accept, reject, pack: one notification each, none sent yet.
	if !st.Running || st.Queues.OutboxNotification != 3 || st.Queues.DailyCap != 200 {
		t.Errorf("status --json: %+v", st)
	}
	if list := tokriJSON[[]map[string]any](t, dir, "orders", "list", "--limit", "1"); len(list) != 1 {
		t.Errorf("orders list --json --limit 1: %d orders", len(list))
	}
}

func TestCLIBadCSVChangesNothing(t *testing.T) {
	dir, db := seed.Data(t)
	seed.Shop(t, db)
	serveAdmin(t, dir, db)
	before, _, err := tokri(t, dir, "catalog", "export")
	if err != nil {
		t.Fatal(err)
	}
	bad := writeFile(t, dir, "bad.csv", `sku,name,name_hi,category,unit,price,stock,synonyms
ATTA5,Aashirvaad Atta,,Staples,5 kg,1.00,99,
DAL1,Toor Dal,,Staples,1 kg,cheap,30,
NEW1,New Thing,,Staples,1 kg,10,30,
MILK,Amul Taaza,,Dairy,500 ml,27.50,-4,
`)
	_, errOut, err := tokri(t, dir, "catalog", "import", bad)
	var e *admin.Error
	if !errors.As(err, &e) || e.Code != admin.CodeBadCSV || len(e.Problems) != 2 {
		t.Fatalf("import of bad csv: %#v", err)
	}
	for _, want := range []string{"bad.csv:line 3: price:", "bad.csv:line 5: stock:"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(err.Error(), "2 bad lines; nothing imported") {
		t.Errorf("error %q", err)
	}
	after, _, err := tokri(t, dir, "catalog", "export")
	if err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("catalog changed by a rejected import:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	out, _, err := tokri(t, dir, "catalog", "import", "--json", bad)
	if err == nil || !strings.Contains(out, `"problems"`) || !strings.Contains(out, `"Line":3`) {
		t.Errorf("import --json of bad csv: %v\n%s", err, out)
	}
}

// TestCLIWithoutAgent runs the commands that work on the file while no
// agent runs, with a stale socket left behind to be ignored.
func TestCLIWithoutAgent(t *testing.T) {
	dir := seed.ShortDir(t)
	db := seed.Open(t, dir)
	first, _ := seed.Shop(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	staleSocket(t, filepath.Join(dir, admin.SocketName))
	more := writeFile(t, dir, "more.csv", "sku,name,name_hi,category,unit,price,stock,synonyms\nSUGAR1,Sugar,,Staples,1 kg,48,40,\n")

	runSteps(t, dir, []step{
		{args: []string{"orders", "list"}, out: []string{first, "placed"}},
		{args: []string{"orders", "show", first}, out: []string{"order " + first}},
		{args: []string{"catalog", "import", more}, out: []string{"imported 1 item: 1 added, 0 updated"}},
		{args: []string{"stock", "set", "SUGAR1", "5"}, out: []string{"stock 5"}},
		{args: []string{"price", "set", "SUGAR1", "47.75"}, out: []string{"price 47.75"}},
		{args: []string{"stock", "set", "NOPE", "5"}, errMsg: `unknown SKU "NOPE"`},
		{args: []string{"catalog", "export"}, out: []string{"SUGAR1,Sugar", "47.75"}},
		{args: []string{"status"}, out: []string{"agent     not running", "4 items", "2 placed"}, notWant: []string{"modem"}},
		{args: []string{"orders", "accept", first}, errMsg: "the agent is not running"},
		{args: []string{"shoppers", "optout", seed.ShopperA}, errMsg: "the agent is not running"},
	})

	// The changes are in the file for the agent to find.
	db = seed.Open(t, dir)
	defer db.Close()
	sock := serveAdmin(t, dir, db)
	it, err := admin.Dial(sock).SetStock(t.Context(), "SUGAR1", 6)
	if err != nil || it.Price != 4775 {
		t.Errorf("after restart: %+v, %v", it, err)
	}
}

func TestCLINoStore(t *testing.T) {
	dir := seed.ShortDir(t)
	_, _, err := tokri(t, dir, "orders", "list")
	if err == nil || !strings.Contains(err.Error(), "no store at") {
		t.Errorf("orders list on an empty data dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, admin.DBName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("orders list created the store: %v", err)
	}
	_, _, err = tokri(t, filepath.Join(dir, "missing"), "status")
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("status with a missing data dir: %v", err)
	}
	// A catalog may be seeded before the agent first runs.
	csv := writeFile(t, dir, "c.csv", seed.CSV)
	if out, _, err := tokri(t, dir, "catalog", "import", csv); err != nil || !strings.Contains(out, "3 added") {
		t.Errorf("import into a fresh data dir: %v\n%s", err, out)
	}
}

// TestCLILockedFile is an agent that holds the file but does not answer.
func TestCLILockedFile(t *testing.T) {
	dir, _ := seed.Data(t) // the open store holds the file's lock
	_, _, err := tokri(t, dir, "orders", "list")
	if !errors.Is(err, admin.ErrNoAnswer) {
		t.Errorf("orders list with the file locked: %v, want ErrNoAnswer", err)
	}
	want := fmt.Sprintf("another tokri is running on %s (pid %d) but does not answer on its socket; wait a moment and try again", dir, os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("message %q", err)
	}
}
