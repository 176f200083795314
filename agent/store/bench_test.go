package store

import (
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkIntake measures committing one new single-part SMS.
func BenchmarkIntake(b *testing.B) {
	db := openTest(b, Options{})
	raws := deliveries(b.N)
	msgsPerSecond(b, func() {
		for i := range b.N {
			res, err := db.Intake(raws[i], t0)
			if err != nil || !res.Ready() {
				b.Fatalf("Intake %d: %+v %v", i, res, err)
			}
		}
	})
}

// BenchmarkHandle measures handling one inbound with one reply enqueued,
// in one transaction.
func BenchmarkHandle(b *testing.B) {
	db := openTest(b, Options{})
	ids := intakeAll(b, db, b.N)
	msgsPerSecond(b, func() {
		for _, id := range ids {
			err := db.Handle(id, welcome)
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMessageRoundTrip is the store's whole cost of one shopper SMS:
// intake, handle with a reply, and the sender's three commits.
func BenchmarkMessageRoundTrip(b *testing.B) {
	db := openTest(b, Options{})
	raws := deliveries(b.N)
	msgsPerSecond(b, func() {
		for i := range b.N {
			roundTrip(b, db.DB, raws[i], i)
		}
	})
}

// roundTrip is one shopper SMS through the store: intake, handle with a
// one-segment reply, and the sender's commits, all at t0.
func roundTrip(b *testing.B, db *DB, raw []byte, i int) {
	res, err := db.Intake(raw, t0)
	if err != nil {
		b.Fatal(err)
	}
	err = db.Handle(res.ID, welcome)
	if err != nil {
		b.Fatal(err)
	}
	out, ok, _, err := db.nextOut(t0, 0)
	if err != nil || !ok {
		b.Fatal(ok, err)
	}
	if err := db.RecordParts(out.ID, SentPart{Part: 1, MR: i % 256, At: t0}); err != nil {
		b.Fatal(err)
	}
	if err := db.recordSent(out.ID, t0.Add(time.Second)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIntakeParallel is BenchmarkIntake with 16 writers per CPU, as
// when intake, handling and sending overlap: their commits share fsyncs.
func BenchmarkIntakeParallel(b *testing.B) {
	db := openTest(b, Options{})
	raws := deliveries(b.N)
	var next atomic.Int64
	b.SetParallelism(16)
	msgsPerSecond(b, func() {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1) - 1
				if _, err := db.Intake(raws[i], t0); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkHandleParallel is BenchmarkHandle with 16 handlers per CPU.
func BenchmarkHandleParallel(b *testing.B) {
	db := openTest(b, Options{})
	ids := intakeAll(b, db, b.N)
	var next atomic.Int64
	b.SetParallelism(16)
	msgsPerSecond(b, func() {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				id := ids[next.Add(1)-1]
				err := db.Handle(id, welcome)
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// deliveries are n distinct single-part SMS as the modem hands them over.
func deliveries(n int) [][]byte {
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = []byte(deliverPDU(i))
	}
	return raws
}

// intakeAll takes in n distinct single-part SMS and returns their ids.
func intakeAll(b *testing.B, db *testDB, n int) []uint64 {
	ids := make([]uint64, n)
	for i, raw := range deliveries(n) {
		res, err := db.Intake(raw, t0)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = res.ID
	}
	return ids
}

// welcome is the benchmarks' handler: one one-segment reply.
func welcome(tx *Tx, in Inbound) error {
	_, err := tx.Enqueue(Outbound{To: in.From, Text: "Namaste! Reply 1 for atta, 2 for rice, 3 for dal.", Priority: Reply})
	return err
}

// msgsPerSecond times run, with allocations, and reports its rate.
func msgsPerSecond(b *testing.B, run func()) {
	b.ReportAllocs()
	b.ResetTimer()
	run()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
