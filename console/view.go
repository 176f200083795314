package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol/render"
)

// The frame: a title line and a rule, the body, then a rule, the status
// bar, the keys and a line for the last result. Only the body grows with
// the terminal.
const chrome = 6

func (m *Model) bodyHeight() int { return max(1, m.height-chrome) }

// View implements tea.Model.
func (m *Model) View() string {
	w := max(20, m.width)
	var b strings.Builder
	b.Grow((w + 8) * m.height)
	// The terminal's title and bell travel in the frame: bubbletea's own
	// title command writes beside its renderer, and the two interleave.
	// OSC 2 ends with ST, not BEL, so every BEL in the frame is a bell.
	b.WriteString("\x1b]2;" + m.titleText() + "\x1b\\")
	b.WriteString(m.th.title.Render(fit(m.header(), w)))
	if m.ring {
		b.WriteByte('\a')
	}
	b.WriteByte('\n')
	b.WriteString(m.th.line(w))
	b.WriteByte('\n')
	body := m.body(w, m.bodyHeight())
	for i := 0; i < m.bodyHeight(); i++ {
		if i < len(body) {
			b.WriteString(body[i])
		}
		b.WriteByte('\n')
	}
	b.WriteString(m.th.line(w))
	b.WriteByte('\n')
	b.WriteString(fit(m.statusBar(), w))
	b.WriteByte('\n')
	b.WriteString(m.th.dim.Render(fit(m.keysLine(), w)))
	b.WriteByte('\n')
	note := fit(m.note, w)
	if m.noteErr {
		note = m.th.warn.Render(note)
	}
	b.WriteString(note)
	return b.String()
}

func (m *Model) header() string {
	tab := func(name string, on bool) string {
		if on {
			return "[" + name + "]"
		}
		return " " + name + " "
	}
	l := m.w.Title + " " + tab(m.w.Orders, m.view == viewOrders || m.view == viewOrder) + tab(m.w.Catalog, m.view == viewCatalog) + tab(m.w.Messages, m.view == viewMessages) + tab(m.w.Today, m.view == viewToday)
	var r []string
	if n := len(m.fresh); n > 0 {
		r = append(r, "* "+fmt.Sprintf(m.w.New, n))
	}
	if m.loaded && !m.live {
		r = append(r, m.w.ReadOnly)
	}
	if m.mode == modeHelp {
		r = append(r, m.w.Help)
	}
	return spread(l, strings.Join(r, "  "), max(20, m.width))
}

func (m *Model) keysLine() string {
	switch m.mode {
	case modeType:
		return m.w.KeysEdit
	case modeConfirm:
		return m.w.KeysConfirm
	case modeReason:
		return "1-" + fmt.Sprint(len(m.w.Reasons)) + " / t " + m.w.TypeReason + "   esc"
	}
	switch m.view {
	case viewOrder:
		return m.w.KeysOrder
	case viewCatalog:
		return m.w.KeysCatalog
	case viewMessages:
		return m.messagesKeys()
	case viewToday:
		return m.w.KeysToday
	}
	return m.w.KeysOrders
}

func (m *Model) body(w, h int) []string {
	if m.mode == modeHelp {
		return m.helpBody(w)
	}
	if !m.loaded {
		if m.down {
			return []string{fit(m.w.ErrDown, w)}
		}
		return []string{m.w.Loading}
	}
	switch m.view {
	case viewOrder:
		return m.orderBody(w, h)
	case viewCatalog:
		return m.catalogBody(w, h)
	case viewMessages:
		return m.messagesBody(w, h)
	case viewToday:
		return m.todayBody(w)
	}
	return m.ordersBody(w, h)
}

func (m *Model) helpBody(w int) []string {
	out := make([]string, 0, len(m.w.HelpText))
	for _, l := range m.w.HelpText {
		out = append(out, fit(l, w))
	}
	return out
}

// age says how long ago t was, in the fewest characters.
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func (m *Model) modeWord(o orders.Order) string {
	if o.Mode == orders.ModePickup {
		return m.w.Pickup
	}
	return m.w.Delivery
}

// ordersBody lists the open orders under a heading per state. Only the
// rows on screen are drawn, so a thousand open orders cost no more than
// twenty.
func (m *Model) ordersBody(w, h int) []string {
	if len(m.open) == 0 {
		msg := m.w.NoOrders
		if m.loaded && !m.live {
			msg = m.w.AgentDown
		}
		return []string{fit(msg, w)}
	}
	out := make([]string, 0, h)
	if !m.live {
		out = append(out, fit(m.w.AgentDown, w))
		h--
	}
	out = append(out, m.th.head.Render(fit(m.orderRow("", m.w.Col, m.w.Age, m.w.Shopper, m.w.Items, m.w.Total, ""), w)))
	h--
	// Lines: a heading before each state's first order.
	type entry struct{ order, heading int } // heading: index into openStates or -1
	var lines []entry
	var count [4]int
	cursorLine := 0
	for i, o := range m.open {
		if i == 0 || m.open[i-1].State != o.State {
			lines = append(lines, entry{-1, stateIndex(o.State)})
		}
		count[stateIndex(o.State)]++
		if i == m.cursor {
			cursorLine = len(lines)
		}
		lines = append(lines, entry{i, -1})
	}
	if cursorLine < m.top {
		m.top = cursorLine
	}
	if cursorLine >= m.top+h {
		m.top = cursorLine - h + 1
	}
	m.top = max(0, min(m.top, len(lines)-h))
	now := m.o.Now()
	for i := m.top; i < len(lines) && i < m.top+h; i++ {
		e := lines[i]
		if e.order < 0 {
			st := openStates[e.heading]
			out = append(out, m.th.head.Render(fit(fmt.Sprintf("%s (%d)", m.w.States[st], count[e.heading]), w)))
			continue
		}
		o := m.open[e.order]
		mark := "  "
		if m.fresh[o.ID] {
			mark = " *"
		}
		if e.order == m.cursor {
			mark = m.th.cursor + mark[1:]
		}
		row := fit(m.orderRow(mark, o.ID, age(now, o.CreatedAt), phone.Mask(o.Shopper), fmt.Sprint(o.Items()), render.Money(o.Total), m.modeWord(o)), w)
		if e.order == m.cursor {
			row = m.th.sel.Render(row)
		}
		out = append(out, row)
	}
	return out
}

func (m *Model) orderRow(mark, id, age, shopper, items, total, mode string) string {
	return fit(mark, 2) + fit(id, 7) + right(age, 4) + "  " + fit(shopper, 14) + right(items, 6) + right(total, 11) + "  " + mode
}

func stateIndex(s orders.State) int {
	for i, st := range openStates {
		if st == s {
			return i
		}
	}
	return 0
}

// orderBody is one order in full, and below it the question being asked
// about it: a reason, or the SMS about to go.
func (m *Model) orderBody(w, h int) []string {
	o := m.order
	loc := m.o.Loc
	var out []string
	add := func(s string) { out = append(out, fit(s, w)) }
	add(fmt.Sprintf("%s %s   %s   %s %s", m.w.Order, o.ID, m.w.States[o.State], o.CreatedAt.In(loc).Format("02 Jan 15:04"), age(m.o.Now(), o.CreatedAt)))
	pay := m.w.COD
	if o.Payment == orders.PayUPI {
		pay = m.w.UPI
	}
	add(fmt.Sprintf("%s %s   %s %s   %s", m.w.Shopper, o.Shopper, m.w.Payment, pay, m.modeWord(o)))
	if o.Address != "" {
		add(m.w.Address + ": " + o.Address)
	}
	out = append(out, m.th.head.Render(fit(m.w.Lines, w)))
	for _, l := range o.Lines {
		name := l.Name
		if m.o.Lang == Hindi && l.NameHi != "" {
			name = l.NameHi
		}
		if l.Unit != "" {
			name += " " + l.Unit
		}
		add(right(fmt.Sprint(l.Qty), 4) + " x " + fit(name, 40) + right(render.Money(l.Price*int64(l.Qty)), 12))
	}
	total := m.w.Total + " " + render.Money(o.Total)
	if o.DeliveryFee > 0 {
		total += " (" + m.w.Delivery + " " + render.Money(o.DeliveryFee) + ")"
	}
	add(right(total, 59))
	out = append(out, m.th.head.Render(fit(m.w.History, w)))
	for _, c := range o.History {
		s := "  " + c.At.In(loc).Format("15:04") + " " + m.w.States[c.State]
		if by, ok := m.w.By[c.By]; ok {
			s += " (" + by + ")"
		} else if c.By != "" {
			s += " (" + c.By + ")"
		}
		if c.Reason != "" {
			s += ": " + c.Reason
		}
		add(s)
	}
	var ask []string
	switch m.mode {
	case modeReason:
		ask = append(ask, m.w.PickReason)
		for i, r := range m.w.Reasons {
			ask = append(ask, fmt.Sprintf("  %d %s", i+1, r))
		}
		ask = append(ask, "  t "+m.w.TypeReason)
	case modeType:
		ask = append(ask, m.w.TypeReason+":", m.input.View())
	case modeConfirm:
		ask = m.previewLines(w)
	}
	if len(ask) > 0 {
		// The question stays on screen: the order's lines give way.
		keep := max(0, h-len(ask)-1)
		if len(out) > keep {
			out = out[:keep]
		}
		out = append(out, m.th.line(w))
		for _, l := range ask {
			out = append(out, fit(l, w))
		}
	}
	return out
}

// previewLines show the SMS an action would send, wrapped to the screen.
func (m *Model) previewLines(w int) []string {
	p := m.preview
	head := m.w.Actions[string(p.Action)] + ": "
	switch {
	case p.OptedOut:
		return []string{head + m.w.OptedOut, m.w.Confirm}
	case p.Segments == 0:
		return []string{head + m.w.NoSMS, m.w.Confirm}
	}
	enc := "GSM-7"
	if p.Encoding == "ucs2" {
		enc = "UCS-2"
	}
	out := []string{head + fmt.Sprintf(m.w.SMSPreview, phone.Mask(m.order.Shopper), p.Segments, enc)}
	for _, l := range wrap(p.Text, w-2) {
		out = append(out, "  "+l)
	}
	return append(out, m.w.Confirm)
}

// wrap breaks s into lines no wider than w, at spaces where it can.
func wrap(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case width(line)+1+width(word) <= w:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}
