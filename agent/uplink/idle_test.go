package uplink

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// An idle round once committed three transactions (six fdatasyncs) to
// say it had happened. A round that changes nothing now writes nothing;
// its bytes and times show in Status and count against the budget at
// once, and reach the store with the next round that writes, or an hour
// on.
func TestIdleRoundWritesNothing(t *testing.T) {
	clk := testtime.NewClock(t0)
	_, srv := newFake(t, clk.Now)
	db := newDB(t, clk.Now)
	c := newClient(t, db, srv.URL, clk.Now, nil)
	syncNow(t, c) // the first round writes: nothing was written before

	stored := func() state {
		t.Helper()
		var s state
		testkit.View(t, db, func(tx *bbolt.Tx) (err error) { s, err = loadState(tx); return err })
		return s
	}
	before, commits := stored(), db.Commits()
	clk.Add(time.Minute)
	r := syncNow(t, c)
	if n := db.Commits() - commits; n != 0 {
		t.Errorf("idle round committed %d times, want 0", n)
	}
	st := c.Status()
	if got, want := st.BytesSentToday+st.BytesReceivedToday, before.BytesSent+before.BytesReceived+r.BytesSent+r.BytesReceived; got != want || r.BytesSent == 0 {
		t.Errorf("bytes today %d, want %d (stored plus the idle round's %d)", got, want, r.BytesSent+r.BytesReceived)
	}
	if !st.LastSuccess.Equal(clk.Now().UTC()) {
		t.Errorf("last success %v, want the idle round's %v", st.LastSuccess, clk.Now())
	}

	// An hour on, a round writes what the idle rounds kept.
	clk.Add(persistEvery)
	r2 := syncNow(t, c)
	if n := db.Commits() - commits; n != 1 {
		t.Errorf("round an hour on committed %d times, want 1", n)
	}
	after := stored()
	if got, want := after.BytesSent+after.BytesReceived, before.BytesSent+before.BytesReceived+r.BytesSent+r.BytesReceived+r2.BytesSent+r2.BytesReceived; got != want {
		t.Errorf("stored bytes %d, want %d", got, want)
	}
	if !after.LastSuccess.Equal(clk.Now().UTC()) {
		t.Errorf("stored last success %v, want %v", after.LastSuccess, clk.Now())
	}

	// An order committed: the next round pushes it and writes at once.
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); return nil })
	commits = db.Commits()
	clk.Add(time.Minute)
	if r := syncNow(t, c); r.Pushed != 1 || db.Commits() == commits {
		t.Errorf("round with an order: pushed %d, %d commits; want it pushed and written", r.Pushed, db.Commits()-commits)
	}
}
