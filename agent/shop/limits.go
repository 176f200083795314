package shop

import (
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol/text"
)

// Loop guards: a sender who sends the same long text again and again, or
// sends back what we last said, is a machine (an auto-responder, our own
// reply bounced by another shop's box), and answering it would loop.
const (
	maxRepeats   = 3  // identical messages in a row still answered
	repeatMinLen = 12 // shorter texts ("9", "more") repeat on purpose
)

// limited counts this message against the sender's limits. It reports
// true when the message gets no normal answer: over a limit (one polite
// slow-down reply per window, then silence) or a loop.
func (c *conv) limited() bool {
	cfg := c.s.cfg
	l := &c.lim
	if c.now.Sub(l.Hour) >= time.Hour || c.now.Before(l.Hour) {
		l.Hour, l.Msgs, l.HourWarn = c.now.Truncate(time.Minute), 0, false
	}
	if day := c.now.In(c.s.loc).Format("2006-01-02"); day != l.Day {
		l.Day, l.Replies, l.DayWarn = day, 0, false
	}
	l.Msgs++

	in := strings.TrimSpace(c.in.Text)
	h := hashText(in)
	if h == l.LastIn && len(in) >= repeatMinLen {
		l.Repeats++
	} else {
		l.LastIn, l.Repeats = h, 1
	}
	echo := c.in.Channel != store.ChannelCall && l.LastOut != 0 && h == l.LastOut
	if echo || l.Repeats > maxRepeats {
		c.s.log.Debug().Str("from", phone.Mask(c.in.From)).Bool("echo", echo).Msg("not answering a loop")
		return true
	}

	switch {
	case l.Msgs > cfg.MessagesPerHour:
		if !l.HourWarn {
			l.HourWarn = true
			c.slowDown()
		}
		return true
	case l.Replies >= cfg.RepliesPerDay:
		if !l.DayWarn {
			l.DayWarn = true
			c.slowDown()
		}
		return true
	}
	return false
}

func (c *conv) slowDown() {
	c.s.log.Info().Str("from", phone.Mask(c.in.From)).Msg("sender over limit: slow down")
	c.say(text.Format(c.lang, text.SlowDown))
}
