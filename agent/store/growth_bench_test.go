package store

import (
	"testing"
	"time"
)

// BenchmarkMessageGrowth is what the store file holds per 10,000 shopper
// SMS (each with its one-segment reply, sent): first with nothing pruned,
// then after retention (Prune with the default 30 days, a month later).
// Run it with -benchtime 10000x for a store of that size; commits are not
// synced here, as the size is the point.
func BenchmarkMessageGrowth(b *testing.B) {
	db := openTest(b, Options{})
	db.bolt.NoSync = true
	raws := deliveries(b.N)
	before := used(b, db.DB)
	b.ResetTimer()
	for i := range b.N {
		roundTrip(b, db.DB, raws[i], i)
	}
	b.StopTimer()
	held := used(b, db.DB)
	if _, err := db.Prune(t0.Add(31*24*time.Hour), 30*24*time.Hour); err != nil {
		b.Fatal(err)
	}
	left := used(b, db.DB)
	per := func(n int64) float64 { return float64(n) / float64(b.N) * 10000 / (1 << 20) }
	b.ReportMetric(per(held-before), "MB/10k-msgs")
	b.ReportMetric(per(left-before), "MB/10k-msgs-pruned")
}

func used(b *testing.B, db *DB) int64 {
	n, err := db.Used()
	if err != nil {
		b.Fatal(err)
	}
	return n
}
