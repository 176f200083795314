package store

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"
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

// BenchmarkCheckAtOpen is what the check at open costs on a store of
// 10,000 shopper SMS with their replies (about 9 MB, a busy month kept by
// retention): the bounded page walk that keeps a damaged file from
// faulting, and bbolt's own check after it.
func BenchmarkCheckAtOpen(b *testing.B) {
	db := openTest(b, Options{})
	db.bolt.NoSync = true
	raws := deliveries(10000)
	for i, raw := range raws {
		roundTrip(b, db.DB, raw, i)
	}
	b.ReportMetric(float64(used(b, db.DB))/(1<<20), "MB")
	walk := func(tx *bbolt.Tx) error { return checkPages(tx) }
	check := func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}
	for _, c := range []struct {
		name string
		f    func(*bbolt.Tx) error
	}{{"pages", walk}, {"bbolt", check}, {"both", CheckTx}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := db.bolt.View(c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
