package console

import (
	"context"
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
	convLoaded struct {
		number string
		conv   []store.Message
	}
	optSet    struct{ p shoppers.Profile }
	retried   struct{ r admin.Resent }
	dismissed struct{ d admin.Dismissed }
)

// fetch runs one read on the shop (the file will do) and wraps its
// answer as a message.
func fetch[T any](m *Model, read func(b admin.Backend) (T, error), wrap func(T, error) tea.Msg) tea.Cmd {
	return ask(m, true, read, wrap)
}

// change runs one write, which only the running agent may make.
func change[T any](m *Model, write func(b admin.Backend) (T, error), wrap func(T, error) tea.Msg) tea.Cmd {
	return ask(m, false, write, wrap)
}

// ask runs f on the shop, reached as fileOK allows, and wraps its answer
// as a message.
func ask[T any](m *Model, fileOK bool, f func(b admin.Backend) (T, error), wrap func(T, error) tea.Msg) tea.Cmd {
	reach := m.o.Reach
	return func() tea.Msg {
		b, _, done, err := reach(fileOK)
		if err != nil {
			var zero T
			return wrap(zero, err)
		}
		defer done()
		return wrap(f(b))
	}
}

// shopErr is an answer from the shop that is an error, which the console
// only shows.
type shopErr struct{ err error }

// orFail wraps an answer as wrap makes it, or its error as a shopErr.
func orFail[T any](wrap func(T) tea.Msg) func(T, error) tea.Msg {
	return func(v T, err error) tea.Msg {
		if err != nil {
			return shopErr{err}
		}
		return wrap(v)
	}
}

// loaded is a list the shop answered with.
type loaded[T any] struct{ list []T }

// load reads a list from the shop with read, a method of admin.Backend.
func load[T any](m *Model, read func(b admin.Backend, ctx context.Context) ([]T, error)) tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]T, error) { return read(b, ctx) },
		orFail(func(l []T) tea.Msg { return loaded[T]{l} }))
}

func (m *Model) loadShoppers() tea.Cmd { return load(m, admin.Backend.Shoppers) }

func (m *Model) loadConversation(number string) tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) ([]store.Message, error) { return b.Conversation(ctx, number, 0) },
		orFail(func(c []store.Message) tea.Msg { return convLoaded{number, c} }))
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

func (m *Model) loadFailed() tea.Cmd { return load(m, admin.Backend.FailedSends) }

func (m *Model) loadUnread() tea.Cmd { return load(m, admin.Backend.Unreadable) }

func (m *Model) messagesMsg(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case loaded[shoppers.Profile]:
		slices.SortStableFunc(msg.list, func(a, b shoppers.Profile) int { return b.LastSeen.Compare(a.LastSeen) })
		m.msg.shoppers = msg.list
	case convLoaded:
		if msg.number == m.msg.number {
			m.msg.conv = msg.conv
		}
	case loaded[admin.FailedSend]:
		m.msg.failed = msg.list
	case loaded[admin.Unreadable]:
		m.msg.unread = msg.list
	case optSet:
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
		m.say(fmt.Sprintf(m.w.Retried, msg.r.ID))
		return true, m.loadFailed()
	case dismissed:
		m.say(fmt.Sprintf(m.w.Dismissed, msg.d.ID))
		return true, m.loadUnread()
	default:
		return false, nil
	}
	return true, nil
}

// rowKey moves p over a list of n rows for the key s, or, for key, runs
// act on the row under the cursor, a change only the running agent makes.
func (m *Model) rowKey(p *pager, n int, s, key string, act func(i int) tea.Cmd) tea.Cmd {
	if p.move(s, n, m.bodyHeight()) || s != key || p.cursor >= n || !m.agentUp() {
		return nil
	}
	return act(p.cursor)
}

// changeRow runs write, a method of admin.Backend, on the message id.
func changeRow[T any](m *Model, write func(b admin.Backend, ctx context.Context, id uint64) (T, error), id uint64, wrap func(T) tea.Msg) tea.Cmd {
	ctx := m.ctx
	return change(m, func(b admin.Backend) (T, error) { return write(b, ctx, id) }, orFail(wrap))
}

// agentUp says whether the running agent is there to make a change, and
// tells the operator when it is not.
func (m *Model) agentUp() bool {
	if !m.live {
		m.fail(admin.ErrNoAgent)
	}
	return m.live
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
	if s == "esc" && ms.panel != panelShoppers {
		ms.panel = panelShoppers
		return m.loadShoppers()
	}
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
		return m.rowKey(&ms.fpage, len(ms.failed), s, "r", func(i int) tea.Cmd {
			return changeRow(m, admin.Backend.Retry, ms.failed[i].ID, func(r admin.Resent) tea.Msg { return retried{r} })
		})
	case panelUnread:
		return m.rowKey(&ms.upage, len(ms.unread), s, "d", func(i int) tea.Cmd {
			return changeRow(m, admin.Backend.DismissUnreadable, ms.unread[i].ID, func(d admin.Dismissed) tea.Msg { return dismissed{d} })
		})
	}
	if s == "o" && (ms.panel == panelShoppers || ms.panel == panelConversation) {
		p, ok := m.profile()
		if !ok || !m.agentUp() {
			return nil
		}
		ctx, out := m.ctx, !p.OptedOut
		return change(m, func(b admin.Backend) (shoppers.Profile, error) { return b.SetOptOut(ctx, p.Number, out) },
			orFail(func(p shoppers.Profile) tea.Msg { return optSet{p} }))
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
		head := fit(m.w.Shopper, 16) + fit(m.w.Lang, 6) + fit(m.w.LastSeen, 14) + fit(m.w.LastOrder, 12)
		return m.listPanel(w, h, head, &ms.page, len(ms.shoppers), func(i int, mark string) string {
			p := ms.shoppers[i]
			row := mark + fit(phone.Mask(p.Number), 14) + fit(string(p.Lang), 6) + fit(p.LastSeen.In(loc).Format("02 Jan 15:04"), 14) + fit(p.LastOrder, 12)
			if p.OptedOut {
				row += m.w.Stop
			}
			return row
		})
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
		return m.listPanel(w, h, m.w.FailedTitle, &ms.fpage, len(ms.failed), func(i int, mark string) string {
			f := ms.failed[i]
			return mark + f.At.In(loc).Format("02 Jan 15:04") + "  " + fit(phone.Mask(f.To), 14) + " " + fit(f.Error, 18) + " " + f.Text
		})
	case panelUnread:
		return m.listPanel(w, h, m.w.UnreadTitle, &ms.upage, len(ms.unread), func(i int, mark string) string {
			u := ms.unread[i]
			return mark + u.At.In(loc).Format("02 Jan 15:04") + "  " + fit(u.Error, 24) + " " + u.PDU
		})
	}
	return out
}

// listPanel draws n rows under the heading head, as many as fit in h
// lines from where p has scrolled to: row draws row i after mark, the
// cursor's two columns, and the row under the cursor is highlighted.
func (m *Model) listPanel(w, h int, head string, p *pager, n int, row func(i int, mark string) string) []string {
	out := []string{m.th.head.Render(fit(head, w))}
	if n == 0 {
		return append(out, fit(m.w.NoMessages, w))
	}
	from, to := p.window(n, h-1)
	for i := from; i < to; i++ {
		r := fit(row(i, m.mark(i == p.cursor)), w)
		if i == p.cursor {
			r = m.th.sel.Render(r)
		}
		out = append(out, r)
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
