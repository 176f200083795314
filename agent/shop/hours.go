package shop

import (
	"fmt"

	"github.com/tokrihq/tokri/agent/config"
)

// closed reports whether the shop is outside its opening hours now.
func (c *conv) closed() bool {
	return !c.s.cfg.OpenAt(c.now.In(c.s.loc))
}

// opensText is the opening time as shoppers read it: "8 am", "10:30 am".
func (s *Shop) opensText() string {
	m, ok := config.ParseClock(s.cfg.Opens)
	if !ok {
		return s.cfg.Opens
	}
	h, min := m/60, m%60
	ampm := "am"
	if h >= 12 {
		ampm = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	if min == 0 {
		return fmt.Sprintf("%d %s", h, ampm)
	}
	return fmt.Sprintf("%d:%02d %s", h, min, ampm)
}
