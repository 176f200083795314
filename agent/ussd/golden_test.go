package ussd

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
)

var update = flag.Bool("update", false, "rewrite the golden sessions in testdata")

// harness is the engine and the SMS shop over one real store file with
// the example catalog.
type harness struct {
	t     testing.TB
	db    *store.DB
	shop  *shop.Shop
	eng   *Engine
	clock *testtime.Clock
	seq   uint64
	ids   testkit.OrderIDs
}

func newHarness(t testing.TB, extra string) *harness {
	t.Helper()
	clk := testtime.NewClock(testkit.ShopStart)
	log := testkit.InfoLog(t)
	db := testkit.OpenStore(t, store.Options{Now: clk.Now, Log: log})
	cfg := testkit.ShopConfig(t, extra)
	testkit.ImportShop(t, db, cfg.Name, testkit.ExampleCatalog(t))
	loc, _ := time.LoadLocation("Asia/Kolkata")
	s := shop.New(shop.Options{Config: cfg, Cache: catalog.NewCache(), Log: log, Now: clk.Now, OwnNumber: testkit.OwnSIM, Location: loc})
	e := New(Options{DB: db, Shop: s, Log: log, Now: clk.Now})
	return &harness{t: t, db: db, shop: s, eng: e, clock: clk}
}

// sms hands the shop an SMS and returns what was queued.
func (h *harness) sms(from, text string) []store.Outbound {
	h.t.Helper()
	h.seq++
	h.clock.Add(time.Minute)
	in := store.Inbound{ID: h.seq, Channel: store.ChannelSMS, From: from, Text: text, Encoding: "gsm7", Parts: 1, SCTS: h.clock.Now(), ReceivedAt: h.clock.Now()}
	if err := h.db.Update(func(tx *store.Tx) error { return h.shop.Handle(tx, in) }); err != nil {
		h.t.Fatalf("sms %q: %v", text, err)
	}
	return h.drain()
}

// step runs one USSD step.
func (h *harness) step(req ussd.Request) (ussd.Reply, []store.Outbound) {
	h.t.Helper()
	h.clock.Add(5 * time.Second)
	rep, err := h.eng.Step(context.Background(), req)
	if err != nil {
		h.t.Fatalf("step %+v: %v", req, err)
	}
	return rep, h.drain()
}

// drain takes everything queued out of the outbox, as the sender would,
// in the order it was queued.
func (h *harness) drain() []store.Outbound {
	h.t.Helper()
	out := testkit.Drain(h.t, h.db, h.clock.Now())
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// A session file is a script with what came back after each line:
//
//	# comment
//	from +919811110001    the shopper of the lines after it
//	lang hi               the shopper's language, as set by LANG
//	dial s1               the shopper dials: session s1 begins
//	> 1                   they answer the screen on show in the session
//	again                 the aggregator sends the last step again
//	drop                  the network ends the session (no END was sent)
//	sms CART              an SMS from the shopper
//	advance 10m           the clock moves on
//	= CON 160             a screen: CON or END and its length (regenerated)
//	| ...                 its lines
//	< sms 1 gsm7          an SMS queued, its segments and encoding
//
// Every screen is checked to fit (ussd.Fits, and never over 182
// characters). A changed answer fails until rewritten with -update.
func runScript(t *testing.T, h *harness, script string) string {
	var (
		b       strings.Builder
		from    = testkit.Shopper
		session string
		inputs  int
		last    ussd.Request
	)
	recordSMS := func(out []store.Outbound) {
		h.ids.Learn(t, h.db)
		for _, o := range out {
			n, enc := pdu.Count(o.Text)
			fmt.Fprintf(&b, "< sms %d %s\n", n, enc)
			for _, l := range strings.Split(h.ids.Hide(o.Text), "\n") {
				fmt.Fprintf(&b, "| %s\n", l)
			}
		}
	}
	run := func(req ussd.Request) {
		last = req
		rep, out := h.step(req)
		n, limit := ussd.Length(rep.Text)
		if n > limit || len([]rune(rep.Text)) > ussd.MaxChars {
			t.Errorf("screen of %d characters (limit %d):\n%s", n, limit, rep.Text)
		}
		if req.Kind != ussd.End {
			kind := "CON"
			if rep.End {
				kind = "END"
			}
			h.ids.Learn(t, h.db)
			fmt.Fprintf(&b, "= %s %d\n", kind, n)
			for _, l := range strings.Split(h.ids.Hide(rep.Text), "\n") {
				fmt.Fprintf(&b, "| %s\n", l)
			}
		}
		recordSMS(out)
	}
	for _, l := range strings.Split(script, "\n") {
		switch {
		case strings.HasPrefix(l, "=") || strings.HasPrefix(l, "|") || strings.HasPrefix(l, "<"):
			continue
		case strings.HasPrefix(l, ">"):
			b.WriteString(l + "\n")
			inputs++
			run(ussd.Request{Session: session, Phone: from, Code: "*384*7#", Kind: ussd.Continue, Input: h.ids.Show(strings.TrimSpace(l[1:])), Seq: inputs})
			continue
		case strings.HasPrefix(l, "dial "):
			b.WriteString(l + "\n")
			session, inputs = strings.TrimSpace(l[5:]), 0
			run(ussd.Request{Session: session, Phone: from, Code: "*384*7#", Kind: ussd.Begin})
			continue
		case l == "again":
			b.WriteString(l + "\n")
			run(last)
			continue
		case l == "drop":
			run(ussd.Request{Session: session, Phone: from, Kind: ussd.End})
		case strings.HasPrefix(l, "sms "):
			b.WriteString(l + "\n")
			recordSMS(h.sms(from, h.ids.Show(l[4:])))
			continue
		case strings.HasPrefix(l, "from "):
			from = strings.TrimSpace(l[5:])
		case strings.HasPrefix(l, "lang "):
			lang := protocol.Lang(strings.TrimSpace(l[5:]))
			testkit.Update(t, h.db, func(tx *bbolt.Tx) error {
				p, _, err := shoppers.Get(tx, from)
				if err != nil {
					return err
				}
				p.Number, p.Lang = from, lang
				return shoppers.Put(tx, p)
			})
		case strings.HasPrefix(l, "advance "):
			d, err := time.ParseDuration(l[8:])
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			h.clock.Add(d)
		}
		if l != "" || b.Len() > 0 {
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func TestSessions(t *testing.T) {
	testkit.EachGolden(t, "testdata/*.txt", func(t *testing.T, f, src string) {
		h := newHarness(t, testkit.ShopSettings(src))
		got := runScript(t, h, src)
		testkit.CheckGolden(t, f, src, got, *update, "session")
	})
}
