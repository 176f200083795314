package shop

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// testConfig is the shop the tests run: both payments, an operator.
const testConfig = `
[shop]
name = "Sharma Kirana"
opens = "08:00"
closes = "21:00"
min_order = 100
delivery_fee = 20
free_delivery_from = 500
payments = ["cod", "upi"]
upi_vpa = "sharmakirana@okaxis"
operators = ["+919800000009"]
operator_pin = "4321"
`

// Numbers in the tests.
const (
	shopper  = "+919811110001"
	operator = "+919800000009"
	ownSIM   = "+919800000000"
)

// start is 10:00 in the shop (India), a Monday.
var start = time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is a shop over a real store file with the example catalog.
type harness struct {
	t     testing.TB
	db    *store.DB
	shop  *Shop
	clock *clock
	seq   uint64
	ids   []string // orders placed, for golden files
}

func shopConfig(t testing.TB, extra string) config.Shop {
	t.Helper()
	c, err := config.Parse("test.toml", []byte(testConfig+extra))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return c.Shop
}

func kirana(t testing.TB) []catalog.Item {
	t.Helper()
	b, err := os.ReadFile("testdata/kirana.csv")
	if err != nil {
		t.Fatal(err)
	}
	var keep [][]byte
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("#")) {
			keep = append(keep, l)
		}
	}
	items, err := catalog.ParseCSV(bytes.NewReader(bytes.Join(keep, nil)))
	if err != nil {
		t.Fatalf("parse kirana.csv: %v", err)
	}
	return items
}

func newHarness(t testing.TB, cfg config.Shop, items []catalog.Item) *harness {
	t.Helper()
	clk := &clock{t: start}
	log := zerolog.Nop()
	if tt, ok := t.(*testing.T); ok {
		log = zerolog.New(zerolog.NewTestWriter(tt)).Level(zerolog.InfoLevel)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "tokri.db"), store.Options{Now: clk.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		err := db.Bolt().View(func(tx *bbolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		})
		if err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		db.Close()
	})
	err = db.Update(func(tx *store.Tx) error {
		if _, err := catalog.Import(tx.Bolt(), items); err != nil {
			return err
		}
		return orders.SetShopName(tx.Bolt(), cfg.Name) // as the agent's wiring does
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	loc, _ := time.LoadLocation("Asia/Kolkata")
	s := New(Options{Config: cfg, Cache: catalog.NewCache(), Log: log, Now: clk.Now, OwnNumber: ownSIM, Location: loc})
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

func (h *harness) drain() []store.Outbound {
	h.t.Helper()
	var out []store.Outbound
	for {
		o, ok, _, err := h.db.NextOutbound(h.clock.Now().Add(time.Hour), 0)
		if err != nil {
			h.t.Fatal(err)
		}
		if !ok {
			break
		}
		if err := h.db.MarkSent(o.ID, h.clock.Now()); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, o)
	}
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
