package shop

import (
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
)

// BenchmarkJourneyRetained is what the store holds per 1,000 orders (a
// new shopper's journey each) with retention on: the data in use with
// nothing pruned, once the month of messages and sent log is pruned
// (what each order of the last year costs), and once the orders are a
// year old and pruned too (what stays for good: the shopper's profile).
// The server has acknowledged every order (the sync outbox is empty).
// Commits are not synced here: the size is the point.
func BenchmarkJourneyRetained(b *testing.B) {
	h := journeyHarness(b)
	h.db.Bolt().NoSync = true
	before := used(b, h.db)
	b.ResetTimer()
	_, _, delivered := runJourneys(b, h, "new_shopper.txt")
	b.StopTimer()
	held := used(b, h.db)
	err := h.db.Update(func(tx *store.Tx) error {
		recs, err := outbox.Pending(tx.Bolt(), 0, 0)
		if err != nil {
			return err
		}
		seqs := make([]uint64, len(recs))
		for i, r := range recs {
			seqs[i] = r.Seq
		}
		return outbox.Ack(tx.Bolt(), seqs)
	})
	if err != nil {
		b.Fatal(err)
	}
	prune := func(after time.Duration) int64 {
		h.clock.Add(after)
		if _, err := h.db.Prune(h.clock.Now(), 30*24*time.Hour); err != nil {
			b.Fatal(err)
		}
		if _, err := orders.PruneBefore(h.db, h.clock.Now().Add(-365*24*time.Hour)); err != nil {
			b.Fatal(err)
		}
		return used(b, h.db)
	}
	month := prune(31 * 24 * time.Hour)
	year := prune(335 * 24 * time.Hour)
	per := func(n int64) float64 { return float64(n-before) / float64(delivered) * 1000 / (1 << 20) }
	b.ReportMetric(per(held), "MB/1000-orders")
	b.ReportMetric(per(month), "MB/1000-orders-month")
	b.ReportMetric(per(year), "MB/1000-orders-year")
}

func used(b *testing.B, db *store.DB) int64 {
	n, err := db.Used()
	if err != nil {
		b.Fatal(err)
	}
	return n
}
