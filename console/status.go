package console

import (
	"fmt"
	"strings"
)

// statusBar is the line that is always on screen: modem, SMS spent today
// against the cap, the queue, sync, whether the shop takes orders, and
// the clock.
func (m *Model) statusBar() string {
	st := m.status
	var f []string
	mo := st.Modem
	switch {
	case !m.live:
		f = append(f, m.w.Modem+" -")
	case mo.State == "":
		f = append(f, m.w.Modem+" ?")
	default:
		bars := m.th.bars[min(max(mo.Bars, 0), 4)]
		s := m.w.Modem + " " + bars
		if mo.Operator != "" {
			s += " " + mo.Operator
		}
		s += " " + mo.State
		f = append(f, s)
	}
	q := st.Queues
	sms := fmt.Sprintf("%s %d", m.w.SMS, q.SentToday)
	if q.DailyCap > 0 {
		sms += fmt.Sprintf("/%d", q.DailyCap)
	}
	if q.Capped {
		sms += "!"
	}
	f = append(f, sms, fmt.Sprintf("%s %d", m.w.Outbox, q.OutboxWaiting))
	switch sy := st.Sync; {
	case sy == nil:
		f = append(f, m.w.Sync+" "+m.w.NoSync)
	default:
		last := m.w.Never
		if !sy.LastSuccess.IsZero() {
			last = sy.LastSuccess.In(m.o.Loc).Format("15:04")
		}
		f = append(f, fmt.Sprintf("%s %s +%d", m.w.Sync, last, sy.Pending))
	}
	switch {
	case st.Shop.Paused:
		f = append(f, m.w.Paused)
	case !m.live:
	case st.Shop.Open:
		f = append(f, m.w.Open)
	default:
		f = append(f, m.w.Closed)
	}
	left := strings.Join(f, m.th.sep)
	return spread(left, m.o.Now().In(m.o.Loc).Format("15:04"), max(20, m.width))
}
