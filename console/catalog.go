package console

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/internal/atomicfile"
)

// Messages of the catalog view.
type (
	itemSaved    struct{ it catalog.Item }
	importTick   struct{}
	importPolled struct {
		p   admin.ImportProgress
		err error
	}
	importDone struct {
		res catalog.ImportResult
		err error
	}
	exported struct {
		n    int
		path string
	}
)

// importRun is a catalog import in flight, for the progress bar: how much
// of the file the agent has read (it checks every line as it reads), then
// how many items it has written, as it says.
type importRun struct {
	name   string
	total  int64
	sent   atomic.Int64
	done   bool
	res    catalog.ImportResult
	server admin.ImportProgress // the agent's word, polled
}

// countingReader counts what the request has read of the file.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (m *Model) catalogMsg(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loaded[catalog.Item]:
		m.items = msg.list
		m.setQuery(m.query)
	case itemSaved:
		for i := range m.items {
			if m.items[i].SKU == msg.it.SKU {
				m.items[i] = msg.it
			}
		}
		act := m.w.Active
		if !msg.it.Active {
			act = m.w.Inactive
		}
		m.say(fmt.Sprintf(m.w.Saved, msg.it.SKU+" "+msg.it.Name+": "+m.w.Stock+" "+strconv.Itoa(msg.it.Stock)+", "+m.w.Price+" "+catalog.FormatRupees(msg.it.Price)+", "+act))
	case importTick:
		if m.importing() {
			ctx := m.ctx
			return m, tea.Batch(tea.Tick(200*time.Millisecond, func(time.Time) tea.Msg { return importTick{} }),
				change(m, func(b admin.Backend) (admin.ImportProgress, error) { return b.ImportProgress(ctx) },
					func(p admin.ImportProgress, err error) tea.Msg { return importPolled{p, err} }))
		}
	case importPolled:
		if msg.err == nil && m.importing() {
			m.imp.server = msg.p
		}
	case importDone:
		m.imp.done = true
		m.imp.sent.Store(m.imp.total)
		if msg.err != nil {
			var e *admin.Error
			if errors.As(msg.err, &e) && e.Code == admin.CodeBadCSV {
				m.problems = e.Problems
			}
			m.fail(msg.err)
			return m, nil
		}
		m.imp.res = msg.res
		m.say(fmt.Sprintf(m.w.Imported, msg.res.Added, msg.res.Updated))
		return m, m.loadItems()
	case exported:
		m.say(fmt.Sprintf(m.w.Exported, msg.n, msg.path))
	}
	return m, nil
}

func (m *Model) loadItems() tea.Cmd { return load(m, admin.Backend.Items) }

// setQuery shows the items whose SKU, English or Hindi name or synonyms
// hold q.
func (m *Model) setQuery(q string) {
	m.query = q
	m.shown = m.shown[:0]
	needle := strings.ToLower(strings.TrimSpace(q))
	for i, it := range m.items {
		if needle == "" || matches(it, needle) {
			m.shown = append(m.shown, i)
		}
	}
	m.ipage.clamp(len(m.shown))
}

func matches(it catalog.Item, needle string) bool {
	if strings.Contains(strings.ToLower(it.SKU), needle) || strings.Contains(strings.ToLower(it.Name), needle) || strings.Contains(it.NameHi, needle) {
		return true
	}
	for _, s := range it.Synonyms {
		if strings.Contains(strings.ToLower(s), needle) {
			return true
		}
	}
	return false
}

func (m *Model) selected() (catalog.Item, bool) {
	if m.ipage.cursor < len(m.shown) {
		return m.items[m.shown[m.ipage.cursor]], true
	}
	return catalog.Item{}, false
}

// editable is the selected item, if there is one and a running agent to
// change it; without an agent the operator is told why nothing happens.
func (m *Model) editable() (catalog.Item, bool) {
	it, ok := m.selected()
	return it, ok && m.agentUp()
}

func (m *Model) catalogKey(s string) tea.Cmd {
	if m.ipage.move(s, len(m.shown), m.bodyHeight()) {
		return nil
	}
	switch s {
	case "/":
		m.problems = nil
		m.startInput("search", m.query)
	case "esc":
		m.setQuery("")
		m.problems = nil
	case "s", "e":
		it, ok := m.editable()
		if !ok {
			return nil
		}
		if s == "s" {
			m.startInput("stock", strconv.Itoa(it.Stock))
		} else {
			m.startInput("price", catalog.FormatRupees(it.Price))
		}
	case "d":
		it, ok := m.editable()
		if !ok {
			return nil
		}
		ctx, active := m.ctx, !it.Active
		return change(m, func(b admin.Backend) (catalog.Item, error) { return b.SetActive(ctx, it.SKU, active) },
			orFail(func(it catalog.Item) tea.Msg { return itemSaved{it} }))
	case "i":
		if !m.agentUp() {
			return nil
		}
		m.problems = nil
		m.startInput("import", "")
	case "x":
		m.startInput("export", "catalog.csv")
	}
	return nil
}

// submitCatalog does what the input line asked for.
func (m *Model) submitCatalog(what, v string) tea.Cmd {
	ctx := m.ctx
	v = strings.TrimSpace(v)
	switch what {
	case "stock", "price":
		it, ok := m.selected()
		if !ok {
			return nil
		}
		var save func(b admin.Backend) (catalog.Item, error)
		if what == "stock" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				m.note, m.noteErr = fmt.Sprintf("%q: %s", v, m.w.Stock+" 0, 1, 2 ..."), true
				return nil
			}
			save = func(b admin.Backend) (catalog.Item, error) { return b.SetStock(ctx, it.SKU, n) }
		} else {
			paise, err := catalog.ParseRupees(strings.TrimPrefix(strings.TrimPrefix(v, "Rs"), "₹"))
			if err != nil || paise == 0 {
				m.note, m.noteErr = fmt.Sprintf("%q: %s", v, m.w.Price+" 52.50"), true
				return nil
			}
			save = func(b admin.Backend) (catalog.Item, error) { return b.SetPrice(ctx, it.SKU, paise) }
		}
		return change(m, save, orFail(func(it catalog.Item) tea.Msg { return itemSaved{it} }))
	case "import":
		f, err := os.Open(v)
		if err != nil {
			m.note, m.noteErr = fmt.Sprintf("%s: %s", v, plainFileErr(err)), true
			return nil
		}
		fi, _ := f.Stat()
		run := &importRun{name: filepath.Base(v), total: max(1, fi.Size())}
		m.imp, m.mode = run, modeImport
		send := change(m, func(b admin.Backend) (catalog.ImportResult, error) {
			defer f.Close()
			return b.ImportCatalog(ctx, countingReader{f, &run.sent})
		}, func(res catalog.ImportResult, err error) tea.Msg { return importDone{res, err} })
		return tea.Batch(func() tea.Msg {
			msg := send()
			f.Close() // if the agent was not reached
			return msg
		}, func() tea.Msg { return importTick{} })
	case "export":
		return fetch(m, func(b admin.Backend) (exported, error) {
			var buf bytes.Buffer
			if err := b.ExportCatalog(ctx, &buf); err != nil {
				return exported{}, err
			}
			// Whole or not at all: a failed export leaves no half catalog.
			if err := atomicfile.Write(v, buf.Bytes(), 0o644); err != nil {
				return exported{}, fileErr{v, err}
			}
			return exported{n: max(0, bytes.Count(buf.Bytes(), []byte("\n"))-1), path: v}, nil
		}, orFail(func(e exported) tea.Msg { return e }))
	}
	return nil
}

// fileErr is a local file the console could not read or write.
type fileErr struct {
	path string
	err  error
}

func (e fileErr) Error() string { return e.path + ": " + plainFileErr(e.err) }

func plainFileErr(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file"
	case os.IsPermission(err):
		return "permission denied"
	}
	return "cannot open it"
}

// catalogBody is the search line, the item table and, after an import,
// its progress and bad lines.
func (m *Model) catalogBody(w, h int) []string {
	var out []string
	if m.mode == modeType {
		var q string
		switch m.edit {
		case "search":
			q = m.w.Search + ":"
		case "stock":
			it, _ := m.selected()
			q = fmt.Sprintf(m.w.EditStock, it.SKU)
		case "price":
			it, _ := m.selected()
			q = fmt.Sprintf(m.w.EditPrice, it.SKU)
		case "import":
			q = m.w.ImportPath
		case "export":
			q = m.w.ExportPath
		}
		out = append(out, fit(q+" "+m.input.View(), w))
	} else if m.query != "" {
		out = append(out, fit(m.w.Search+": "+m.query+fmt.Sprintf("  (%d/%d)", len(m.shown), len(m.items)), w))
	}
	if m.imp != nil && (m.importing() || m.mode == modeImport || len(m.problems) > 0) {
		out = append(out, m.importLines(w)...)
		if len(m.problems) > 0 || m.mode == modeImport {
			return out
		}
	}
	out = append(out, m.th.head.Render(fit(m.itemRow("", m.w.SKU, m.w.Name, "", "", m.w.Price, m.w.Stock, ""), w)))
	h -= len(out)
	from, to := m.ipage.window(len(m.shown), h)
	for i := from; i < to; i++ {
		it := m.items[m.shown[i]]
		mark := " "
		if i == m.ipage.cursor {
			mark = m.th.cursor
		}
		act := m.w.Active
		if !it.Active {
			act = m.w.Inactive
		}
		row := fit(m.itemRow(mark, it.SKU, it.Name, it.NameHi, it.Unit, catalog.FormatRupees(it.Price), strconv.Itoa(it.Stock), act), w)
		if i == m.ipage.cursor {
			row = m.th.sel.Render(row)
		}
		out = append(out, row)
	}
	return out
}

func (m *Model) itemRow(mark, sku, name, hi, unit, price, stock, active string) string {
	return fit(mark, 2) + fit(sku, 9) + " " + fit(name, 21) + " " + fit(hi, 15) + " " + fit(unit, 6) + right(price, 9) + right(stock, 6) + "  " + active
}

// importLines are the progress bar and what the import found. The first
// half of the bar is the file read and checked, the second the items
// written.
func (m *Model) importLines(w int) []string {
	r := m.imp
	frac := float64(r.sent.Load()) / float64(r.total) / 2
	var step string
	switch p := r.server; {
	case r.done:
		frac = 1
	case p.State == admin.ImportImporting && p.Items > 0:
		frac = 0.5 + float64(p.Done)/float64(p.Items)/2
		step = fmt.Sprintf(m.w.ImportWriting, p.Done, p.Items)
	case p.State == admin.ImportChecking:
		step = fmt.Sprintf(m.w.ImportChecking, p.Checked)
	}
	frac = min(1, max(0, frac))
	barW := max(10, min(40, w-30))
	full := int(frac * float64(barW))
	fill, empty := "█", "░"
	if m.th.ascii {
		fill, empty = "#", "-"
	}
	out := []string{fit(fmt.Sprintf(m.w.Importing, r.name)+" ["+strings.Repeat(fill, full)+strings.Repeat(empty, barW-full)+fmt.Sprintf("] %3d%%", int(frac*100)), w)}
	if step != "" {
		out = append(out, fit("  "+step, w))
	}
	if len(m.problems) > 0 {
		out = append(out, fit(fmt.Sprintf(m.w.BadLines, len(m.problems)), w))
		for _, p := range m.problems {
			out = append(out, fit("  "+p.String(), w))
		}
	}
	return out
}
