package console

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
)

// The messages view: the shoppers, one shopper's whole conversation,
// the sends that failed (with a retry) and what could not be read.

type panel int

const (
	panelShoppers panel = iota
	panelConversation
	panelFailed
	panelUnread
)

type messages struct {
	panel    panel
	shoppers []shoppers.Profile // last seen first
	page     pager
	number   string // the conversation's shopper
	conv     []store.Message
	failed   []admin.FailedSend
	fpage    pager
	unread   []admin.Unreadable
	upage    pager
}

type (
	shoppersLoaded struct {
		list []shoppers.Profile
		err  error
	}
	convLoaded struct {
		number string
		conv   []store.Message
		err    error
	}
	failedLoaded struct {
		list []admin.FailedSend
		err  error
	}
	unreadLoaded struct {
		list []admin.Unreadable
		err  error
	}
	optSet struct {
		p   shoppers.Profile
		err error
	}
	retried struct {
		r   admin.Resent
		err error
	}
	dismissed struct {
		d   admin.Dismissed
		err error
	}
)

// fetch runs one read on the shop (the file will do) and wraps its
// answer as a message.
func fetch[T any](m *Model, read func(b admin.Backend) (T, error), wrap func(T, error) tea.Msg) tea.Cmd {
	reach := m.o.Reach
	return func() tea.Msg {
		b, _, done, err := reach(true)
		if err != nil {
			var zero T
			return wrap(zero, err)
		}
		defer done()
		return wrap(read(b))
	}
}

// change runs one write, which only the running agent may make.
func change[T any](m *Model, write func(b admin.Backend) (T, error), wrap func(T, error) tea.Msg) tea.Cmd {
	reach := m.o.Reach
	return func() tea.Msg {
		b, _, done, err := reach(false)
		if err != nil {
			var zero T
			return wrap(zero, err)
		}
		defer done()
		return wrap(write(b))
	}
}

func (m *Model) loadShoppers() tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]shoppers.Profile, error) { return b.Shoppers(ctx) },
		func(l []shoppers.Profile, err error) tea.Msg { return shoppersLoaded{l, err} })
}

func (m *Model) loadConversation(number string) tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]store.Message, error) { return b.Conversation(ctx, number, 0) },
		func(c []store.Message, err error) tea.Msg { return convLoaded{number, c, err} })
}

// reloadMessages reads again what the messages view shows.
func (m *Model) reloadMessages() tea.Cmd {
	switch m.msg.panel {
	case panelConversation:
		return m.loadConversation(m.msg.number)
	case panelFailed:
		return m.loadFailed()
	case panelUnread:
		return m.loadUnread()
	}
	return m.loadShoppers()
}

func (m *Model) loadFailed() tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]admin.FailedSend, error) { return b.FailedSends(ctx) },
		func(l []admin.FailedSend, err error) tea.Msg { return failedLoaded{l, err} })
}

func (m *Model) loadUnread() tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]admin.Unreadable, error) { return b.Unreadable(ctx) },
		func(l []admin.Unreadable, err error) tea.Msg { return unreadLoaded{l, err} })
}

func (m *Model) messagesMsg(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case shoppersLoaded:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		slices.SortStableFunc(msg.list, func(a, b shoppers.Profile) int { return b.LastSeen.Compare(a.LastSeen) })
		m.msg.shoppers = msg.list
	case convLoaded:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		if msg.number == m.msg.number {
			m.msg.conv = msg.conv
		}
	case failedLoaded:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		m.msg.failed = msg.list
	case unreadLoaded:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		m.msg.unread = msg.list
	case optSet:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		for i := range m.msg.shoppers {
			if m.msg.shoppers[i].Number == msg.p.Number {
				m.msg.shoppers[i] = msg.p
			}
		}
		if msg.p.OptedOut {
			m.say(fmt.Sprintf(m.w.OptedOutNow, msg.p.Number))
		} else {
			m.say(fmt.Sprintf(m.w.OptedInNow, msg.p.Number))
		}
	case retried:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		m.say(fmt.Sprintf(m.w.Retried, msg.r.ID))
		return true, m.loadFailed()
	case dismissed:
		if msg.err != nil {
			m.fail(msg.err)
			return true, nil
		}
		m.say(fmt.Sprintf(m.w.Dismissed, msg.d.ID))
		return true, m.loadUnread()
	default:
		return false, nil
	}
	return true, nil
}

// profile is the shopper the messages view is on.
func (m *Model) profile() (shoppers.Profile, bool) {
	if m.msg.panel == panelConversation {
		for _, p := range m.msg.shoppers {
			if p.Number == m.msg.number {
				return p, true
			}
		}
		return shoppers.Profile{Number: m.msg.number}, true
	}
	if m.msg.page.cursor < len(m.msg.shoppers) {
		return m.msg.shoppers[m.msg.page.cursor], true
	}
	return shoppers.Profile{}, false
}

func (m *Model) messagesKey(s string) tea.Cmd {
	ms := &m.msg
	switch ms.panel {
	case panelShoppers:
		if ms.page.move(s, len(ms.shoppers), m.bodyHeight()) {
			return nil
		}
		switch s {
		case "enter":
			if p, ok := m.profile(); ok {
				ms.panel, ms.number, ms.conv = panelConversation, p.Number, nil
				return m.loadConversation(p.Number)
			}
		case "f":
			ms.panel = panelFailed
			return m.loadFailed()
		case "u":
			ms.panel = panelUnread
			return m.loadUnread()
		}
	case panelFailed:
		if ms.fpage.move(s, len(ms.failed), m.bodyHeight()) {
			return nil
		}
		if s == "r" && ms.fpage.cursor < len(ms.failed) {
			if !m.live {
				m.fail(admin.ErrNoAgent)
				return nil
			}
			ctx, id := m.ctx, ms.failed[ms.fpage.cursor].ID
			return change(m, func(b admin.Backend) (admin.Resent, error) { return b.Retry(ctx, id) },
				func(r admin.Resent, err error) tea.Msg { return retried{r, err} })
		}
	case panelUnread:
		if ms.upage.move(s, len(ms.unread), m.bodyHeight()) {
			return nil
		}
		if s == "d" && ms.upage.cursor < len(ms.unread) {
			if !m.live {
				m.fail(admin.ErrNoAgent)
				return nil
			}
			ctx, id := m.ctx, ms.unread[ms.upage.cursor].ID
			return change(m, func(b admin.Backend) (admin.Dismissed, error) { return b.DismissUnreadable(ctx, id) },
				func(d admin.Dismissed, err error) tea.Msg { return dismissed{d, err} })
		}
	}
	if s == "esc" && ms.panel != panelShoppers {
		ms.panel = panelShoppers
		return m.loadShoppers()
	}
	if s == "o" && (ms.panel == panelShoppers || ms.panel == panelConversation) {
		p, ok := m.profile()
		if !ok {
			return nil
		}
		if !m.live {
			m.fail(admin.ErrNoAgent)
			return nil
		}
		ctx, out := m.ctx, !p.OptedOut
		return change(m, func(b admin.Backend) (shoppers.Profile, error) { return b.SetOptOut(ctx, p.Number, out) },
			func(p shoppers.Profile, err error) tea.Msg { return optSet{p, err} })
	}
	return nil
}

func (m *Model) messagesKeys() string {
	switch m.msg.panel {
	case panelConversation:
		return m.w.KeysConv
	case panelFailed:
		return m.w.KeysFailed
	case panelUnread:
		return m.w.KeysUnread
	}
	return m.w.KeysShoppers
}

func (m *Model) messagesBody(w, h int) []string {
	ms := &m.msg
	loc := m.o.Loc
	var out []string
	switch ms.panel {
	case panelShoppers:
		out = append(out, m.th.head.Render(fit(fit(m.w.Shopper, 16)+fit(m.w.Lang, 6)+fit(m.w.LastSeen, 14)+fit(m.w.LastOrder, 12), w)))
		if len(ms.shoppers) == 0 {
			return append(out, fit(m.w.NoMessages, w))
		}
		from, to := ms.page.window(len(ms.shoppers), h-1)
		for i := from; i < to; i++ {
			p := ms.shoppers[i]
			mark := m.mark(i == ms.page.cursor)
			row := mark + fit(phone.Mask(p.Number), 14) + fit(string(p.Lang), 6) + fit(p.LastSeen.In(loc).Format("02 Jan 15:04"), 14) + fit(p.LastOrder, 12)
			if p.OptedOut {
				row += m.w.Stop
			}
			row = fit(row, w)
			if i == ms.page.cursor {
				row = m.th.sel.Render(row)
			}
			out = append(out, row)
		}
	case panelConversation:
		p, _ := m.profile()
		title := fmt.Sprintf(m.w.Conversation, p.Number)
		if p.Lang != "" {
			title += " (" + string(p.Lang) + ")"
		}
		if p.OptedOut {
			title += "  " + m.w.Stop
		}
		out = append(out, m.th.head.Render(fit(title, w)))
		var lines []string
		for _, c := range ms.conv {
			dir := "<"
			tag := m.w.MsgStates[c.State]
			if c.Inbound {
				dir = ">"
				tag = ""
			} else if c.Segments > 0 {
				tag += fmt.Sprintf(" %d", c.Segments)
			}
			if c.Error != "" {
				tag += ": " + c.Error
			}
			head := c.At.In(loc).Format("15:04") + " " + dir + " "
			body := wrap(c.Text, w-width(head))
			for i, l := range body {
				if i == 0 {
					lines = append(lines, head+l)
				} else {
					lines = append(lines, strings.Repeat(" ", width(head))+l)
				}
			}
			if tag != "" {
				lines = append(lines, strings.Repeat(" ", width(head))+"["+tag+"]")
			}
		}
		if len(lines) == 0 {
			lines = []string{m.w.NoMessages}
		}
		// The latest at the bottom, as on a phone.
		if len(lines) > h-1 {
			lines = lines[len(lines)-(h-1):]
		}
		for _, l := range lines {
			out = append(out, fit(l, w))
		}
	case panelFailed:
		out = append(out, m.th.head.Render(fit(m.w.FailedTitle, w)))
		if len(ms.failed) == 0 {
			return append(out, fit(m.w.NoMessages, w))
		}
		from, to := ms.fpage.window(len(ms.failed), h-1)
		for i := from; i < to; i++ {
			f := ms.failed[i]
			mark := m.mark(i == ms.fpage.cursor)
			row := fit(mark+f.At.In(loc).Format("02 Jan 15:04")+"  "+fit(phone.Mask(f.To), 14)+" "+fit(f.Error, 18)+" "+f.Text, w)
			if i == ms.fpage.cursor {
				row = m.th.sel.Render(row)
			}
			out = append(out, row)
		}
	case panelUnread:
		out = append(out, m.th.head.Render(fit(m.w.UnreadTitle, w)))
		if len(ms.unread) == 0 {
			return append(out, fit(m.w.NoMessages, w))
		}
		from, to := ms.upage.window(len(ms.unread), h-1)
		for i := from; i < to; i++ {
			u := ms.unread[i]
			mark := m.mark(i == ms.upage.cursor)
			row := fit(mark+u.At.In(loc).Format("02 Jan 15:04")+"  "+fit(u.Error, 24)+" "+u.PDU, w)
			if i == ms.upage.cursor {
				row = m.th.sel.Render(row)
			}
			out = append(out, row)
		}
	}
	return out
}

// mark is the two columns before a list row: the cursor on the row it is
// on, blanks on the others.
func (m *Model) mark(here bool) string {
	if here {
		return m.th.cursor + " "
	}
	return "  "
}
