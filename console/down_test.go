package console

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
)

// The refresh that runs into the agent stopping fails with whatever the
// half-closed socket gave; the next one finds the store file locked. The
// bottom line once kept the first failure for good, so the operator read
// "could not reach" where the console knew the agent held the store.
func TestNewestFailureReplacesAnOlderOne(t *testing.T) {
	m := goldenModel(English, false)
	m.Update(refreshed{err: errors.New("read unix: connection reset by peer")})
	if !strings.Contains(m.View(), m.w.ErrReach) {
		t.Fatalf("after the agent stopped mid-refresh the screen does not say %q", m.w.ErrReach)
	}
	m.Update(refreshed{err: admin.ErrNoAnswer})
	if v := m.View(); !strings.Contains(v, m.w.ErrNoAnswer) || strings.Contains(v, m.w.ErrReach) {
		t.Errorf("the next refresh found the file locked; the screen says:\n%s", v)
	}
	m.say("Order K7M4P accepted.")
	m.Update(refreshed{err: admin.ErrNoAnswer})
	if !strings.Contains(m.View(), "Order K7M4P accepted.") {
		t.Error("a failed look again replaced a note that was not a failure")
	}
}
