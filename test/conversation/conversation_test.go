package conversation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// goldens are agent/shop's golden conversations; see that package's
// golden_test.go for the format.
const goldens = "../../agent/shop/testdata/*.txt"

// TestMain fails the run if goroutines outlive the tests.
func TestMain(m *testing.M) { os.Exit(testtime.RunNoLeaks(m)) }

// TestConversationsOverModem replays every golden conversation on its own
// fresh stack and compares what went out over the air (text, segments,
// encoding, and to whom) with the file.
func TestConversationsOverModem(t *testing.T) {
	for _, f := range testkit.Goldens(t, goldens) {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := newStack(t, testkit.ShopConfig(t, testkit.ShopSettings(string(src))))
			got := replay(t, s, string(src))
			if diff := cmp.Diff(string(src), got); diff != "" {
				t.Errorf("over the modem, %s differs (-golden +air); if the golden changed on purpose, rerun go test ./agent/shop -update:\n%s", f, diff)
			}
		})
	}
}

// replay runs a golden script through s and writes the transcript the way
// agent/shop's golden test does, from what the network saw.
func replay(t *testing.T, s *stack, script string) string {
	t.Helper()
	var (
		b    strings.Builder
		from = testkit.Shopper
	)
	lines := strings.Split(script, "\n")
	record := func(i int, out []reply) {
		s.ids.Learn(t, s.db)
		if len(out) == 0 {
			b.WriteString("< no reply\n")
		}
		for _, o := range out {
			kind := o.priority.String()
			if o.To != from {
				kind += " to " + o.To
			}
			fmt.Fprintf(&b, "< %s, %d %s\n", kind, o.Segments, o.Encoding)
			for _, l := range strings.Split(s.ids.Hide(o.Text), "\n") {
				fmt.Fprintf(&b, "| %s\n", l)
			}
			if o.DecodeError != "" {
				t.Errorf("line %d: the network could not decode the reply: %s", i+1, o.DecodeError)
			}
		}
	}
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "<") || strings.HasPrefix(l, "|"):
			continue // what came back is written from the air
		case strings.HasPrefix(l, "> ") || l == ">":
			text := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(l, ">"), " "), `\n`, "\n")
			b.WriteString(l + "\n")
			text = s.ids.Show(text)
			record(i, s.exchange(from, &text, expected(lines[i+1:])))
			continue
		case l == "call":
			b.WriteString(l + "\n")
			record(i, s.exchange(from, nil, expected(lines[i+1:])))
			continue
		case strings.HasPrefix(l, "from "):
			from = strings.TrimSpace(strings.TrimPrefix(l, "from "))
		case strings.HasPrefix(l, "advance "):
			d, err := time.ParseDuration(strings.TrimPrefix(l, "advance "))
			if err != nil {
				t.Fatalf("line %d: %s: %v", i+1, l, err)
			}
			s.clock.Add(d)
		case strings.HasPrefix(l, "shop "):
			b.WriteString(l + "\n")
			record(i, s.moveOrder(from, l, expected(lines[i+1:])))
			continue
		case strings.HasPrefix(l, "withdraw "):
			s.withdraw(strings.TrimSpace(strings.TrimPrefix(l, "withdraw ")))
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "set ") || l == "journey" || l == "end":
			// comments, settings (read before the start) and segment
			// budgets (agent/shop checks those) change nothing here
		default:
			t.Fatalf("line %d: %q is new to this replay; teach it what agent/shop's golden test does", i+1, l)
		}
		if l != "" || b.Len() > 0 {
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// expected counts the messages the golden file lists after a sent line.
func expected(rest []string) int {
	n := 0
	for _, l := range rest {
		switch {
		case l == "< no reply":
		case strings.HasPrefix(l, "< "):
			n++
		case strings.HasPrefix(l, "|"):
		default:
			return n
		}
	}
	return n
}

// withdraw stops selling sku, as a withdrawal from the central catalog
// does.
func (s *stack) withdraw(sku string) {
	s.t.Helper()
	err := s.db.Update(func(tx *store.Tx) error { return catalog.SetActive(tx.Bolt(), sku, false) })
	if err != nil {
		s.t.Fatalf("withdraw %s: %v", sku, err)
	}
}
