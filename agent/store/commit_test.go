package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.etcd.io/bbolt"
)

func TestCommitGroup(t *testing.T) {
	db := openTest(t, Options{})
	runs := map[string]int{}
	write := func(key string, fail error) *commitOp {
		return &commitOp{wake: make(chan bool, 1), fn: func(tx *bbolt.Tx) error {
			runs[key]++
			if err := tx.Bucket(bucketShop).Put([]byte(key), []byte("v")); err != nil {
				return err
			}
			return fail
		}}
	}
	refused := errors.New("refused before writing")
	broken := errors.New("failed after writing")
	ops := []*commitOp{
		write("a", nil),
		{wake: make(chan bool, 1), fn: func(*bbolt.Tx) error { runs["clean"]++; return clean(refused) }},
		write("b", broken),
		{wake: make(chan bool, 1), fn: func(tx *bbolt.Tx) error {
			runs["panic"]++
			_ = tx.Bucket(bucketShop).Put([]byte("p"), []byte("v"))
			panic("shop bug")
		}},
		write("c", nil),
	}
	db.commitGroup(ops)

	if ops[0].err != nil || ops[4].err != nil {
		t.Errorf("good ops: %v, %v", ops[0].err, ops[4].err)
	}
	if ops[1].err != refused {
		t.Errorf("clean op err = %v, want %v unwrapped", ops[1].err, refused)
	}
	if ops[2].err != broken {
		t.Errorf("failing op err = %v", ops[2].err)
	}
	if ops[3].panicked != "shop bug" {
		t.Errorf("panicking op: %v", ops[3].panicked)
	}
	// The first run stops at b, the second at the panic; the third
	// commits. Functions after a failure do not run in that round.
	want := map[string]int{"a": 3, "clean": 3, "b": 1, "panic": 1, "c": 1}
	if fmt.Sprint(runs) != fmt.Sprint(want) {
		t.Errorf("runs = %v, want %v", runs, want)
	}
	err := db.View(func(tx *Tx) error {
		b := tx.Bolt().Bucket(bucketShop)
		for key, present := range map[string]bool{"a": true, "b": false, "p": false, "c": true} {
			if (b.Get([]byte(key)) != nil) != present {
				t.Errorf("key %s present = %v, want %v", key, !present, present)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdatePanicReachesCaller(t *testing.T) {
	db := openTest(t, Options{})
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want the panic of fn", r)
		}
		// The store still works after a panic.
		if _, err := db.Intake([]byte(pduTest2), t0); err != nil {
			t.Errorf("Intake after panic: %v", err)
		}
	}()
	_ = db.Update(func(*Tx) error { panic("boom") })
}

// TestHandleFailuresAmongConcurrentWriters: Handles that fail while
// sharing transactions with others roll back only themselves.
func TestHandleFailuresAmongConcurrentWriters(t *testing.T) {
	db := openTest(t, Options{})
	const n = 60
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = db.intake(deliverPDU(i), t0).ID
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			<-start
			err := db.Handle(id, func(tx *Tx, in Inbound) error {
				if _, err := tx.Enqueue(Outbound{To: in.From, Text: "ok", Priority: Reply}); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("shop refused %d", i)
				}
				return nil
			})
			if (err != nil) != (i%3 == 0) {
				t.Errorf("Handle %d = %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()

	pending := map[uint64]bool{}
	for _, in := range db.pending() {
		pending[in.ID] = true
	}
	replies := map[uint64]int{}
	for {
		out, ok, _, err := db.nextOut(t0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		replies[out.InReplyTo]++
		if err := db.recordSent(out.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range ids {
		failed := i%3 == 0
		if pending[id] != failed {
			t.Errorf("inbound %d pending = %v", i, pending[id])
		}
		if want := map[bool]int{true: 0, false: 1}[failed]; replies[id] != want {
			t.Errorf("inbound %d: %d replies, want %d", i, replies[id], want)
		}
	}
}
