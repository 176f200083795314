package shop

import (
	"fmt"
	"os"
	"testing"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

// benchJourney runs a conversation file over and over with a new shopper
// each time and reports the segments in and out per order delivered, from
// the first message to the delivery: replies, menus and notifications.
func benchJourney(b *testing.B, file string) {
	h := journeyHarness(b)
	before := storeSize(b, h.db)
	b.ResetTimer()
	in, out, delivered := runJourneys(b, h, file)
	b.ReportMetric(float64(in)/float64(delivered), "segs-in/order")
	b.ReportMetric(float64(out)/float64(delivered), "segs-out/order")
	// What the store file grows by, with nothing pruned: the order, its
	// messages both ways, the sent log, the shopper's session and profile.
	b.ReportMetric(float64(storeSize(b, h.db)-before)/float64(delivered)*1000/(1<<20), "store-MB/1000-orders")
}

// journeyHarness is a shop on the example catalog with stock enough for
// every round.
func journeyHarness(b *testing.B) *harness {
	h := newHarness(b, testkit.ShopConfig(b, "messages_per_hour = 1000\nreplies_per_day = 1000\n"), testkit.ExampleCatalog(b))
	err := h.db.Update(func(tx *store.Tx) error {
		items, err := catalog.Items(tx.Bolt())
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := catalog.Move(tx.Bolt(), catalog.Movement{SKU: it.SKU, Counted: true, Count: 1_000_000, Reason: "set", At: h.clock.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// runJourneys runs the conversation file b.N times, a new shopper each
// time, and counts the segments in and out of the orders delivered.
func runJourneys(b *testing.B, h *harness, file string) (in, out, delivered int) {
	src, err := os.ReadFile("testdata/" + file)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		script := fmt.Sprintf("from +91982%07d\n", i) + stripFrom(string(src))
		_, js := runScript(b, h, script)
		for _, j := range js {
			if j.placed && j.delivered {
				delivered++
				in += j.in
				out += j.out
			}
		}
	}
	if delivered == 0 {
		b.Fatal("no order delivered")
	}
	return in, out, delivered
}

// storeSize is the store's used size: bbolt's high-water mark of pages,
// which the file grows to (in steps) and never shrinks below without
// compaction.
func storeSize(b *testing.B, db *store.DB) int64 {
	var n int64
	if err := db.View(func(tx *store.Tx) error { n = tx.Bolt().Size(); return nil }); err != nil {
		b.Fatal(err)
	}
	return n
}

// stripFrom drops "from" lines so the benchmark's sender is used.
func stripFrom(s string) string {
	var keep []string
	for _, l := range lines(s) {
		if len(l) < 5 || l[:5] != "from " {
			keep = append(keep, l)
		}
	}
	out := ""
	for _, l := range keep {
		out += l + "\n"
	}
	return out
}

func BenchmarkJourneyNewShopper(b *testing.B)   { benchJourney(b, "new_shopper.txt") }
func BenchmarkJourneyRepeat(b *testing.B)       { benchJourney(b, "repeat.txt") }
func BenchmarkJourneyHindiShopper(b *testing.B) { benchJourney(b, "hindi_shopper.txt") }
func BenchmarkJourneyReadmeOrder(b *testing.B)  { benchJourney(b, "readme_order.txt") }
func BenchmarkJourneyHinglish(b *testing.B)     { benchJourney(b, "hinglish_shopper.txt") }

// BenchmarkHandle is Handle alone, one message at a time inside one
// write transaction (the commit's fsync is the store's cost, measured
// there), against a 5,000-item catalog: welcome, pages, search, an order
// of two lines, the cart. The target is under 1 ms a message.
func BenchmarkHandle(b *testing.B) {
	h := newHarness(b, testkit.ShopConfig(b, "messages_per_hour = 1000\nreplies_per_day = 1000\n"), catalog.Generate(5000, 1))
	texts := []string{"HI", "1", "9", "atta", "2 atta 5kg, 1 oil", "CART", "sugr 1kg", "0"}
	h.send(shopper, "HI") // build the index outside the timing
	err := h.db.Update(func(tx *store.Tx) error {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			in := store.Inbound{ID: uint64(i + 10), Channel: store.ChannelSMS, From: fmt.Sprintf("+91983%07d", i%500), Text: texts[i%len(texts)]}
			if err := h.shop.Handle(tx, in); err != nil {
				return err
			}
		}
		b.StopTimer()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
