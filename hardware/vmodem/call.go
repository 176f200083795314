package vmodem

import (
	"fmt"
	"strings"

	"github.com/tokrihq/tokri/phone"
)

// Call is a phone calling the modem (POST /v1/call). The caller hangs up
// after Rings rings unless the agent answers (a missed call).
type Call struct {
	From  string `json:"from"` // "" = number withheld
	Rings int    `json:"rings,omitempty"`
}

type callState struct {
	from     string
	toa      int
	rings    int
	answered bool
}

// startCall rings the modem.
func (e *engine) startCall(c Call) error {
	if e.call != nil {
		return errCallBusy
	}
	if e.net.lost || e.booting || e.unplug {
		return fmt.Errorf("modem not reachable by calls: %w", ErrBadRequest)
	}
	toa := 129
	switch {
	case c.From == "":
		toa = 128
	case strings.HasPrefix(c.From, "+"):
		toa = 145
	}
	if c.Rings <= 0 {
		c.Rings = 2
	}
	cs := &callState{from: c.From, toa: toa, rings: c.Rings}
	e.call = cs
	e.log.Info().Str("from", phone.Mask(c.From)).Int("rings", c.Rings).Msg("network rings the modem")
	e.ring(cs)
	return nil
}

func (e *engine) ring(cs *callState) {
	if e.call != cs || cs.answered {
		return
	}
	if e.set.crc == 1 {
		e.urc("+CRING: VOICE")
	} else {
		e.urc("RING")
	}
	if e.set.clip == 1 {
		e.urc(e.prof.clip(cs.from, cs.toa))
	}
	cs.rings--
	if cs.rings > 0 {
		e.after(e.t.ring, false, func() { e.ring(cs) })
		return
	}
	e.after(e.t.ring, false, func() { e.callerHangsUp(cs) })
}

func (e *engine) callerHangsUp(cs *callState) {
	if e.call != cs {
		return
	}
	e.call = nil
	e.urc(e.prof.missedEnd)
}

// clcc is the +CLCC line of the current call.
func (e *engine) clcc() []string {
	if e.call == nil {
		return nil
	}
	stat := 4 // incoming
	if e.call.answered {
		stat = 0
	}
	l := fmt.Sprintf(`+CLCC: 1,1,%d,0,0,"%s",%d`, stat, e.call.from, e.call.toa)
	if e.prof.alpha != "" {
		l += `,""`
	}
	return []string{l}
}
