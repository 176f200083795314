package agent

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/tpdu"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// floodRig is an agent with the fixed welcome over the radio, with one
// clock, on a SIM whose cap is 100 a day.
type floodRig struct {
	t     *testing.T
	clock *testtime.Clock // the one clock of a flood: the store and the agent read it
	a     *Agent
	db    *store.DB
	r     *radio
}

func newFloodRig(t *testing.T, start time.Time) *floodRig {
	t.Helper()
	clk := testtime.NewClock(start)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	db, err := store.Open(filepath.Join(t.TempDir(), "tokri.db"), store.Options{Now: clk.Now, Location: ist, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &radio{}
	a := New(Options{DB: db, Modem: r, Now: clk.Now, DailyCap: 100, Log: log})
	return &floodRig{t: t, clock: clk, a: a, db: db, r: r}
}

// deliverPDUs encodes text from a number as the SMS-DELIVER PDUs the modem
// would print (no SMSC), one per part.
func deliverPDUs(t *testing.T, from, text string, scts time.Time) [][]byte {
	t.Helper()
	pdus, err := sms.Encode([]byte(text), sms.AsDeliver, sms.From(from))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for i := range pdus {
		pdus[i].SCTS = tpdu.Timestamp{Time: scts.In(ist).Truncate(time.Second)}
		b, err := pdus[i].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte{0}, b...))
	}
	return out
}

// sms takes one text from a number in through the inbox, as the modem
// driver hands it over.
func (f *floodRig) sms(from, text string) {
	f.t.Helper()
	for _, raw := range deliverPDUs(f.t, from, text, f.clock.Now()) {
		if err := f.a.AcceptPDU(context.Background(), raw, f.clock.Now()); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *floodRig) notify(to, text string) {
	f.t.Helper()
	err := f.db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(store.Outbound{To: to, Text: text, Priority: store.Notification})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// step handles what came in and lets the modem send up to n messages, as
// a modem sending one SMS every few seconds would between arrivals.
func (f *floodRig) step(n int) {
	f.t.Helper()
	if err := f.a.HandlePending(); err != nil {
		f.t.Fatal(err)
	}
	for range n {
		sent, err := f.a.SendNext(context.Background())
		if err != nil {
			f.t.Fatal(err)
		}
		if !sent {
			return
		}
	}
}

func (f *floodRig) stats() store.Stats {
	f.t.Helper()
	s, err := f.db.Stats(f.clock.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// sentLog reads the whole sent log: what went (by number) and what was
// dropped unsent.
func (f *floodRig) sentLog() (sent map[string]int, dropped []store.SentRecord) {
	f.t.Helper()
	log, err := f.db.SentLog(0)
	if err != nil {
		f.t.Fatal(err)
	}
	sent = map[string]int{}
	for _, r := range log {
		if r.Failed {
			dropped = append(dropped, r)
			continue
		}
		sent[r.To] += r.PartsSent
	}
	return sent, dropped
}

func number(i int) string { return fmt.Sprintf("+9198%08d", i) }

// Three numbers sending 31 SMS each once took the whole cap of 100. Now
// each gets its share (5 of 100) and real shoppers and order news still
// go out the same day.
func TestFloodOfThreeNumbersLeavesTheCapForOthers(t *testing.T) {
	f := newFloodRig(t, time.Date(2026, 1, 21, 10, 0, 0, 0, ist))
	flooders := []string{number(1), number(2), number(3)}
	var shoppers, notified []string
	for i := range 31 {
		f.clock.Add(time.Minute)
		for _, n := range flooders {
			f.sms(n, fmt.Sprintf("buy now %d", i))
		}
		if i%6 == 3 {
			s := number(100 + i)
			shoppers = append(shoppers, s)
			f.sms(s, "hi")
		}
		if i == 10 || i == 20 {
			n := number(200 + i)
			notified = append(notified, n)
			f.notify(n, "Order #K7M3 is packed.")
		}
		f.step(5)
	}
	// Past the reply age limit the flooders' held replies are dropped.
	for range 40 {
		f.clock.Add(time.Minute)
		f.step(5)
	}
	sent, dropped := f.sentLog()
	total := 0
	for _, n := range sent {
		total += n
	}
	for _, n := range flooders {
		if sent[n] > 5 {
			t.Errorf("flooder %s got %d SMS, more than its share of 5", n, sent[n])
		}
	}
	for _, s := range append(shoppers, notified...) {
		if sent[s] != 1 {
			t.Errorf("%s got %d SMS, want 1", s, sent[s])
		}
	}
	if total > 100 {
		t.Errorf("%d SMS sent, over the cap of 100", total)
	}
	st := f.stats()
	if st.Queued[store.Reply] != 0 || len(dropped) != 3*31-sent[flooders[0]]-sent[flooders[1]]-sent[flooders[2]] {
		t.Errorf("after the flood: %d replies queued, %d dropped; want every flood reply sent or dropped", st.Queued[store.Reply], len(dropped))
	}
	for _, d := range dropped {
		if !strings.HasPrefix(d.LastError, "dropped:") {
			t.Errorf("dropped reply says %q", d.LastError)
		}
	}
	if st.Pressure.Dropped == 0 || st.Pressure.Held != 3 {
		t.Errorf("status shows %+v, want the three flooders held and replies dropped", st.Pressure)
	}
	t.Logf("sent %d SMS: flooders %d/%d/%d, %d shoppers and %d notifications answered; %d replies dropped",
		total, sent[flooders[0]], sent[flooders[1]], sent[flooders[2]], len(shoppers), len(notified), len(dropped))
}

// 1,000 senders writing once each left ten days of replies queued and
// tomorrow's cap spent on them. Now the queue stays bounded, new numbers
// stop at their part of the chat budget while the shop's known shoppers
// and order news still go out that day, and the next day a shopper is
// answered and no reply to the flood is sent.
func TestFloodOfAThousandSenders(t *testing.T) {
	day0 := time.Date(2026, 1, 20, 18, 0, 0, 0, ist)
	f := newFloodRig(t, day0)
	regulars := []string{number(3), number(4), number(5)}
	for _, n := range regulars {
		f.sms(n, "hi")
		f.clock.Add(time.Minute)
		f.step(1)
	}
	if sent, _ := f.sentLog(); len(sent) != 3 {
		t.Fatalf("regulars not answered the day before: %v", sent)
	}

	f.clock.Set(day0.Add(24 * time.Hour))
	maxQueued := 0
	for i := range 1000 {
		f.clock.Add(time.Second)
		f.sms(number(1000+i), "hello")
		switch i {
		case 500:
			f.notify(number(1), "Order #K7M3 is on its way.")
		case 700, 800, 900: // well after new numbers used their part
			f.sms(regulars[(i-700)/100], "MENU")
		}
		if i%5 == 4 {
			f.step(2)
		}
		maxQueued = max(maxQueued, f.stats().Queued[store.Reply])
	}
	f.clock.Add(time.Minute)
	f.step(1000)
	sent, _ := f.sentLog()
	st := f.stats()
	if sent[number(1)] != 1 {
		t.Errorf("the order notification was not sent during the flood")
	}
	for _, n := range regulars {
		if sent[n] != 2 {
			t.Errorf("regular shopper %s got %d SMS in two days, want 2: not answered during the flood", n, sent[n])
		}
	}
	floodSent := st.SentToday - 1 - len(regulars)
	if st.SentToday > 100 || floodSent > 40 {
		t.Errorf("%d SMS sent on the day of the flood, %d to new numbers; want at most 100, 40", st.SentToday, floodSent)
	}
	if !st.Pressure.NewCapped || !st.Capped {
		t.Errorf("status does not show the flood: %+v, capped=%v", st.Pressure, st.Capped)
	}
	if maxQueued > store.DefaultMaxQueued {
		t.Errorf("%d replies queued at once, over the bound of %d", maxQueued, store.DefaultMaxQueued)
	}

	// The next morning a new shopper writes.
	f.clock.Set(time.Date(2026, 1, 22, 9, 0, 0, 0, ist))
	f.sms(number(2), "MENU")
	f.step(1000)
	sent, dropped := f.sentLog()
	if sent[number(2)] != 1 {
		t.Errorf("the next day's shopper got %d SMS, want 1", sent[number(2)])
	}
	st = f.stats()
	if st.SentToday != 1 {
		t.Errorf("%d SMS sent the next day, want only the shopper's answer", st.SentToday)
	}
	if st.Queued[store.Reply] != 0 || len(dropped) != 1000-floodSent {
		t.Errorf("%d replies still queued, %d dropped; want every unsent flood reply dropped with a record", st.Queued[store.Reply], len(dropped))
	}
	t.Logf("flood day: %d SMS sent (%d to the flood, %d to known shoppers, 1 notification), at most %d replies queued; next day: %d sent, %d flood replies dropped",
		floodSent+1+len(regulars), floodSent, len(regulars), maxQueued, st.SentToday, len(dropped))
}
