package shop

import (
	"sort"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// Numbers in the tests: those of the golden conversations' shop.
const (
	shopper  = testkit.Shopper
	operator = testkit.Operator
	ownSIM   = testkit.OwnSIM
)

// harness is a shop over a real store file with the example catalog.
type harness struct {
	t     testing.TB
	db    *store.DB
	shop  *Shop
	clock *testtime.Clock
	seq   uint64
	ids   testkit.OrderIDs // orders placed, for golden files
}

func newHarness(t testing.TB, cfg config.Shop, items []catalog.Item) *harness {
	t.Helper()
	clk := testtime.NewClock(testkit.ShopStart)
	log := testkit.InfoLog(t)
	db := testkit.OpenStore(t, store.Options{Now: clk.Now, Log: log})
	testkit.ImportShop(t, db, cfg.Name, items)
	loc, _ := time.LoadLocation("Asia/Kolkata")
	s := New(Options{Config: cfg, Cache: catalog.NewCache(), Log: log, Now: clk.Now, OwnNumber: ownSIM, Location: loc})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return orders.SetNotices(tx, s.Notices()) })
	return &harness{t: t, db: db, shop: s, clock: clk}
}

// send hands the shop one message from `from` and returns everything
// queued by it, in order, taken out of the outbox as the sender would.
func (h *harness) send(from, text string) []store.Outbound {
	return h.inbound(store.Inbound{Channel: store.ChannelSMS, From: from, Text: text, Encoding: "gsm7", Parts: 1})
}

func (h *harness) call(from string) []store.Outbound {
	return h.inbound(store.Inbound{Channel: store.ChannelCall, From: from})
}

func (h *harness) inbound(in store.Inbound) []store.Outbound {
	h.t.Helper()
	h.seq++
	h.clock.Add(time.Minute) // people take a minute to answer
	in.ID = h.seq
	in.SCTS, in.ReceivedAt = h.clock.Now(), h.clock.Now()
	err := h.db.Update(func(tx *store.Tx) error { return h.shop.Handle(tx, in) })
	if err != nil {
		h.t.Fatalf("handle %q: %v", in.Text, err)
	}
	return h.drain()
}

// drain takes everything queued out of the outbox, as the sender would,
// in the order the shop queued it.
func (h *harness) drain() []store.Outbound {
	h.t.Helper()
	out := testkit.Drain(h.t, h.db, h.clock.Now())
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// replies keeps the Reply-priority messages of out.
func replies(out []store.Outbound) []store.Outbound {
	var r []store.Outbound
	for _, o := range out {
		if o.Priority == store.Reply {
			r = append(r, o)
		}
	}
	return r
}

func lines(s string) []string { return strings.Split(s, "\n") }
