package at

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
)

// Default timeouts.
const (
	DefaultTimeout    = 10 * time.Second
	DefaultSMSTimeout = 60 * time.Second
)

// Options configure a Port. The zero value works.
type Options struct {
	Log zerolog.Logger
	// Trace, when set, receives every line to and from the modem with a
	// timestamp. Wrap it in NewRedactor before turning it on in the field.
	Trace io.Writer
	// Now stamps URCs and trace lines; nil means time.Now.
	Now func() time.Time
	// After starts command timers; nil means time.After. Tests inject a
	// fake clock here.
	After func(time.Duration) <-chan time.Time
	// Timeout bounds a command, and an SMS command up to its prompt.
	Timeout time.Duration
	// SMSTimeout bounds an SMS command from the PDU to the final result;
	// the network round trip can take tens of seconds.
	SMSTimeout time.Duration
	// MaxLine caps one received line (DefaultMaxLine).
	MaxLine int
	// OnReboot is called with the sign's name when a boot sign arrives
	// while reboots are watched (see WatchReboots), before the command in
	// flight is answered with ErrRebooted. It runs on the port's goroutine
	// and must not issue commands: it is for the driver to stop trusting
	// the modem's settings at once, before anyone acts on that answer.
	OnReboot func(sign string)
}

// Port runs the AT protocol over rw. Run must be running for commands to
// go out; commands from several goroutines are sent one at a time.
type Port struct {
	rw   io.ReadWriter
	opts Options
	log  zerolog.Logger

	reqs    chan *request
	urcs    chan URC
	done    chan struct{} // closed when Run returns
	running atomic.Bool
	echoes  atomic.Uint64
	watch   atomic.Bool // a boot sign abandons the command in flight
	halted  atomic.Bool // a boot sign was seen: commands fail until Resume

	// Only accessed from the Run goroutine.
	split   *splitter
	cur     *request
	timer   <-chan time.Time
	pend    *building
	queue   []URC
	dropped int
	trace   *tracer
}

type reqKind uint8

const (
	reqCommand reqKind = iota
	reqSMS
	reqRaw
)

// request is one command on its way through the Run goroutine.
type request struct {
	kind    reqKind
	ctx     context.Context
	cmd     string
	pdu     string
	timeout time.Duration
	// idle, when set, fails the command once no line has come for that
	// long; timeout then bounds the whole answer.
	idle time.Duration
	res  chan response

	// Only accessed from the Run goroutine.
	deadline   time.Time // start + timeout, for idle commands
	abandoned  bool      // the caller gave up; its answer is still awaited
	name       string
	call       bool
	echoSeen   bool
	promptSeen bool
	lines      []string
}

type response struct {
	lines []string
	err   error
}

// New returns a Port over rw. Run owns rw from then on: it closes rw when
// it returns if rw is an io.Closer.
func New(rw io.ReadWriter, opts Options) *Port {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.After == nil {
		opts.After = time.After
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.SMSTimeout <= 0 {
		opts.SMSTimeout = DefaultSMSTimeout
	}
	p := &Port{
		rw:    rw,
		opts:  opts,
		log:   opts.Log.With().Str("component", "at").Logger(),
		reqs:  make(chan *request),
		urcs:  make(chan URC),
		done:  make(chan struct{}),
		split: newSplitter(opts.MaxLine),
	}
	if opts.Trace != nil {
		p.trace = &tracer{w: opts.Trace, now: opts.Now}
	}
	return p
}

// URCs returns the channel of unsolicited result codes. It is closed when
// Run returns. URCs queue inside the port while nobody reads, so a reader
// that issues commands while handling a URC cannot deadlock the port.
func (p *Port) URCs() <-chan URC { return p.urcs }

// Echoes counts the command echoes seen so far. Every modem starts with
// echo on (V.250 E1), so echo coming back after ATE0 means the modem reset
// its settings: a reboot that printed nothing recognisable.
func (p *Port) Echoes() uint64 { return p.echoes.Load() }

// WatchReboots turns on or off the abandoning of the command in flight at
// a boot sign (BootSign). A modem that rebooted never answers the command
// it was given before: an AT+CMGS would otherwise hold the port for the
// whole send timeout. The driver turns it on once the modem is set up and
// off while it sets it up, when boot lines are expected; the port turns it
// off itself at the first sign, so the rest of the burst costs nothing.
//
// After such a sign every command fails with ErrRebooted until Resume: a
// command typed at a modem that came back with other settings (text mode)
// would be taken differently, an AT+CMGS=<length> as a number to send to.
func (p *Port) WatchReboots(on bool) { p.watch.Store(on) }

// Resume lets commands through again after a boot sign (or Halt) stopped
// them; the driver calls it as it starts setting the modem up again.
func (p *Port) Resume() { p.halted.Store(false) }

// Halt makes every command fail with ErrRebooted until Resume, for a
// reboot the driver noticed itself (an answer in the wrong mode, echo back
// on).
func (p *Port) Halt() { p.halted.Store(true) }

// Done is closed when Run has returned.
func (p *Port) Done() <-chan struct{} { return p.done }

// Command sends cmd (e.g. "AT+CSQ") and returns the response lines without
// echo, blank lines, URCs or the final result. A final result other than
// OK comes back as the error; on any error the lines that did arrive are
// returned too.
func (p *Port) Command(ctx context.Context, cmd string) ([]string, error) {
	return p.do(ctx, &request{kind: reqCommand, cmd: cmd, timeout: p.opts.Timeout})
}

// CommandTimeout is Command with its own timeout, for commands that are
// known to be slow (AT+COPS?, AT+CMGL on a full SIM) or that should fail
// fast (the first AT of a resync).
func (p *Port) CommandTimeout(ctx context.Context, cmd string, timeout time.Duration) ([]string, error) {
	if timeout <= 0 {
		timeout = p.opts.Timeout
	}
	return p.do(ctx, &request{kind: reqCommand, cmd: cmd, timeout: timeout})
}

// CommandIdle is Command for answers that stream many lines, such as a
// storage listing: it fails when no line has come for idle, so a modem that
// went silent is noticed at once, and after total at the latest.
func (p *Port) CommandIdle(ctx context.Context, cmd string, idle, total time.Duration) ([]string, error) {
	if idle <= 0 {
		idle = p.opts.Timeout
	}
	return p.do(ctx, &request{kind: reqCommand, cmd: cmd, timeout: max(total, idle), idle: idle})
}

// SMSCommand sends cmd (AT+CMGS=<len> or AT+CMGW=<len>), waits for the
// "> " prompt, writes pdu (hex) and Ctrl-Z, and waits for the final
// result. If no prompt comes in time it sends ESC so the modem does not
// take the next command for the PDU.
func (p *Port) SMSCommand(ctx context.Context, cmd, pdu string) ([]string, error) {
	return p.do(ctx, &request{kind: reqSMS, cmd: cmd, pdu: pdu, timeout: p.opts.Timeout})
}

// Interrupt writes ESC and CR between commands, which abandons an SMS
// prompt and ends a half-typed command line; the modem's answer to that
// is discarded.
func (p *Port) Interrupt(ctx context.Context) error {
	_, err := p.do(ctx, &request{kind: reqRaw, cmd: "\x1b\r"})
	return err
}

func (p *Port) do(ctx context.Context, r *request) ([]string, error) {
	r.ctx = ctx
	r.res = make(chan response, 1)
	select {
	case p.reqs <- r:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-p.done:
		return nil, ErrClosed
	}
	select {
	case res := <-r.res:
		return res.lines, res.err
	case <-p.done:
		// Run finishes every request before it closes done; this
		// catches a result sent just before.
		select {
		case res := <-r.res:
			return res.lines, res.err
		default:
			return nil, ErrClosed
		}
	}
}

// Run reads and writes the modem until ctx ends (it then returns nil) or
// the line fails (it returns the error). It may be called once.
func (p *Port) Run(ctx context.Context) error {
	if !p.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	chunks := make(chan []byte)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.read(chunks, readErr, stop)
	}()

	err := p.loop(ctx, chunks, readErr)
	if ctx.Err() != nil {
		// The line failing while we shut down (the other end closing at
		// the same moment) is not an error.
		err = nil
	}

	if p.cur != nil {
		p.finish(ErrClosed)
	}
	close(stop)
	if c, ok := p.rw.(io.Closer); ok {
		if cerr := c.Close(); cerr != nil {
			p.log.Debug().Err(cerr).Msg("close modem port")
		}
		wg.Wait()
	}
	close(p.done)
	// Requests that raced with shutdown see done and return ErrClosed.
	close(p.urcs)
	return err
}

// read is the only goroutine that reads rw.
func (p *Port) read(chunks chan<- []byte, readErr chan<- error, stop <-chan struct{}) {
	buf := make([]byte, 1024)
	for {
		n, err := p.rw.Read(buf)
		if n > 0 {
			c := make([]byte, n)
			copy(c, buf[:n])
			select {
			case chunks <- c:
			case <-stop:
				return
			}
		}
		if err != nil {
			readErr <- err
			return
		}
	}
}

func (p *Port) loop(ctx context.Context, chunks <-chan []byte, readErr <-chan error) error {
	for {
		var reqs chan *request
		var curDone <-chan struct{}
		if p.cur == nil {
			reqs = p.reqs
		} else if !p.cur.abandoned {
			curDone = p.cur.ctx.Done()
		}
		var out chan URC
		var next URC
		if len(p.queue) > 0 {
			out = p.urcs
			next = p.queue[0]
		}
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("read modem: %w", ErrClosed)
			}
			return fmt.Errorf("read modem: %w", err)
		case c := <-chunks:
			p.split.feed(c, p.onToken)
		case r := <-reqs:
			p.start(r)
		case <-p.timer:
			p.onTimeout()
		case <-curDone:
			p.abort(p.cur.ctx.Err())
		case out <- next:
			p.queue[0] = URC{}
			p.queue = p.queue[1:]
		}
	}
}

func (p *Port) start(r *request) {
	if err := r.ctx.Err(); err != nil {
		r.res <- response{err: err}
		return
	}
	if p.halted.Load() {
		r.res <- response{err: ErrRebooted}
		return
	}
	if r.kind == reqRaw {
		r.res <- response{err: p.write(r.cmd, "<ESC><CR>")}
		return
	}
	r.cmd = strings.TrimSpace(r.cmd)
	r.name = commandName(r.cmd)
	r.call = isCallCommand(r.cmd)
	p.cur = r
	if r.idle > 0 {
		r.deadline = p.opts.Now().Add(r.timeout)
		p.timer = p.opts.After(min(r.idle, r.timeout))
	} else {
		p.timer = p.opts.After(r.timeout)
	}
	if r.kind == reqSMS {
		p.split.prompt = true
	}
	if err := p.write(r.cmd+"\r", r.cmd); err != nil {
		p.finish(err)
	}
}

func (p *Port) write(s, shown string) error {
	p.trace.out(shown)
	if _, err := io.WriteString(p.rw, s); err != nil {
		return fmt.Errorf("write modem: %w", err)
	}
	return nil
}

// finish ends the current command with err and the lines so far.
func (p *Port) finish(err error) {
	c := p.cur
	p.cur = nil
	p.timer = nil
	p.split.prompt = false
	if c.abandoned {
		return // its caller was answered when it gave up
	}
	c.res <- response{lines: c.lines, err: err}
}

func (p *Port) onTimeout() {
	c := p.cur
	if c.kind == reqSMS && !c.promptSeen {
		// The modem may still be about to prompt: ESC makes sure it
		// does not swallow the next command as PDU text.
		if err := p.write("\x1b", "<ESC>"); err != nil {
			p.log.Debug().Err(err).Msg("write ESC after missing prompt")
		}
		p.finish(fmt.Errorf("%w waiting for the SMS prompt", ErrTimeout))
		return
	}
	p.finish(ErrTimeout)
}

// abort answers a caller that gave up. The modem has the command and will
// still answer it, so the command stays current until that answer (or its
// timeout) comes: otherwise a late OK would pass for the next command's,
// and an AT+CMGS could be taken as sent without its PDU ever written.
func (p *Port) abort(err error) {
	c := p.cur
	if c.kind == reqSMS && !c.promptSeen {
		if werr := p.write("\x1b", "<ESC>"); werr != nil {
			p.log.Debug().Err(werr).Msg("write ESC after cancel")
		}
	}
	c.abandoned = true
	c.res <- response{lines: c.lines, err: err}
}

func (p *Port) onToken(t token) {
	if t.kind == tokPrompt {
		p.trace.in("> ")
		p.onPrompt()
		return
	}
	p.trace.in(t.text)
	p.onLine(t.text)
}

func (p *Port) onPrompt() {
	c := p.cur
	if c == nil || c.kind != reqSMS || c.promptSeen {
		return
	}
	c.promptSeen = true
	p.split.prompt = false
	if c.abandoned {
		return // ESC went when it was abandoned; the modem answers that
	}
	p.timer = p.opts.After(p.opts.SMSTimeout)
	if err := p.write(c.pdu+"\x1a", c.pdu+"<SUB>"); err != nil {
		p.finish(err)
	}
}

func (p *Port) onLine(line string) {
	if b := p.pend; b != nil {
		consumed, complete := b.take(line)
		if complete {
			p.pend = nil
			p.emit(b.urc)
		}
		if consumed {
			return
		}
	}
	t := strings.TrimSpace(line)
	if t == "" {
		return
	}
	c := p.cur
	if c != nil && p.isEcho(c, t) {
		return
	}
	if name, kind := classifyURC(t, c); kind != notURC {
		u := URC{Name: name, Lines: []string{t}, At: p.opts.Now()}
		if kind == urcLine || kind == urcCUSD && !quoteOpen(u.Lines) {
			p.onBootSign(u)
			p.emit(u)
			return
		}
		p.pend = &building{urc: u, kind: kind}
		return
	}
	if c == nil {
		switch {
		case isResultShape(t):
			p.log.Debug().Str("line", t).Msg("result outside a command, dropped")
		case strings.HasPrefix(t, "+CMS ERROR:"):
			p.emit(URC{Name: "+CMS ERROR", Lines: []string{t}, At: p.opts.Now()})
		case strings.HasPrefix(t, "+CME ERROR:"):
			p.emit(URC{Name: "+CME ERROR", Lines: []string{t}, At: p.opts.Now()})
		default:
			p.emit(URC{Name: nameOf(t), Lines: []string{t}, At: p.opts.Now()})
		}
		return
	}
	if c.kind == reqSMS && !c.promptSeen && (t == ">" || t == "> ") {
		p.onPrompt()
		return
	}
	if done, err := finalResult(t, c); done {
		p.finish(err)
		return
	}
	c.lines = append(c.lines, t)
	if c.idle > 0 {
		p.timer = p.opts.After(max(0, min(c.idle, c.deadline.Sub(p.opts.Now()))))
	}
}

// onBootSign abandons the command in flight when u says the modem has
// restarted and reboots are being watched.
func (p *Port) onBootSign(u URC) {
	if !BootSign(u) || !p.watch.Load() {
		return
	}
	p.watch.Store(false)
	p.halted.Store(true)
	if p.opts.OnReboot != nil {
		p.opts.OnReboot(u.Name)
	}
	if p.cur == nil {
		return
	}
	p.log.Warn().Str("cmd", p.cur.name).Str("sign", u.Name).Msg("command abandoned at a modem reboot")
	p.finish(ErrRebooted)
}

// isEcho recognises the modem echoing the command line (possibly after a
// half-typed command or junk) and, after the SMS prompt, the PDU.
func (p *Port) isEcho(c *request, t string) bool {
	if !c.echoSeen && len(c.lines) == 0 {
		// What precedes the echo is a half-typed command or junk; a
		// response line that happens to end in the command has a colon
		// before it ("+X: AT+Y").
		if before, ok := strings.CutSuffix(t, c.cmd); ok && !strings.Contains(before, ":") {
			c.echoSeen = true
			p.echoes.Add(1)
			return true
		}
	}
	if c.kind == reqSMS && c.promptSeen {
		if t == ">" || strings.HasPrefix(t, "> ") {
			return true
		}
		probe := c.pdu
		if len(probe) > 16 {
			probe = probe[:16]
		}
		if probe != "" && strings.Contains(strings.ToUpper(t), strings.ToUpper(probe)) {
			return true
		}
	}
	return false
}

func (p *Port) emit(u URC) {
	if len(p.queue) >= urcQueueMax {
		p.queue[0] = URC{}
		p.queue = p.queue[1:]
		p.dropped++
		p.log.Warn().Int("dropped", p.dropped).Msg("URC queue full, oldest dropped")
	}
	p.queue = append(p.queue, u)
}
