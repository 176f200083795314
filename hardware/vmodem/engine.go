package vmodem

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// maxLine is the command buffer of a SIM800 (556 characters); longer lines fail.
const maxLine = 556

// maxPrompt bounds what may be typed after "> " (a 176-octet PDU in hex plus slack).
const maxPrompt = 1024

const (
	modeCommand = iota
	modePrompt
)

// settings are the volatile AT settings a reboot or ATZ resets.
type settings struct {
	echo, verbose, quiet bool
	cmee, cmgf           int
	cscs                 string
	cnmi                 [5]int
	csms                 int
	clip, crc            int
	creg                 int
	curc                 int
	ussdMode             int
	cusd                 int
	csdh                 int
	cfun                 int
}

func (e *engine) defaults() settings {
	cmgf := 0
	if e.prof.textMode {
		cmgf = 1
	}
	return settings{
		echo:    e.prof.echo,
		cmgf:    cmgf,
		verbose: true,
		cscs:    "IRA",
		cnmi:    e.prof.cnmi,
		curc:    1,
		cfun:    1,
	}
}

// promptState is an open "> " prompt of +CMGS or +CMGW.
type promptState struct {
	cmd      string
	length   int    // PDU mode <length>
	text     bool   // text mode
	da       string // text mode destination
	buf      []byte
	overflow bool
}

// engine is the modem's state. Only the Run goroutine touches it (through
// input bytes, control closures and timer callbacks).
type engine struct {
	m    *Modem
	cfg  Config
	prof *profile
	t    timing
	log  zerolog.Logger
	rng  *rand.Rand

	set    settings
	store  *storage
	sim    simState
	net    netState
	sent   *sentLog
	ussd   ussdState
	faults faultState
	call   *callState

	mode      int
	line      []byte
	overflow  bool
	prompt    *promptState
	busy      bool
	pending   []byte
	post      []func() // run after the current command's final result is written
	booting   bool
	unplug    bool
	epoch     int
	boots     int
	lines     int // command lines executed
	swallowed int // command lines eaten by the silence fault
	infoResp  int // responses with information text (Huawei ^RSSI cadence)
	signal    int
	// extraLatency is set by a command that takes longer (a network scan).
	extraLatency time.Duration

	out    strings.Builder // flushed to the port after every event
	soon   []func()
	timers map[*timerHandle]struct{}
}

type timerHandle struct {
	t  *time.Timer
	fn func()
}

func newEngine(m *Modem, cfg Config, p *profile) *engine {
	e := &engine{
		m:      m,
		cfg:    cfg,
		prof:   p,
		log:    m.log,
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		store:  newStorage(cfg.Slots),
		sent:   newSentLog(),
		signal: 18,
		timers: map[*timerHandle]struct{}{},
	}
	if cfg.Latency {
		e.t = realisticTiming()
	} else {
		e.t = zeroTiming()
	}
	e.set = e.defaults()
	e.sim = simState{present: true, smsc: smscDeliver}
	e.net = netState{lastSCTS: map[string]time.Time{}}
	e.ussd = ussdState{scripts: defaultUSSD()}
	return e
}

// after runs fn on the engine goroutine after d. Command-scoped callbacks are
// dropped if the modem rebooted meanwhile; network-scoped ones survive.
func (e *engine) after(d time.Duration, cmdScoped bool, fn func()) {
	epoch := e.epoch
	f := func() {
		if cmdScoped && e.epoch != epoch {
			return
		}
		fn()
	}
	if d <= 0 {
		e.soon = append(e.soon, f)
		return
	}
	h := &timerHandle{fn: f}
	h.t = time.AfterFunc(d, func() {
		select {
		case e.m.timerCh <- h:
		case <-e.m.stopped:
		}
	})
	e.timers[h] = struct{}{}
}

// fire runs a timer callback delivered to the loop.
func (e *engine) fire(h *timerHandle) {
	delete(e.timers, h)
	h.fn()
}

// settle runs deferred callbacks and writes buffered output.
func (e *engine) settle() {
	for len(e.soon) > 0 {
		f := e.soon[0]
		e.soon = e.soon[1:]
		f()
	}
	if e.out.Len() > 0 {
		e.m.write([]byte(e.out.String()))
		e.out.Reset()
	}
}

func (e *engine) stopTimers() {
	for h := range e.timers {
		h.t.Stop()
	}
	e.timers = nil
}

// write queues bytes for the agent unless the modem is mute.
func (e *engine) write(s string) {
	if e.silenced() || e.unplug {
		return
	}
	e.out.WriteString(s)
}

// infoBlock frames information text: "\r\n" lines "\r\n" in verbose mode.
func (e *engine) infoBlock(lines []string) string {
	body := strings.Join(lines, "\r\n")
	if e.set.verbose {
		return "\r\n" + body + "\r\n"
	}
	return body + "\r\n"
}

// finalBlock frames the final result code; nil means OK.
func (e *engine) finalBlock(err *atError) string {
	if e.set.quiet {
		return ""
	}
	if err == nil {
		if e.set.verbose {
			return "\r\nOK\r\n"
		}
		return "0\r"
	}
	text := e.finalText(err)
	if !e.set.verbose && text == "ERROR" {
		return "4\r"
	}
	if !e.set.verbose {
		return text + "\r\n"
	}
	return "\r\n" + text + "\r\n"
}

// urc emits unsolicited result codes, each framed on its own.
func (e *engine) urc(lines ...string) {
	if e.booting {
		return
	}
	for _, l := range lines {
		e.write(e.infoBlock([]string{l}))
	}
}

// urcBlock emits a multi-line unsolicited result (+CMT, +CDS) as one block.
func (e *engine) urcBlock(lines ...string) {
	if e.booting {
		return
	}
	e.write(e.infoBlock(lines))
}

// input handles bytes written by the agent.
func (e *engine) input(b []byte) {
	if e.booting || e.unplug {
		return
	}
	if e.busy {
		e.pending = append(e.pending, b...)
		return
	}
	for i := 0; i < len(b); i++ {
		if e.booting || e.unplug {
			return
		}
		if e.busy {
			e.pending = append(e.pending, b[i:]...)
			return
		}
		if e.mode == modePrompt {
			e.promptByte(b[i])
		} else {
			e.commandByte(b[i])
		}
	}
}

func (e *engine) commandByte(c byte) {
	if e.set.echo {
		e.write(string([]byte{c}))
	}
	switch c {
	case '\r':
		line := string(e.line)
		over := e.overflow
		e.line = e.line[:0]
		e.overflow = false
		e.execLine(line, over)
	case '\n':
		// tolerated after CR; never a terminator
	case 0x1a, 0x1b:
		// Ctrl-Z or ESC outside a prompt abandons the half-typed line.
		e.line = e.line[:0]
		e.overflow = false
	case 0x08, 0x7f:
		if len(e.line) > 0 {
			e.line = e.line[:len(e.line)-1]
		}
	default:
		if len(e.line) >= maxLine {
			e.overflow = true
			return
		}
		e.line = append(e.line, c)
	}
}

// execLine runs one command line.
func (e *engine) execLine(line string, overflow bool) {
	text, ok := findAT(line)
	if !ok {
		return // V.250: characters without the AT prefix are ignored
	}
	if e.faults.takeSilence() {
		e.swallowed++
		e.log.Debug().Msg("silence fault: command swallowed")
		return
	}
	e.lines++
	e.log.Debug().Str("cmd", redactCommand(text)).Msg("at command")
	if overflow {
		e.respond(nil, errERROR, 0)
		return
	}
	cmds, err := parseCommands(text)
	if err != nil {
		e.respond(nil, errERROR, 0)
		return
	}
	var blocks [][]string
	var fin *atError
	var lat time.Duration
	for i := range cmds {
		c := &cmds[i]
		if rb := e.faults.takeReboot(c.name, false); rb != nil && rb.Answered {
			e.rebootAfterAnswer(c.name)
		} else if rb != nil {
			if rb.Effect {
				_, _ = e.dispatch(c)
			}
			e.post = nil
			e.reboot("fault in " + c.name)
			return
		}
		if f := e.faults.takeError(c.name, false); f != "" {
			fin = raw(f)
			break
		}
		info, err := e.dispatch(c)
		if len(info) > 0 {
			blocks = append(blocks, info)
		}
		lat = max(lat, e.latency(c.name))
		if err == errPrompt {
			e.openPrompt(blocks)
			return
		}
		if err != nil {
			if ae, ok := err.(*atError); ok {
				fin = ae
			} else {
				fin = errERROR
			}
			break
		}
	}
	lat = max(lat, e.extraLatency)
	e.extraLatency = 0
	e.respond(blocks, fin, lat, cmdNames(cmds)...)
}

func cmdNames(cmds []command) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.name
	}
	return out
}

// respond writes the information text and final result, now or after lat.
func (e *engine) respond(blocks [][]string, fin *atError, lat time.Duration, names ...string) {
	post := e.post
	e.post = nil
	do := func() {
		var sb strings.Builder
		for _, b := range blocks {
			sb.WriteString(e.infoBlock(b))
		}
		if len(blocks) > 0 {
			e.infoResp++
			if e.prof.rssi && e.set.curc == 1 && e.infoResp%4 == 0 {
				sb.WriteString(e.infoBlock([]string{fmt.Sprintf("^RSSI:%d", e.signal)}))
			}
		}
		for _, n := range names {
			for _, l := range e.faults.takeInterject(n, "before_final") {
				sb.WriteString(e.infoBlock([]string{l}))
			}
		}
		if g := e.faults.takeGarbage(e.rng); g != nil {
			sb.Write(g)
		}
		sb.WriteString(e.finalBlock(fin))
		e.write(sb.String())
		for _, f := range post {
			f()
		}
	}
	if lat <= 0 {
		do()
		return
	}
	e.busy = true
	e.after(lat, true, func() {
		e.busy = false
		do()
		p := e.pending
		e.pending = nil
		e.input(p)
	})
}

// latency is the delay before a command's answer.
func (e *engine) latency(name string) time.Duration {
	if d, ok := e.faults.latency[name]; ok {
		return d
	}
	switch name {
	case "+CMGR", "+CMGL", "+CMGD", "+CPMS":
		return e.t.storage
	case "+COPS":
		return e.t.command
	}
	return e.t.command
}

// openPrompt writes "> " and switches to text/PDU input.
func (e *engine) openPrompt(blocks [][]string) {
	var sb strings.Builder
	for _, b := range blocks {
		sb.WriteString(e.infoBlock(b))
	}
	for _, l := range e.prof.cmgsNoise {
		sb.WriteString(e.infoBlock([]string{l}))
	}
	if e.prompt != nil {
		for _, l := range e.faults.takeInterject(e.prompt.cmd, "before_prompt") {
			sb.WriteString(e.infoBlock([]string{l}))
		}
	}
	sb.WriteString("\r\n> ")
	e.write(sb.String())
	e.mode = modePrompt
	// An agent killed at the prompt must not wedge the modem for ever.
	p := e.prompt
	e.after(e.t.prompt, true, func() {
		if e.mode == modePrompt && e.prompt == p {
			e.mode = modeCommand
			e.prompt = nil
			e.respond(nil, errERROR, 0)
		}
	})
}

func (e *engine) promptByte(c byte) {
	p := e.prompt
	switch c {
	case 0x1A: // Ctrl-Z: send
		e.mode = modeCommand
		e.prompt = nil
		e.submit(p)
	case 0x1B: // ESC: cancel
		e.mode = modeCommand
		e.prompt = nil
		e.respond(nil, nil, 0)
	case '\r':
		if p.text {
			p.buf = append(p.buf, '\n')
			e.write("\r\n> ")
		}
	case '\n':
	default:
		if e.set.echo {
			e.write(string([]byte{c}))
		}
		if len(p.buf) >= maxPrompt {
			p.overflow = true
			return
		}
		p.buf = append(p.buf, c)
	}
}

// redactCommand keeps numbers and text out of debug logs.
func redactCommand(s string) string {
	if i := strings.IndexByte(s, '"'); i >= 0 {
		return s[:i] + `"…"`
	}
	return s
}
