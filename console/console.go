package console

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
)

// Reach returns the shop: the running agent (live), or while none
// answers and allowFile is set, the store file. close releases it.
// admin.Env.Connect is one.
type Reach func(allowFile bool) (b admin.Backend, live bool, close func(), err error)

// Options configure the console.
type Options struct {
	Reach Reach
	Lang  Lang
	ASCII bool // no box drawing, for serial consoles
	Color bool // false for NO_COLOR or a terminal without colour
	// Out is where the screen goes; the theme asks it about colour.
	Out io.Writer
	// Bell rings the terminal's bell when new orders arrive.
	Bell bool
	Now  func() time.Time
	Loc  *time.Location // times are shown in it; default time.Local
	// Wait is how long one watch on the agent waits for a change, and
	// Recheck how often the console looks again while no agent answers
	// (each look opens the store file and checks it, which is not free
	// on a Pi's SD card); whole seconds, at least one.
	Wait, Recheck time.Duration
}

// view is which screen the body shows.
type view int

const (
	viewOrders view = iota
	viewOrder
	viewCatalog
	viewMessages
	viewToday
)

// mode is what keys mean right now: browsing, or a question on screen.
type mode int

const (
	modeBrowse  mode = iota
	modeHelp         // the help page; any key closes it
	modeReason       // pick a rejection reason
	modeType         // type into the input (reason, stock, price, search, path)
	modeConfirm      // an SMS preview waits for y
	modeImport       // an import is running
)

// Model is the console's state; bubbletea calls Update and View.
type Model struct {
	o   Options
	ctx context.Context
	w   *words
	th  theme

	width, height int
	view          view
	mode          mode

	// What the agent said last.
	live   bool
	down   bool // neither agent nor file answered
	status admin.Status
	tx     int  // the store's last transaction, for the next watch
	ring   bool // the next frame rings the bell
	ticks  int  // of the clock, for Recheck
	loaded bool

	open   []orders.Order // open orders, grouped by state, newest first
	seen   map[string]bool
	fresh  map[string]bool // placed since the console started, not yet opened
	cursor int
	top    int

	order   orders.Order // the one open in viewOrder
	act     admin.Action
	reason  string
	preview admin.Preview

	items    []catalog.Item // the whole catalog
	shown    []int          // items matching the search, by index
	query    string
	ipage    pager
	edit     string // what the input is for: "reason", "stock", "price", "search", "import", "export"
	input    textinput.Model
	imp      *importRun
	problems []catalog.Problem

	msg   messages
	today admin.Today

	note    string // the last result, in plain words
	noteErr bool
}

// New returns the console's model.
func New(ctx context.Context, o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Loc = cmp.Or(o.Loc, time.Local)
	o.Out = cmp.Or(o.Out, io.Discard)
	if o.Wait <= 0 {
		o.Wait = 20 * time.Second
	}
	if o.Recheck <= 0 {
		o.Recheck = 5 * time.Second
	}
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 200
	return &Model{
		o: o, ctx: ctx, w: wordsFor(o.Lang), th: newTheme(o.Out, o.ASCII, o.Color),
		width: 80, height: 24,
		seen: map[string]bool{}, fresh: map[string]bool{},
		input: in,
	}
}

// Run shows the console on the terminal until the operator quits or ctx
// ends.
func Run(ctx context.Context, o Options, progOpts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Say what the terminal is instead of asking it: a serial console or
	// the Linux console never answers the background colour query, and
	// lipgloss would wait five seconds for it before the first frame.
	lipgloss.SetHasDarkBackground(true)
	if !o.Color {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	m := New(ctx, o)
	opts := append([]tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx)}, progOpts...)
	_, err := tea.NewProgram(m, opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.refresh(), m.clock())
}

// Messages from commands.
type (
	refreshed struct {
		live   bool
		status admin.Status
		open   []orders.Order
		tx     int
		err    error
	}
	changed   struct{ tx int }
	watchLost struct{ err error }
	tick      struct{}
	statusDue struct{} // a watch ended with the store unchanged
	gotOrder  struct{ o orders.Order }
	previewed struct {
		p   admin.Preview
		err error
	}
	acted struct {
		o   orders.Order
		err error
	}
	pausedSet struct{ st admin.ShopState }
)

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	case refreshed:
		return m, m.refreshedMsg(msg)
	case changed:
		return m, tea.Batch(m.refresh(), m.reloadView())
	case statusDue:
		return m, m.refresh()
	case shopErr:
		m.fail(msg.err)
		return m, nil
	case todayLoaded:
		m.today = msg.t
		return m, nil
	case watchLost:
		if m.ctx.Err() != nil {
			return m, nil
		}
		// The agent went away or could not watch: look again in a
		// second, which finds it down (and says so) or back.
		return m, tea.Tick(time.Second, func(time.Time) tea.Msg { return changed{} })
	case tick:
		m.ring = false // rung by the frames drawn since
		cmds := []tea.Cmd{m.clock()}
		m.ticks++
		if !m.live && !m.importing() && m.ticks%max(1, int(m.o.Recheck/time.Second)) == 0 {
			cmds = append(cmds, m.refresh())
		}
		return m, tea.Batch(cmds...)
	case gotOrder:
		m.order = msg.o
		return m, nil
	case previewed:
		if msg.err != nil {
			m.fail(msg.err)
			m.mode = modeBrowse
			return m, nil
		}
		m.preview, m.mode = msg.p, modeConfirm
		return m, nil
	case acted:
		m.mode = modeBrowse
		if msg.err != nil {
			m.fail(msg.err)
			return m, nil
		}
		m.order = msg.o
		m.say(fmt.Sprintf(m.w.Done, msg.o.ID, m.w.States[msg.o.State]))
		return m, m.refresh()
	case pausedSet:
		m.status.Shop = msg.st
		if msg.st.Paused {
			m.say(m.w.PausedNow)
		} else {
			m.say(m.w.ResumedNow)
		}
		return m, nil
	}
	if ok, cmd := m.messagesMsg(msg); ok {
		return m, cmd
	}
	return m.catalogMsg(msg)
}

// clock ticks once a second for the clock and the orders' ages.
func (m *Model) clock() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tick{} })
}

// refresh reads the status and the open orders, from the agent if it
// answers, else from the file.
func (m *Model) refresh() tea.Cmd {
	ctx := m.ctx
	reach := m.o.Reach
	return func() tea.Msg {
		b, live, done, err := reach(true)
		if err != nil {
			return refreshed{err: err}
		}
		defer done()
		var r refreshed
		r.live = live
		if r.status, err = b.Status(ctx); err != nil {
			return refreshed{err: err}
		}
		if r.open, err = b.Orders(ctx, orders.Filter{States: openStates}); err != nil {
			return refreshed{err: err}
		}
		if live {
			c, err := b.Watch(ctx, 0, 0)
			if err != nil {
				return refreshed{err: err}
			}
			r.tx = c.Tx
		}
		return r
	}
}

// watch waits on the agent for the store to move past tx.
func (m *Model) watch(tx int) tea.Cmd {
	ctx, reach, wait := m.ctx, m.o.Reach, m.o.Wait
	return func() tea.Msg {
		b, live, done, err := reach(false)
		if err != nil || !live {
			if done != nil {
				done()
			}
			return watchLost{err}
		}
		defer done()
		if ctx.Err() != nil {
			return watchLost{ctx.Err()}
		}
		c, err := b.Watch(ctx, tx, wait)
		if err != nil {
			return watchLost{err}
		}
		if c.Tx != tx {
			return changed{c.Tx}
		}
		// A quiet store: read the status again all the same, as the
		// modem (signal, SIM) moves without a store change.
		return statusDue{}
	}
}

// openStates are the states the orders view lists, in its order: what
// needs the operator first.
var openStates = []orders.State{orders.Placed, orders.Accepted, orders.Packed, orders.Dispatched}

func (m *Model) refreshedMsg(r refreshed) tea.Cmd {
	if r.err != nil {
		// The newest failure replaces an older one: a refresh that ran
		// into the agent stopping says "could not reach", and the next
		// says what is true now. A note that is not an error stays.
		wasLive := m.live
		m.live, m.down = false, true
		if wasLive || !m.loaded || m.noteErr {
			m.fail(r.err)
		}
		return nil
	}
	wasLive := m.live
	m.live, m.down, m.status, m.tx = r.live, false, r.status, r.tx
	if !wasLive && r.live && m.noteErr {
		m.note, m.noteErr = "", false
	}
	var cmds []tea.Cmd
	if m.setOpen(r.open) > 0 && m.o.Bell {
		m.ring = true
	}
	if r.live {
		cmds = append(cmds, m.watch(r.tx))
	}
	if m.view == viewOrder && m.order.ID != "" {
		for _, o := range r.open {
			if o.ID == m.order.ID {
				m.order = o
			}
		}
	}
	m.loaded = true
	return tea.Batch(cmds...)
}

// setOpen takes a new list of open orders, grouped by state, and counts
// the placed ones not seen before (none on the first load: those were
// waiting before the console started).
func (m *Model) setOpen(list []orders.Order) int {
	var cur string
	if m.cursor < len(m.open) {
		cur = m.open[m.cursor].ID
	}
	grouped := make([]orders.Order, 0, len(list))
	for _, st := range openStates {
		for _, o := range list {
			if o.State == st {
				grouped = append(grouped, o)
			}
		}
	}
	n := 0
	for _, o := range grouped {
		if !m.seen[o.ID] {
			m.seen[o.ID] = true
			if m.loaded && o.State == orders.Placed {
				m.fresh[o.ID] = true
				n++
			}
		}
	}
	for id := range m.fresh {
		if !containsOrder(grouped, id, orders.Placed) {
			delete(m.fresh, id)
		}
	}
	m.open = grouped
	m.cursor = 0
	for i, o := range grouped {
		if o.ID == cur {
			m.cursor = i
		}
	}
	return n
}

func containsOrder(list []orders.Order, id string, st orders.State) bool {
	for _, o := range list {
		if o.ID == id {
			return o.State == st
		}
	}
	return false
}

// titleText is the terminal's title: the shop's name and how many new
// orders wait.
func (m *Model) titleText() string {
	if n := len(m.fresh); n > 0 {
		return m.w.Title + " (" + fmt.Sprintf(m.w.New, n) + ")"
	}
	return m.w.Title
}

func (m *Model) say(s string) { m.note, m.noteErr = s, false }

// fail shows err in plain words: what the agent said if it said
// something safe, never a Go error string.
func (m *Model) fail(err error) {
	m.note, m.noteErr = m.plain(err), true
}

func (m *Model) plain(err error) string {
	var e *admin.Error
	switch {
	case errors.Is(err, admin.ErrNoAgent):
		return m.w.ErrDown
	case errors.Is(err, admin.ErrNoAnswer):
		return m.w.ErrNoAnswer
	case errors.As(err, &e):
		switch e.Code {
		case admin.CodeConflict:
			return fmt.Sprintf(m.w.ErrConflict, m.order.ID, m.w.States[m.order.State])
		case admin.CodeNotFound:
			return fmt.Sprintf(m.w.ErrNotFound, e.Msg)
		case admin.CodeInvalid, admin.CodeBadCSV, admin.CodeUnavailable, admin.CodeSyncFailed:
			return e.Msg
		}
		return m.w.ErrInternal
	}
	return m.w.ErrReach
}

func (m *Model) importing() bool { return m.imp != nil && !m.imp.done }

// askPreview asks the agent for the SMS a step would send, for the
// operator to confirm.
func (m *Model) askPreview(a admin.Action, reason string) tea.Cmd {
	m.act, m.reason = a, reason
	ctx, id := m.ctx, m.order.ID
	return change(m, func(b admin.Backend) (admin.Preview, error) { return b.Preview(ctx, id, a, reason) },
		func(p admin.Preview, err error) tea.Msg { return previewed{p, err} })
}

func (m *Model) doAct() tea.Cmd {
	ctx, id, a, reason := m.ctx, m.order.ID, m.act, m.reason
	return change(m, func(b admin.Backend) (orders.Order, error) { return b.Act(ctx, id, a, reason) },
		func(o orders.Order, err error) tea.Msg { return acted{o, err} })
}

func (m *Model) loadOrder(id string) tea.Cmd {
	ctx := m.ctx
	return fetch(m, func(b admin.Backend) (orders.Order, error) { return b.Order(ctx, id) },
		orFail(func(o orders.Order) tea.Msg { return gotOrder{o} }))
}

func (m *Model) togglePause() tea.Cmd {
	ctx, p := m.ctx, !m.status.Shop.Paused
	return change(m, func(b admin.Backend) (admin.ShopState, error) { return b.SetPaused(ctx, p) },
		orFail(func(st admin.ShopState) tea.Msg { return pausedSet{st} }))
}
