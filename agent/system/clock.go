package system

import (
	"time"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/clock"
	"github.com/tokrihq/tokri/agent/store"
)

// clockPoll is how often the modem is asked for the network's time.
const clockPoll = 10 * time.Minute

// newClock makes the agent's one clock: the system clock corrected by the
// network's, allowed to set the system clock when [clock] set_system says
// so.
func (s *System) newClock() *clock.Clock {
	opts := clock.Options{System: s.opts.SystemClock, Log: s.log.With().Str("component", "clock").Logger()}
	if s.cfg.Clock.SetSystem {
		opts.SetSystem = setSystemClock
	}
	return clock.New(opts)
}

// stampedHandler lets every inbound SMS's service-centre time stamp
// correct the clock before the shop handles it, so a store that boots
// with a wrong clock and no modem NITZ still stamps orders right.
func (s *System) stampedHandler(h agent.Handler) agent.Handler {
	return agent.HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
		if in.Channel == store.ChannelSMS {
			s.Clock.SCTS(in.SCTS)
		}
		return h.Handle(tx, in)
	})
}
