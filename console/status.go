package console

import (
	"fmt"
	"strings"

	"github.com/tokrihq/tokri/agent/catalog"
)

// statusBar is the line that is always on screen: modem, SMS spent today
// against the cap, the queue, sync, whether the shop takes orders, and
// the clock.
func (m *Model) statusBar() string {
	w := max(20, m.width)
	clock := m.o.Now().In(m.o.Loc).Format("15:04")
	bar := m.statusFields(true)
	if width(bar)+1+width(clock) > w {
		bar = m.statusFields(false) // the SIM's balance gives way first
	}
	return spread(bar, clock, w)
}

// simWord is the SIM state as the bar says it.
func (m *Model) simWord(s string) string {
	if w, ok := m.w.SIM[s]; ok {
		return w
	}
	return "SIM " + s
}

// statusFields are the bar's fields, with the SIM's balance if sim.
func (m *Model) statusFields(sim bool) string {
	st := m.status
	var f []string
	mo := st.Modem
	switch {
	case !m.live:
		f = append(f, m.w.Modem+" -")
	case mo.State == "":
		f = append(f, m.w.Modem+" ?")
	default:
		// The network and the SIM, in as few columns as say that all is
		// well, more when it is not.
		bars := m.th.bars[min(max(mo.Bars, 0), 4)]
		s := m.w.Modem + " " + bars
		switch {
		case !mo.Registered && mo.Registration != "":
			s += " " + mo.Registration
		case mo.Operator != "":
			s += " " + mo.Operator
		}
		if mo.State != "ready" {
			s += " " + mo.State
		}
		// A SIM that works says so by its balance when there is room;
		// one that needs the operator always says what it needs.
		b := st.Balance
		switch {
		case mo.SIM != "" && mo.SIM != "ready":
			s += " " + m.simWord(mo.SIM)
		case sim && b != nil && b.Reading != nil:
			s += " SIM " + b.Reading.Currency + catalog.FormatRupees(b.Reading.Amount)
			if b.Low {
				s += "!"
			}
		case mo.SIM != "":
			s += " " + m.simWord(mo.SIM)
		}
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
	return strings.Join(f, m.th.sep)
}
