package agent

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/modem/pdu"
)

// radio stands in for the air in these loop tests: it records each TPDU
// and answers with the next result. The real modem over a pty is in
// agent/e2e.
type radio struct {
	mu    sync.Mutex
	tpdus [][]byte
	fail  func(n int) error // error for the n-th send (0-based), nil to accept
}

func (r *radio) SendPDU(ctx context.Context, tpdu []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.tpdus)
	if r.fail != nil {
		if err := r.fail(n); err != nil {
			return 0, err
		}
	}
	r.tpdus = append(r.tpdus, tpdu)
	return n % 256, nil
}

var errFinal = errors.New("barred")

func newTestAgent(t *testing.T, r *radio, opts Options) (*Agent, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "tokri.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opts.DB, opts.Modem = db, r
	opts.Log = zerolog.New(zerolog.NewTestWriter(t))
	if opts.Retryable == nil {
		opts.Retryable = func(err error) bool { return !errors.Is(err, errFinal) }
	}
	return New(opts), db
}

func enqueue(t *testing.T, db *store.DB, text string) uint64 {
	t.Helper()
	var id uint64
	err := db.Update(func(tx *store.Tx) error {
		var err error
		id, err = tx.Enqueue(store.Outbound{To: "+919812345678", Text: text, Priority: store.Reply})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSendNextSendsEveryPartOnce(t *testing.T) {
	r := &radio{}
	a, db := newTestAgent(t, r, Options{})
	long := strings.Repeat("Aashirvaad Atta 5 kg Rs 285. ", 12) // 3 GSM-7 parts
	id := enqueue(t, db, long)
	sent, err := a.SendNext(context.Background())
	if err != nil || !sent {
		t.Fatalf("SendNext = %v, %v", sent, err)
	}
	if len(r.tpdus) != 3 {
		t.Fatalf("%d TPDUs on the air, want 3", len(r.tpdus))
	}
	log, err := db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].ID != id || log[0].PartsSent != 3 || log[0].Failed {
		t.Fatalf("sent log = %+v", log)
	}
	if sent, err := a.SendNext(context.Background()); sent || err != nil {
		t.Fatalf("second SendNext = %v, %v; the outbox should be empty", sent, err)
	}
}

func TestSendNextResumesAfterAFailedPart(t *testing.T) {
	// The second part fails: the first is not sent again on the retry.
	failOnce := true
	r := &radio{fail: func(n int) error {
		if n == 1 && failOnce {
			failOnce = false
			return errors.New("no network")
		}
		return nil
	}}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, db := newTestAgent(t, r, Options{Now: func() time.Time { return now }, RetryBase: time.Second, RetryMax: time.Minute})
	id := enqueue(t, db, strings.Repeat("Toor dal 1 kg Rs 160. ", 12))
	if _, err := a.SendNext(context.Background()); err != nil {
		t.Fatal(err)
	}
	out, err := db.Outbound(id)
	if err != nil {
		t.Fatal(err)
	}
	if out.PartsSent != 1 || out.Attempts != 1 || !out.NextAttempt.After(now) {
		t.Fatalf("after failure: %+v", out)
	}
	if sent, _ := a.SendNext(context.Background()); sent {
		t.Fatal("retried before its back-off ended")
	}
	now = out.NextAttempt
	if sent, err := a.SendNext(context.Background()); !sent || err != nil {
		t.Fatalf("retry: %v, %v", sent, err)
	}
	segs, _ := pdu.Count(out.Text)
	if len(r.tpdus) != segs {
		t.Errorf("%d TPDUs on the air for a %d-part message: a part went twice", len(r.tpdus), segs)
	}
}

func TestSendNextRecordsWhatWentWhenStopped(t *testing.T) {
	// The agent stops while the first of three parts is on the air: that
	// part is recorded, and the next start sends only the other two.
	ctx, stop := context.WithCancel(context.Background())
	r := &radio{fail: func(n int) error {
		if n == 0 {
			stop()
		}
		return nil
	}}
	a, db := newTestAgent(t, r, Options{})
	id := enqueue(t, db, strings.Repeat("Toor dal 1 kg Rs 160. ", 18))
	if sent, err := a.SendNext(ctx); sent || !errors.Is(err, context.Canceled) {
		t.Fatalf("SendNext = %v, %v; want false, canceled", sent, err)
	}
	if out, err := db.Outbound(id); err != nil || out.PartsSent != 1 || len(r.tpdus) != 1 {
		t.Fatalf("after the stop: %+v, %v, %d TPDUs; want the one part on the air recorded", out, err, len(r.tpdus))
	}
	if sent, err := a.SendNext(context.Background()); !sent || err != nil {
		t.Fatalf("next start: %v, %v", sent, err)
	}
	if len(r.tpdus) != 3 {
		t.Errorf("%d TPDUs on the air for a 3-part message: a part went twice or not at all", len(r.tpdus))
	}
}

func TestSendNextGivesUpOnFinalErrors(t *testing.T) {
	r := &radio{fail: func(int) error { return errFinal }}
	a, db := newTestAgent(t, r, Options{})
	enqueue(t, db, "Your order K7M4P is packed.")
	if _, err := a.SendNext(context.Background()); err != nil {
		t.Fatal(err)
	}
	log, err := db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || !log[0].Failed || !strings.Contains(log[0].LastError, "barred") {
		t.Fatalf("sent log = %+v, want one failed record", log)
	}
}

func TestSendNextStopsAtTheAttemptLimit(t *testing.T) {
	r := &radio{fail: func(int) error { return errors.New("congestion") }}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a, db := newTestAgent(t, r, Options{Now: func() time.Time { return now }, MaxAttempts: 3})
	id := enqueue(t, db, "hello")
	for i := 0; i < 3; i++ {
		if _, err := a.SendNext(context.Background()); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	if _, err := db.Outbound(id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("still in the outbox after 3 attempts: %v", err)
	}
	if log, _ := db.SentLog(0); len(log) != 1 || !log[0].Failed || log[0].Attempts != 3 {
		t.Fatalf("sent log = %+v", log)
	}
}

func TestDailyCapHoldsMessagesBack(t *testing.T) {
	r := &radio{}
	a, db := newTestAgent(t, r, Options{DailyCap: 2})
	for range 3 {
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.Enqueue(store.Outbound{To: "+919812345678", Text: "order news", Priority: store.Notification})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		if _, err := a.SendNext(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(r.tpdus) != 2 {
		t.Fatalf("%d sent with a cap of 2", len(r.tpdus))
	}
	if a.cappedDay == "" {
		t.Error("the cap was not reported")
	}
}

func TestHandlePendingRunsTheHandlerOncePerMessage(t *testing.T) {
	r := &radio{}
	calls := 0
	h := HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
		calls++
		return Welcome{}.Handle(tx, in)
	})
	a, db := newTestAgent(t, r, Options{Handler: h})
	// "hi" from +919812345678, as the virtual modem's network delivers it.
	raw := mustHex(t, "0791198904100161040C9119892143658700006211626012652202E834")
	if _, err := db.Intake(raw, time.Now()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := a.HandlePending(); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("handler ran %d times", calls)
	}
	if sent, err := a.SendNext(context.Background()); !sent || err != nil {
		t.Fatalf("no reply queued: %v, %v", sent, err)
	}
}

func TestWelcomeFitsOneSegment(t *testing.T) {
	if n, enc := pdu.Count(WelcomeText); n != 1 || enc != "gsm7" {
		t.Fatalf("welcome costs %d %s segments, want 1 gsm7", n, enc)
	}
}

// A record that is gone from the outbox while its message is on the air
// (given up elsewhere) is logged, not an error: the loop carries on and
// sends the next message. It used to stop the agent with "store: not
// found".
func TestSendNextCarriesOnWhenTheRecordIsGone(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		gone int // the send during which the record goes
	}{
		{"single part", "Your order is packed.", 0},
		{"first of three parts", strings.Repeat("Aashirvaad Atta 5 kg Rs 285. ", 12), 0},
		{"last of three parts", strings.Repeat("Aashirvaad Atta 5 kg Rs 285. ", 12), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var db *store.DB
			var id uint64
			r := &radio{fail: func(n int) error {
				if n == tc.gone {
					if err := db.MarkFailed(id, "given up elsewhere"); err != nil {
						t.Errorf("MarkFailed: %v", err)
					}
				}
				return nil
			}}
			var a *Agent
			a, db = newTestAgent(t, r, Options{})
			id = enqueue(t, db, tc.text)
			next := enqueue(t, db, "Thank you!")
			if sent, err := a.SendNext(context.Background()); err != nil || !sent {
				t.Fatalf("SendNext = %v, %v; want true, nil", sent, err)
			}
			if len(r.tpdus) != tc.gone+1 {
				t.Errorf("%d TPDUs on the air, want %d: nothing after the record went", len(r.tpdus), tc.gone+1)
			}
			if sent, err := a.SendNext(context.Background()); err != nil || !sent {
				t.Fatalf("next SendNext = %v, %v; want the next message sent", sent, err)
			}
			log, err := db.SentLog(0)
			if err != nil {
				t.Fatal(err)
			}
			var ok bool
			for _, s := range log {
				ok = ok || (s.ID == next && !s.Failed)
			}
			if !ok {
				t.Errorf("sent log = %+v, want the next message sent", log)
			}
		})
	}
}
