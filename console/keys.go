package console

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tokrihq/tokri/agent/admin"
)

// orderKeys are the one-key actions on an open order.
var orderKeys = map[string]admin.Action{
	"a": admin.Accept, "r": admin.Reject, "p": admin.Pack,
	"s": admin.Dispatch, "d": admin.Deliver, "c": admin.Cancel,
}

func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	s := k.String()
	if s == "ctrl+c" {
		return tea.Quit
	}
	switch m.mode {
	case modeHelp:
		m.mode = modeBrowse
		return nil
	case modeType:
		return m.typeKey(k)
	case modeReason:
		switch {
		case s == "esc":
			m.mode = modeBrowse
		case s == "t":
			m.startInput("reason", "")
		case len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(m.w.Reasons):
			return m.askPreview(admin.Reject, m.w.Reasons[s[0]-'1'])
		}
		return nil
	case modeConfirm:
		switch s {
		case "y", "Y":
			return m.doAct()
		case "esc", "n", "N":
			m.mode = modeBrowse
		}
		return nil
	case modeImport:
		if !m.importing() {
			m.mode = modeBrowse
		}
		return nil
	}
	switch s {
	case "q":
		return tea.Quit
	case "?":
		m.mode = modeHelp
		return nil
	case "tab", "shift+tab":
		return m.nextView(s == "tab")
	case "P":
		if !m.agentUp() {
			return nil
		}
		return m.togglePause()
	}
	switch m.view {
	case viewOrders:
		return m.ordersKey(s)
	case viewOrder:
		return m.orderKey(s)
	case viewCatalog:
		return m.catalogKey(s)
	case viewMessages:
		return m.messagesKey(s)
	}
	return nil
}

// tabs are the views tab goes through, in order.
var tabs = []view{viewOrders, viewCatalog, viewMessages, viewToday}

// nextView goes to the next (or previous) view and loads what it shows.
func (m *Model) nextView(forward bool) tea.Cmd {
	cur := m.view
	if cur == viewOrder {
		cur = viewOrders
	}
	i := slices.Index(tabs, cur)
	if forward {
		i = (i + 1) % len(tabs)
	} else {
		i = (i + len(tabs) - 1) % len(tabs)
	}
	m.view = tabs[i]
	if m.view == viewCatalog {
		return m.loadItems()
	}
	return m.reloadView()
}

// reloadView reads again what the messages or today view shows, after
// the store changed; the orders come with every refresh, and the catalog
// is read when it is opened (5,000 items are not worth a read per
// message).
func (m *Model) reloadView() tea.Cmd {
	switch m.view {
	case viewMessages:
		return m.reloadMessages()
	case viewToday:
		return m.loadToday()
	}
	return nil
}

func (m *Model) ordersKey(s string) tea.Cmd {
	switch s {
	case "up", "k":
		m.cursor = max(0, m.cursor-1)
	case "down", "j":
		m.cursor = min(len(m.open)-1, m.cursor+1)
	case "pgup":
		m.cursor = max(0, m.cursor-m.bodyHeight())
	case "pgdown":
		m.cursor = max(0, min(len(m.open)-1, m.cursor+m.bodyHeight()))
	case "home":
		m.cursor = 0
	case "end":
		m.cursor = max(0, len(m.open)-1)
	case "enter":
		if m.cursor < len(m.open) {
			m.order = m.open[m.cursor]
			delete(m.fresh, m.order.ID)
			m.view = viewOrder
			return m.loadOrder(m.order.ID)
		}
	}
	return nil
}

func (m *Model) orderKey(s string) tea.Cmd {
	if s == "esc" || s == "backspace" || s == "left" {
		m.view = viewOrders
		return nil
	}
	a, ok := orderKeys[s]
	if !ok {
		return nil
	}
	if !m.agentUp() {
		return nil
	}
	if a == admin.Reject {
		m.mode = modeReason
		return nil
	}
	return m.askPreview(a, "")
}

// startInput puts a question in the input line.
func (m *Model) startInput(what, value string) {
	m.edit, m.mode = what, modeType
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.input.Focus()
}

func (m *Model) typeKey(k tea.KeyMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		m.input.Blur()
		m.mode = modeBrowse
		if m.edit == "search" {
			m.setQuery("")
		}
		return nil
	case "enter":
		m.input.Blur()
		m.mode = modeBrowse
		v := m.input.Value()
		switch m.edit {
		case "reason":
			if v == "" {
				m.mode = modeReason
				return nil
			}
			return m.askPreview(admin.Reject, v)
		case "search":
			return nil
		}
		return m.submitCatalog(m.edit, v)
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	if m.edit == "search" {
		m.setQuery(m.input.Value())
	}
	return cmd
}
