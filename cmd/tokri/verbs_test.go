package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/command/golden"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// TestVerbsGolden pins what each operator command prints, its errors and
// its exit code, word for word, with the agent running and with it down.
func TestVerbsGolden(t *testing.T) {
	dir, db := seed.Data(t)
	first, second := seed.Shop(t, db)
	serveAdmin(t, dir, db)
	csv := writeFile(t, dir, "more.csv", seed.CSV+"SUGAR1,Sugar,चीनी,Staples,1 kg,48,40,shakkar|chini\n")
	bad := writeFile(t, dir, "bad.csv", "sku,name,name_hi,category,unit,price,stock,synonyms\nDAL1,Toor Dal,,Staples,1 kg,cheap,30,\n")
	var all strings.Builder
	down := seed.ShortDir(t)
	ddb := seed.Open(t, down)
	dfirst, dsecond := seed.Shop(t, ddb)
	if err := ddb.Close(); err != nil {
		t.Fatal(err)
	}
	// Order IDs are random: the script and the transcript name them by
	// placeholders of the same width.
	ids := strings.NewReplacer(first, "ORDA1", second, "ORDA2", dfirst, "ORDB1", dsecond, "ORDB2", down, "DOWN", dir, "DATA")
	script := func(dir string, lines ...string) {
		for _, line := range lines {
			args := strings.Fields(strings.NewReplacer("ORDA1", first, "ORDA2", second, "ORDB1", dfirst, "MORE.csv", csv, "BAD.csv", bad).Replace(line))
			out, errOut, code, _ := tokriExit(t, dir, args...)
			fmt.Fprintf(&all, "$ tokri %s\n%s", line, out)
			if errOut != "" {
				fmt.Fprintf(&all, "[stderr]\n%s", errOut)
			}
			fmt.Fprintf(&all, "[exit %d]\n\n", code)
		}
	}
	script(dir,
		"orders list",
		"orders show ORDA1",
		"orders accept ORDA1",
		"orders accept ORDA1",
		"orders accept ORDA1 --json",
		"orders deliver ORDA1",
		"orders reject ORDA2",
		"orders reject ORDA2 --reason out-of-stock",
		"orders cancel ORDA2",
		"orders accept QQQQQ",
		"orders list --state open --json",
		"catalog import MORE.csv",
		"catalog import BAD.csv",
		"catalog import BAD.csv --json",
		"catalog list --find chini",
		"stock set MILK 12",
		"price set ATTA5 289.50",
		"price set ATTA5 abc",
		"shoppers list",
		"shoppers optout +919876543210",
		"status",
		"shop pause",
		"shop resume",
		"messages failed",
		"messages retry x",
		"messages unreadable",
		"today",
		"sync now",
		"sync now --json",
	)
	all.WriteString("# the agent is down\n\n")
	script(down,
		"orders list --state placed --limit 1",
		"orders accept ORDB1",
		"orders accept ORDB1 --json",
		"status",
	)
	golden.Check(t, "verbs.txt", ids.Replace(all.String()))
}

// A second tokri on a store another holds is told who holds it and what
// to do, not bbolt's timeout.
func TestStoreBusy(t *testing.T) {
	dir, _ := seed.Data(t) // this test process holds the store
	_, err := store.Open(dir+"/tokri.db", store.Options{})
	err = storeBusy(err, dir)
	want := fmt.Sprintf("another tokri is running on %s (pid %d); stop it or use its console (tokri console, tokri status)", dir, os.Getpid())
	if err == nil || err.Error() != want {
		t.Errorf("second open: %v\nwant %s", err, want)
	}
	if other := fmt.Errorf("disk full"); storeBusy(other, dir) != other {
		t.Error("storeBusy rewrote an error that is not the lock")
	}
}
