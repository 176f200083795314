package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/protocol/match"
)

// BenchMain is "tokri bench": the agent, as its own process, against a
// zero-latency virtual modem over a pty. It measures what the agent adds:
// per-message latency from the phone's SMS reaching the modem to the reply
// leaving through AT+CMGS, sustained messages per second, and the agent
// process's peak RSS.
type BenchMain struct {
	rate    int
	count   int
	burst   int
	profile string
	items   int
	costN   int
	keep    bool
	out     io.Writer
}

// Targets on a Pi-class machine.
const (
	targetP99   = 20 * time.Millisecond
	targetRate  = 300.0
	targetRSSKB = 20 * 1024
	targetMatch = time.Millisecond
)

// benchTexts are what shoppers send: a greeting, searches with typos and
// Hinglish, a one-shot order, a browse.
var benchTexts = []string{
	"HI", "atta 5kg", "2 cheeni 1kg, 1 sarson tel", "chawal basmati", "haldi powdr",
	"1", "doodh", "नमक", "moong dal 1 kg", "biskut",
}

// Flags implements command.Command.
func (c *BenchMain) Flags(fs *flag.FlagSet) {
	fs.IntVar(&c.rate, "rate", 50, "messages per second in the latency run")
	fs.IntVar(&c.count, "count", 500, "messages in the latency run")
	fs.IntVar(&c.burst, "burst", 3000, "messages in the throughput run (sent as fast as the network takes them)")
	fs.StringVar(&c.profile, "profile", "sim800", "virtual modem model")
	fs.IntVar(&c.items, "items", 5000, "items in the generated catalog the agent holds")
	fs.IntVar(&c.costN, "cost-count", 50, "messages in the run that counts commits, fdatasyncs and bytes written (at 5 a second)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (agent log, store)")
}

// Args implements command.Arguments: the sizes must be positive.
func (c *BenchMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if c.rate <= 0 || c.count <= 0 || c.burst <= 0 || c.costN <= 0 {
		return errors.New("--rate, --count, --burst and --cost-count must be positive")
	}
	return nil
}

// Run implements command.
func (c *BenchMain) Run(ctx context.Context) error {
	if c.out == nil {
		c.out = os.Stdout
	}
	dir, err := benchDir("tokri-bench-", c.keep, c.out)
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	link := filepath.Join(dir, "modem")
	phone, simErr, err := startSim(ctx, vmodem.Config{Link: link, Profile: c.profile, Log: zerolog.Nop()})
	if err != nil {
		return err
	}
	defer func() { cancel(); <-simErr }()

	items := catalog.Generate(c.items, 1)
	if err := loadCatalog(filepath.Join(dir, "data"), items); err != nil {
		return err
	}
	perMatch := matcherTime(items)
	agent, err := startAgent(dir, link, "")
	if err != nil {
		return err
	}
	defer agent.stop()

	// The first reply proves the agent is up and through Init.
	if _, err := c.round(ctx, phone, "+917000000000", 1, 0, 60*time.Second); err != nil {
		return fmt.Errorf("agent did not answer the first message (log: %s): %w", agent.logPath, err)
	}
	lat, err := c.round(ctx, phone, "+917100000000", c.count, time.Second/time.Duration(c.rate), 2*time.Minute)
	if err != nil {
		return err
	}
	start := time.Now()
	burst, err := c.round(ctx, phone, "+917200000000", c.burst, 0, 5*time.Minute)
	if err != nil {
		return err
	}
	last := slices.MaxFunc(burst.sentAt, time.Time.Compare)
	rate := float64(c.burst) / last.Sub(start).Seconds()
	mem, err := agent.memKB("VmHWM", "RssAnon", "RssFile")
	if err != nil {
		return err
	}
	rss := mem["VmHWM"]
	cost, err := c.costs(ctx, phone, agent, filepath.Join(dir, "data"), c.costN)
	if err != nil {
		return err
	}

	p50, p99, max := lat.percentile(0.50), lat.percentile(0.99), lat.percentile(1)
	fmt.Fprintf(c.out, "catalog: %d generated items\n", len(items))
	fmt.Fprintf(c.out, "matcher: %v per message   target < %v  %s\n", perMatch, targetMatch, verdict(perMatch < targetMatch))
	fmt.Fprintf(c.out, "latency at %d msg/s (%d messages, SMS at the modem -> reply written to the port):\n", c.rate, c.count)
	fmt.Fprintf(c.out, "  p50 %v  p99 %v  max %v   target p99 < %v  %s\n", p50, p99, max, targetP99, verdict(p99 < targetP99))
	fmt.Fprintf(c.out, "throughput (%d messages at once): %.0f msg/s   target >= %.0f  %s\n", c.burst, rate, targetRate, verdict(rate >= targetRate))
	fmt.Fprintf(c.out, "agent peak RSS: %.1f MB   target < %d MB  %s   (at the end: %.1f MB anonymous, %.1f MB mapped files)\n",
		float64(rss)/1024, targetRSSKB/1024, verdict(rss < targetRSSKB), float64(mem["RssAnon"])/1024, float64(mem["RssFile"])/1024)
	cost.print(c)
	return nil
}

// benchDir makes a bench's temporary directory, and names it when it is
// to be kept (the caller removes it otherwise).
func benchDir(prefix string, keep bool, out io.Writer) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err == nil && keep {
		fmt.Fprintln(out, "bench directory:", dir)
	}
	return dir, err
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// roundResult holds one reply per message, by index.
type roundResult struct {
	latency []time.Duration
	sentAt  []time.Time
}

func (r roundResult) percentile(p float64) time.Duration {
	s := slices.Clone(r.latency)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// round sends n messages from n distinct numbers (base's first five
// characters, then i zero-padded to base's length), one every gap (all
// at once when gap is 0), and waits for a reply to each.
func (c *BenchMain) round(ctx context.Context, phone *vmodem.Client, base string, n int, gap, timeout time.Duration) (roundResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	prefix, first := base[:5], 0
	number := func(i int) string { return fmt.Sprintf("%s%0*d", prefix, len(base)-5, i) }
	mark, err := phone.Sent(ctx)
	if err != nil {
		return roundResult{}, err
	}
	seq := 0
	if len(mark) > 0 {
		seq = mark[len(mark)-1].Seq
	}
	posted := make([]time.Time, n)
	res := roundResult{latency: make([]time.Duration, n), sentAt: make([]time.Time, n)}
	var mu sync.Mutex
	sendErr := make(chan error, 1)
	go func() {
		sendErr <- c.post(ctx, phone, n, gap, number, func(i int, t time.Time) {
			mu.Lock()
			posted[i] = t
			mu.Unlock()
		})
	}()
	got := 0
	for got < n {
		sent, err := phone.WaitSent(ctx, seq, 1, 10*time.Second)
		if ctx.Err() != nil {
			return res, fmt.Errorf("%d of %d replies after %v", got, n, timeout)
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return res, err
		}
		for _, s := range sent {
			seq = s.Seq
			if !strings.HasPrefix(s.To, prefix) {
				continue
			}
			i, err := strconv.Atoi(strings.TrimPrefix(s.To, prefix))
			if err != nil || i-first < 0 || i-first >= n {
				continue
			}
			mu.Lock()
			res.latency[i-first] = s.Time.Sub(posted[i-first])
			mu.Unlock()
			res.sentAt[i-first] = s.Time
			got++
		}
	}
	return res, <-sendErr
}

// post delivers n SMS, paced by gap or from several goroutines at once.
func (c *BenchMain) post(ctx context.Context, phone *vmodem.Client, n int, gap time.Duration, from func(int) string, at func(int, time.Time)) error {
	send := func(i int) error {
		at(i, time.Now())
		return phone.SendSMS(ctx, vmodem.SMS{From: from(i), Text: benchTexts[i%len(benchTexts)]})
	}
	if gap > 0 {
		t := time.NewTicker(gap)
		defer t.Stop()
		for i := 0; i < n; i++ {
			if err := send(i); err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
			}
		}
		return nil
	}
	const workers = 8
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := w; i < n; i += workers {
				if err := send(i); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// loadCatalog puts items in the store the agent will open.
func loadCatalog(data string, items []catalog.Item) error {
	if err := os.MkdirAll(data, 0o750); err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(data, admin.DBName), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *store.Tx) error {
		_, err := catalog.Import(tx.Bolt(), items)
		return err
	})
}

// matcherTime is the mean time the item matcher takes for one shopper's
// words against items.
func matcherTime(items []catalog.Item) time.Duration {
	mi := make([]match.Item, len(items))
	for i, it := range items {
		mi[i] = it.MatchItem()
	}
	x := match.New(mi)
	const n = 2000
	start := time.Now()
	for i := 0; i < n; i++ {
		x.Find(benchTexts[i%len(benchTexts)], match.DefaultLimit)
	}
	return time.Since(start) / n
}

// agentProcess is a bench's child process ("tokri run", or tokri-central
// beside it), so that its memory and its traffic are its own.
type agentProcess struct {
	cmd     *exec.Cmd
	logPath string
	done    chan error
}

// startAgent runs "tokri run" on the virtual modem at link, its config the
// bench's own followed by extra (more TOML sections).
func startAgent(dir, link, extra string) (*agentProcess, error) {
	cfgPath := filepath.Join(dir, "tokri.toml")
	cfg := fmt.Sprintf("[modem]\nport = %q\n\n[agent]\ndata = %q\nlog_level = \"warn\"\ndaily_cap = 100000000\n\n[shop]\nopens = \"00:00\"\ncloses = \"00:00\"\n", link, filepath.Join(dir, "data"))
	if err := os.WriteFile(cfgPath, []byte(cfg+extra), 0o600); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var env []string
	if extra := os.Getenv("TOKRI_BENCH_ENV"); extra != "" {
		// One NAME=VALUE for the agent alone, e.g. GOGC=50, to try tuning.
		env = append(os.Environ(), extra)
	}
	return startLogged(filepath.Join(dir, "agent.log"), env, exe, "run", "--config", cfgPath)
}

// startLogged starts name with args, its output to logPath; env nil is
// this process's environment.
func startLogged(logPath string, env []string, name string, args ...string) (*agentProcess, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	p := &agentProcess{cmd: cmd, logPath: logPath, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logf.Close() }()
	return p, nil
}

// memKB reads fields of the process's /proc status (VmHWM is the
// high-water mark of resident memory; RssAnon and RssFile split the current
// resident set into heap and stacks, and mapped files: the binary and the
// bbolt file).
func (p *agentProcess) memKB(fields ...string) (map[string]int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return nil, fmt.Errorf("agent memory: %w", err)
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || !slices.Contains(fields, name) {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		if err != nil {
			return nil, fmt.Errorf("agent memory: %s: %w", name, err)
		}
		out[name] = n
	}
	if len(out) != len(fields) {
		return nil, fmt.Errorf("agent memory: want %v in /proc status, got %v", fields, out)
	}
	return out, nil
}

func (p *agentProcess) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// Close implements command.
func (c *BenchMain) Close() error { return nil }
