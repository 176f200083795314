package console

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/creack/pty"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// The sizes the console must stay quick at: a busy day's open orders and
// a large shop's catalog.
const (
	benchOrders = 1000
	benchItems  = 5000
)

func benchCatalog() []catalog.Item {
	items := make([]catalog.Item, benchItems)
	for i := range items {
		items[i] = catalog.Item{SKU: fmt.Sprintf("ITEM%04d", i), Name: fmt.Sprintf("Item number %d", i), NameHi: "आशीर्वाद आटा",
			Category: fmt.Sprintf("Cat %d", i%40), Unit: "1 kg", Price: int64(1000 + i), Stock: 1_000_000, Active: true}
	}
	return items
}

func benchOpenOrders() []orders.Order {
	out := make([]orders.Order, benchOrders)
	states := openStates
	for i := range out {
		out[i] = orders.Order{ID: fmt.Sprintf("B%04d", i), Shopper: fmt.Sprintf("+9198%08d", i), State: states[i%len(states)],
			Lines: []orders.Line{{SKU: "ITEM0001", Name: "Item number 1", Qty: 2, Price: 1001}}, Total: 2002, Mode: orders.ModePickup,
			CreatedAt: goldenNow.Add(-time.Duration(i) * time.Minute)}
	}
	return out
}

// BenchmarkFrameOrders is one frame of the orders view with a thousand
// open orders (aim: under 16 ms).
func BenchmarkFrameOrders(b *testing.B) {
	m := goldenModel(English, false)
	m.Update(refreshed{live: true, status: goldenStatus(), open: benchOpenOrders()})
	m.Update(key("j"))
	b.ResetTimer()
	for b.Loop() {
		m.Update(key("j"))
		_ = m.View()
	}
}

// BenchmarkFrameCatalog is one frame of the catalog with 5,000 items,
// after a keystroke in the search (aim: under 16 ms).
func BenchmarkFrameCatalog(b *testing.B) {
	m := goldenModel(English, false)
	m.Update(loaded[catalog.Item]{list: benchCatalog()})
	m.Update(key("tab"))
	m.Update(key("/"))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(key("9"))
		} else {
			m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		_ = m.View()
	}
}

// BenchmarkConsoleProcess runs the real tokri-console binary on a pty against
// an agent's admin API over a store with a thousand open orders and a
// 5,000-item catalog. It reports the time from start to the first frame
// that shows the orders, and the console's resident memory after it has
// also drawn the catalog. TOKRI_CONSOLE_BIN names the binary; without it
// the benchmark builds one.
func BenchmarkConsoleProcess(b *testing.B) {
	bin := os.Getenv("TOKRI_CONSOLE_BIN")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "tokri-console")
		testkit.GoBuild(b, nil, "-o", bin, "github.com/tokrihq/tokri/cmd/tokri-console")
	}
	data := seededAgent(b)
	var first, rss, hwm float64
	for b.Loop() {
		f, r, h := runConsole(b, bin, data)
		first, rss, hwm = first+f, max(rss, r), max(hwm, h)
	}
	b.ReportMetric(first/float64(b.N), "ms-first-frame")
	b.ReportMetric(rss, "MB-rss")
	b.ReportMetric(hwm, "MB-rss-peak")
}

// seededAgent serves the admin API of a store with the bench's orders and
// catalog and returns its data directory.
func seededAgent(b *testing.B) string {
	b.Helper()
	data := seed.ShortDir(b)
	db, err := store.Open(filepath.Join(data, admin.DBName), store.Options{Log: zerolog.Nop()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	testkit.ImportShop(b, db, "Bench Kirana", benchCatalog())
	err = db.Update(func(tx *store.Tx) error {
		for i := range benchOrders {
			o := orders.Order{Shopper: fmt.Sprintf("+9198%08d", i), Lines: []orders.Line{{SKU: "ITEM0001", Name: "Item number 1", Qty: 1, Price: 1001}},
				Subtotal: 1001, Total: 1001, Mode: orders.ModePickup, Payment: orders.PayCOD}
			if _, err := orders.Place(tx, o, time.Now().Add(-time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := admin.NewServer(admin.Options{DB: db, Cache: catalog.NewCache(), Log: zerolog.Nop()})
	seed.Serve(b, func(ctx context.Context) error { return srv.Serve(ctx, filepath.Join(data, admin.SocketName)) })
	return data
}

// runConsole starts the console, waits for its first frame with orders
// and for the catalog, and returns milliseconds to the first frame and
// the resident set in MB, now and at its peak.
func runConsole(b *testing.B, bin, data string) (firstMS, rssMB, peakMB float64) {
	b.Helper()
	cmd := exec.Command(bin, "--data", data, "--config", "-")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "NO_COLOR=1")
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		tty.Write([]byte("q"))
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		tty.Close()
	}()
	out := make(chan []byte, 64)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				// Answer the cursor position query as every terminal
				// does (bubbletea asks at start for the background).
				if bytes.Contains(buf[:n], []byte("\x1b[6n")) {
					tty.Write([]byte("\x1b[1;1R"))
				}
				out <- bytes.Clone(buf[:n])
			}
			if err != nil {
				close(out)
				return
			}
		}
	}()
	var seen bytes.Buffer
	wait := func(want string) {
		deadline := time.After(30 * time.Second)
		for !bytes.Contains(seen.Bytes(), []byte(want)) {
			select {
			case p, ok := <-out:
				if !ok {
					b.Fatalf("console ended before showing %q:\n%s", want, seen.String())
				}
				seen.Write(p)
			case <-deadline:
				b.Fatalf("console did not show %q:\n%s", want, seen.String())
			}
		}
	}
	wait("Tokri")
	if os.Getenv("TOKRI_BENCH_TRACE") != "" {
		b.Logf("first frame of any kind after %v", time.Since(start))
	}
	wait("New (" + strconv.Itoa(benchOrders) + ")")
	firstMS = float64(time.Since(start).Microseconds()) / 1000
	tty.Write([]byte("\t"))
	wait("ITEM0000")
	rssMB, peakMB = procMem(b, cmd.Process.Pid)
	return firstMS, rssMB, peakMB
}

// procMem reads VmRSS and VmHWM of pid, in MB.
func procMem(b *testing.B, pid int) (rss, peak float64) {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(st), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
