package console

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/protocol/render"
)

// The today view: the day's orders, revenue, best sellers and SMS per
// order, and the summary SMS the operator gets at closing time.

type todayLoaded struct{ t admin.Today }

func (m *Model) loadToday() tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) (admin.Today, error) { return b.Today(ctx) },
		orFail(func(t admin.Today) tea.Msg { return todayLoaded{t} }))
}

func (m *Model) todayBody(w int) []string {
	t := m.today
	if t.Day == "" {
		return []string{fit(m.w.Loading, w)}
	}
	day, _ := time.Parse(time.DateOnly, t.Day)
	var out []string
	add := func(s string) { out = append(out, fit(s, w)) }
	out = append(out, m.th.head.Render(fit(m.w.Today+" "+day.Format("02 Jan"), w)))
	add(fit(m.w.Orders, 16) + right(fmt.Sprint(t.Orders), 10) + fmt.Sprintf("   %s %d   %s %d   %s %d",
		m.w.States["delivered"], t.Delivered, m.w.OpenNow, t.Open, m.w.States["cancelled"], t.Cancelled))
	add(fit(m.w.Revenue, 16) + right(render.Money(t.Revenue), 10))
	add(fit(m.w.PerOrder, 16) + right(fmt.Sprintf("%.1f", t.SMSPerOrder), 10) + "   (" + fmt.Sprintf(m.w.SentToday, t.Segments) + ")")
	out = append(out, m.th.head.Render(fit(m.w.TopItems, w)))
	for _, it := range t.Top {
		name := it.Name
		if it.Unit != "" {
			name += " " + it.Unit
		}
		add(right(fmt.Sprint(it.Qty), 5) + "  " + name)
	}
	out = append(out, m.th.line(w))
	switch {
	case t.At == "":
		add(m.w.NoSummary)
		return out
	case t.Sent:
		add(fmt.Sprintf(m.w.SummarySent, t.To, t.SMSSegments))
	default:
		add(fmt.Sprintf(m.w.SummaryAt, t.At, t.To, t.SMSSegments))
	}
	for _, l := range wrap(t.SMS, w-2) {
		add("  " + l)
	}
	return out
}
