package shop

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/modem/pdu"
)

var update = flag.Bool("update", false, "rewrite the golden conversations in testdata")

// A conversation file is a script of what people send, with what the shop
// answered after each line:
//
//	# comment
//	from +919811110001      who sends the next lines
//	> 2 atta 5kg, 1 oil     an SMS ("\n" for a line break)
//	call                    a missed call
//	advance 2h              the clock moves on
//	withdraw TIL500         the item stops being sold (as a central withdrawal does)
//	journey                 count segments from here...
//	shop accept             the shop moves the sender's latest order on, as
//	                        the console does (accept, pack, dispatch,
//	                        deliver, reject, cancel; a reason may follow)
//	end                     ...to here, where an order must have been placed
//	< reply, 1 gsm7         what was queued (regenerated, never read)
//	> STATUS #1             #n is the n-th order placed (ids are random)
//	| Added 2x ...          its text, line by line
//
// A changed answer fails the test until the file is rewritten on purpose
// with -update.

// journey is the segment count of one journey in a conversation.
type journey struct {
	in, out, inMsgs, outMsgs int
	placed, delivered        bool
}

func runScript(t testing.TB, h *harness, script string) (string, []journey) {
	t.Helper()
	var (
		b        strings.Builder
		from     = shopper
		journeys []journey
		cur      *journey
	)
	record := func(out []store.Outbound) {
		h.ids.Learn(t, h.db)
		if len(out) == 0 {
			b.WriteString("< no reply\n")
		}
		for _, o := range out {
			n, enc := pdu.Count(o.Text)
			if n != o.Segments || enc != o.Encoding {
				t.Errorf("outbox says %d %s, pdu.Count %d %s", o.Segments, o.Encoding, n, enc)
			}
			kind := o.Priority.String()
			if o.To != from {
				kind += " to " + o.To
			}
			fmt.Fprintf(&b, "< %s, %d %s\n", kind, o.Segments, o.Encoding)
			for _, l := range lines(h.ids.Hide(o.Text)) {
				fmt.Fprintf(&b, "| %s\n", l)
			}
			if cur != nil && o.To == from {
				cur.out += o.Segments
				cur.outMsgs++
				if strings.Contains(o.Text, "placed") || strings.Contains(o.Text, "हो गया!") || strings.Contains(o.Text, "ho gaya!") {
					cur.placed = true
				}
			}
		}
	}
	for _, l := range strings.Split(script, "\n") {
		switch {
		case strings.HasPrefix(l, "<") || strings.HasPrefix(l, "|"):
			continue // regenerated
		case strings.HasPrefix(l, "> ") || l == ">":
			text := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(l, ">"), " "), `\n`, "\n")
			b.WriteString(l + "\n")
			if cur != nil {
				n, _ := pdu.Count(text)
				cur.in += n
				cur.inMsgs++
			}
			record(h.send(from, h.ids.Show(text)))
			continue
		case strings.HasPrefix(l, "from "):
			from = strings.TrimSpace(strings.TrimPrefix(l, "from "))
		case l == "call":
			b.WriteString(l + "\n")
			record(h.call(from))
			continue
		case strings.HasPrefix(l, "advance "):
			d, err := time.ParseDuration(strings.TrimPrefix(l, "advance "))
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			h.clock.Add(d)
		case strings.HasPrefix(l, "withdraw "):
			sku := strings.TrimSpace(strings.TrimPrefix(l, "withdraw "))
			err := h.db.Update(func(tx *store.Tx) error { return catalog.SetActive(tx.Bolt(), sku, false) })
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
		case strings.HasPrefix(l, "shop "):
			b.WriteString(l + "\n")
			h.clock.Add(10 * time.Minute)
			if err := testkit.MoveOrder(h.db, from, l, h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			record(h.drain())
			if cur != nil {
				cur.delivered = cur.delivered || strings.Fields(l)[1] == "deliver"
			}
			continue
		case l == "journey":
			cur = &journey{}
		case l == "end":
			if cur == nil {
				t.Fatalf("end without journey")
			}
			journeys = append(journeys, *cur)
			cur = nil
		}
		if l != "" || b.Len() > 0 {
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n", journeys
}

// journeyBudgets are the most segments in and out an order may take from
// the shopper's first message to its delivery, replies and notifications.
var journeyBudgets = map[string][2]int{
	"new_shopper.txt":      {3, 5},
	"repeat.txt":           {2, 4},
	"readme_order.txt":     {5, 7},
	"hindi_shopper.txt":    {6, 8},
	"hinglish_shopper.txt": {3, 5},
}

func TestConversations(t *testing.T) {
	testkit.EachGolden(t, "testdata/*.txt", func(t *testing.T, f, src string) {
		h := newHarness(t, testkit.ShopConfig(t, testkit.ShopSettings(src)), testkit.ExampleCatalog(t))
		got, journeys := runScript(t, h, src)
		testkit.CheckGolden(t, f, src, got, *update, "conversation")
		checkBudgets(t, got)
		if b, ok := journeyBudgets[filepath.Base(f)]; ok {
			if len(journeys) == 0 {
				t.Fatalf("no journey in %s", f)
			}
			for _, j := range journeys {
				if !j.placed || !j.delivered || j.in > b[0] || j.out > b[1] {
					t.Errorf("journey placed=%v delivered=%v in %d/%d segments, want an order delivered in at most %d/%d",
						j.placed, j.delivered, j.in, j.out, b[0], b[1])
				}
			}
		}
	})
}

// checkBudgets: every reply in a transcript fits its language's budget.
func checkBudgets(t *testing.T, transcript string) {
	for _, l := range strings.Split(transcript, "\n") {
		var kind string
		var n int
		var enc string
		if !strings.HasPrefix(l, "< ") || l == "< no reply" {
			continue
		}
		i := strings.LastIndex(l, ", ")
		kind = l[2:i]
		if _, err := fmt.Sscanf(l[i+2:], "%d %s", &n, &enc); err != nil {
			t.Fatalf("bad reply line %q", l)
		}
		if enc == "gsm7" && n > 1 || enc == "ucs2" && n > 2 {
			t.Errorf("%s costs %d %s segments", kind, n, enc)
		}
	}
}
