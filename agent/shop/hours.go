package shop

import (
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/text"
)

// closed reports whether the shop is outside its opening hours now.
func (c *conv) closed() bool {
	return !c.s.cfg.OpenAt(c.now.In(c.s.loc))
}

// opensText is the opening time as shoppers of lang say it: "8 am",
// "सुबह 8 बजे".
func (s *Shop) opensText(lang protocol.Lang) string {
	m, ok := config.ParseClock(s.cfg.Opens)
	if !ok {
		return s.cfg.Opens
	}
	return text.Clock(lang, m/60, m%60)
}

// notice is what a shopper writing at the start of a conversation is told
// first when the shop is paused or closed (and still takes orders for when
// it opens), so that nobody learns it only at checkout. It is said once
// per conversation, and not where the reply already says it.
func (c *conv) notice(reply string) string {
	if !c.fresh || c.noticed || c.fromOperator() {
		return ""
	}
	cfg := c.s.cfg
	var n string
	switch {
	case Paused(c.btx):
		if reply == text.Format(c.lang, text.Paused, cfg.Name) {
			return ""
		}
		n = text.Template(c.lang, text.PausedNote)
	case c.closed() && *cfg.OrdersWhenClosed:
		n = text.Format(c.lang, text.ClosedNote, c.s.opensText(c.lang))
	}
	return n
}
