package doctor

import (
	"errors"
	"time"

	"github.com/tokrihq/tokri/modem"
)

// clockFloor is a date every real clock is past: a Pi that boots without
// network starts from its last saved time or 1970.
var clockFloor = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxClockSkew is how far the system clock may be from the network's
// before it counts as wrong.
const MaxClockSkew = time.Minute

// clock compares the system clock with the modem's network time.
func (r *report) clock(o Options, nt netTime) {
	now := o.Now()
	switch {
	case nt.err == nil && !nt.t.IsZero():
		off := now.Sub(nt.t)
		if off < 0 {
			off = -off
		}
		if off > MaxClockSkew {
			r.warn("clock", "the system clock is "+off.Round(time.Minute).String()+" off the network's time ("+nt.t.UTC().Format(time.RFC3339)+")",
				"the agent uses the network's time meanwhile; set [clock] set_system = true to let it correct the system clock, or: sudo date -s '"+nt.t.UTC().Format(time.RFC3339)+"'")
			return
		}
		r.ok("clock", "agrees with the network's time")
	case now.Before(clockFloor):
		r.fail("clock", "the system clock says "+now.UTC().Format(time.RFC3339)+" and the modem has no network time", "connect to the internet once (NTP), or set it: sudo date -s 'YYYY-MM-DD HH:MM'")
	case errors.Is(nt.err, modem.ErrNoNetworkTime):
		r.warn("clock", "plausible ("+now.UTC().Format(time.RFC3339)+"), but the network sends no time to compare", "")
	default:
		r.ok("clock", "plausible ("+now.UTC().Format(time.RFC3339)+"); no network time to compare")
	}
}
