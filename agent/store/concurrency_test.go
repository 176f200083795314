package store

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse runs intake (with re-reads), handling, the sender and
// readers at once; run with -race. Each distinct PDU must become exactly
// one inbound, each inbound be handled exactly once, each reply be sent
// exactly once.
func TestConcurrentUse(t *testing.T) {
	db := openTest(t, Options{})
	const producers, perProducer = 4, 40
	long := []string{pduNRF1, pduNRF4, pduNRF2, pduNRF3, pduNRF5}

	var (
		mu      sync.Mutex // guards following
		handled = map[uint64]int{}
		sent    = map[uint64]int{}
	)
	// A bug that leaves work undone must fail the test, not hang it.
	deadline := time.Now().Add(30 * time.Second)
	late := func(who string) bool {
		if time.Now().After(deadline) {
			t.Errorf("%s did not finish", who)
			return true
		}
		return false
	}
	produced := make(chan struct{})
	var prodWG sync.WaitGroup
	for p := range producers {
		prodWG.Go(func() {
			for i := range perProducer {
				n := p*perProducer + i
				// Every PDU is read twice, the second time by another
				// producer's turn, as a modem re-listing storage would.
				for _, m := range []int{n, (n + perProducer) % (producers * perProducer)} {
					if _, err := db.Intake([]byte(deliverPDU(m)), t0); err != nil {
						t.Errorf("Intake: %v", err)
						return
					}
				}
				if i < len(long) {
					if _, err := db.Intake([]byte(long[(i+p)%len(long)]), t0); err != nil {
						t.Errorf("Intake part: %v", err)
					}
				}
			}
		})
	}
	go func() { prodWG.Wait(); close(produced) }()

	var handWG sync.WaitGroup
	for range 3 {
		handWG.Go(func() {
			for {
				done := false
				select {
				case <-produced:
					done = true
				default:
				}
				if late("handler") {
					return
				}
				pending, err := db.Pending()
				if err != nil {
					t.Errorf("Pending: %v", err)
					return
				}
				if len(pending) == 0 && done {
					return
				}
				for _, in := range pending {
					err := db.Handle(in.ID, func(tx *Tx, in Inbound) error {
						mu.Lock()
						handled[in.ID]++
						mu.Unlock()
						_, err := tx.Enqueue(Outbound{To: in.From, Text: "reply to " + in.Text, Priority: Reply})
						return err
					})
					if err != nil && !errors.Is(err, ErrHandled) {
						t.Errorf("Handle: %v", err)
					}
				}
			}
		})
	}
	handled3 := make(chan struct{})
	go func() { handWG.Wait(); close(handled3) }()

	senderDone := make(chan struct{})
	go func() {
		defer close(senderDone)
		mr := 0
		for !late("sender") {
			out, ok, _, err := db.nextOut(t0, 0)
			if err != nil {
				t.Errorf("NextOutbound: %v", err)
				return
			}
			if !ok {
				select {
				case <-handled3:
					if _, ok, _, _ := db.nextOut(t0, 0); !ok {
						return
					}
				case <-db.OutboxSignal():
				case <-time.After(10 * time.Millisecond):
				}
				continue
			}
			for part := out.PartsSent + 1; part <= out.Segments; part++ {
				if err := db.RecordParts(out.ID, SentPart{Part: part, MR: mr % 256, At: t0}); err != nil {
					t.Errorf("MarkPartSent: %v", err)
					return
				}
				mr++
			}
			if err := db.recordSent(out.ID, t0); err != nil {
				t.Errorf("MarkSent: %v", err)
				return
			}
			mu.Lock()
			sent[out.InReplyTo]++
			mu.Unlock()
		}
	}()

	var readWG sync.WaitGroup
	for range 2 {
		readWG.Go(func() {
			for {
				select {
				case <-senderDone:
					return
				default:
				}
				if _, _, _, err := db.nextOut(t0, 1000); err != nil {
					t.Errorf("NextOutbound: %v", err)
					return
				}
				if _, err := db.Stats(t0); err != nil {
					t.Errorf("Stats: %v", err)
					return
				}
			}
		})
	}
	<-senderDone
	readWG.Wait()

	want := producers*perProducer + 1 // every single PDU, and the long message once
	if len(handled) != want {
		t.Errorf("%d inbound handled, want %d", len(handled), want)
	}
	for id, n := range handled {
		if n != 1 {
			t.Errorf("inbound %d handled %d times", id, n)
		}
		if sent[id] != 1 {
			t.Errorf("reply to %d sent %d times", id, sent[id])
		}
	}
	s := db.stats()
	if s.InboxPending != 0 || s.PartialGroups != 0 || s.Queued != [4]int{} || s.Sent != want {
		t.Errorf("final stats = %+v", s)
	}
}
