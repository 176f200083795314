package testkit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// The plumbing of the golden scripts: agent/shop's conversations (which
// test/conversation replays over a modem) and agent/ussd's sessions are
// read, set up and compared the same way.

// Goldens are the files matching pattern; none is a failed test, since a
// golden test that reads nothing asserts nothing.
func Goldens(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files match %s: %v", pattern, err)
	}
	return files
}

// EachGolden runs test in a subtest per file matching pattern, named for
// the file, with the script the file holds.
func EachGolden(t *testing.T, pattern string, test func(t *testing.T, path, script string)) {
	for _, f := range Goldens(t, pattern) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			test(t, f, string(src))
		})
	}
}

// ShopSettings are a script's "set key = value" lines, without "set ",
// one a line: the [shop] settings the script runs with (see ShopConfig).
func ShopSettings(script string) string {
	var b strings.Builder
	for _, l := range strings.Split(script, "\n") {
		if v, ok := strings.CutPrefix(l, "set "); ok {
			b.WriteString(v + "\n")
		}
	}
	return b.String()
}

// CheckGolden compares the transcript got with want, read from the golden
// file path, or rewrites the file when update is set. what names the
// file's kind in the failure.
func CheckGolden(t testing.TB, path, want, got string, update bool, what string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s changed (-file +now); rerun with -update if meant:\n%s", what, diff)
	}
}

// shopVerbs are the states a script's "shop <verb>" line moves an order to.
var shopVerbs = map[string]orders.State{
	"accept": orders.Accepted, "pack": orders.Packed, "dispatch": orders.Dispatched,
	"deliver": orders.Delivered, "reject": orders.Rejected, "cancel": orders.Cancelled,
}

// MoveOrder runs a script's "shop <verb> [reason]" line as the console
// does: the operator moves the latest order of from on, at now, and the
// shopper is told what the config says.
func MoveOrder(db *store.DB, from, line string, now time.Time) error {
	f := strings.Fields(line)
	if len(f) < 2 {
		return fmt.Errorf("%s: want shop VERB [REASON]", line)
	}
	to, ok := shopVerbs[f[1]]
	if !ok {
		return fmt.Errorf("%s: unknown verb %q", line, f[1])
	}
	err := db.Update(func(tx *store.Tx) error {
		o, ok, err := orders.Last(tx.Bolt(), from)
		if err != nil || !ok {
			return fmt.Errorf("no order of %s: %v", from, err)
		}
		_, err = orders.Transition(tx, o.ID, to, strings.Join(f[2:], " "), orders.ByOperator, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", line, err)
	}
	return nil
}

// Drain takes every message due by an hour after now out of the outbox,
// in the order the sender would, and records each part sent at now.
func Drain(t testing.TB, db *store.DB, now time.Time) []store.Outbound {
	t.Helper()
	var out []store.Outbound
	for {
		next, err := db.NextOutbound(now.Add(time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		if !next.OK {
			return out
		}
		o := next.Out
		for part := 1; part <= o.Segments; part++ {
			p := store.SentPart{Part: part, Last: part == o.Segments, MR: -1, At: now}
			if err := db.RecordParts(o.ID, p); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, o)
	}
}
