package vmodem

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Faults are added with POST /v1/faults and cleared with DELETE /v1/faults.
// Every field is optional; the top-level Command/Error/Count/Always are a
// shorthand for one entry of Errors.
type Faults struct {
	Command string `json:"command,omitempty"`
	Error   string `json:"error,omitempty"`
	Count   int    `json:"count,omitempty"`
	Always  bool   `json:"always,omitempty"`

	// Errors answer a command with the given final result instead of running it.
	Errors []ErrorFault `json:"errors,omitempty"`
	// Silence swallows whole command lines: no echo, no answer, no URCs.
	Silence *Silence `json:"silence,omitempty"`
	// Garbage writes junk bytes now and/or inside the next responses.
	Garbage *Garbage `json:"garbage,omitempty"`
	// Reboot restarts the modem now or when a command arrives.
	Reboot *Reboot `json:"reboot,omitempty"`
	// Unplug closes the pty (the agent sees a hangup) and brings a new one
	// behind the same link after For, like a USB modem re-enumerating.
	Unplug *Unplug `json:"unplug,omitempty"`
	// Network is "lost" (+CREG: 0, sends fail with +CMS ERROR: 331,
	// deliveries wait) or "back".
	Network string `json:"network,omitempty"`
	// StorageFull makes new deliveries wait in the network even with free slots.
	StorageFull *bool `json:"storage_full,omitempty"`
	// Fill stores this many filler messages now (-1: every free slot).
	Fill int `json:"fill,omitempty"`
	// Latency delays a command's answer, e.g. {"+CMGS":"2s"}; "0s" removes.
	Latency map[string]Duration `json:"latency,omitempty"`
	// Interject puts extra lines inside a command's response.
	Interject []Interject `json:"interject,omitempty"`
	// ReportStatus is the TP-ST of status reports from now on (0 delivered,
	// 0x40+ permanent failure, e.g. 65 = 0x41).
	ReportStatus *int `json:"report_status,omitempty"`
	// Signal sets the +CSQ <rssi> (0-31, 99 unknown).
	Signal *int `json:"signal,omitempty"`
}

// ErrorFault answers Command with Error, Count times (default 1) or Always.
// For +CMGS and +CMGW the error comes after the PDU and Ctrl-Z.
type ErrorFault struct {
	Command string `json:"command"`
	Error   string `json:"error"`
	Count   int    `json:"count,omitempty"`
	Always  bool   `json:"always,omitempty"`
}

// Silence swallows the next Count command lines, or all while Always.
type Silence struct {
	Count  int  `json:"count,omitempty"`
	Always bool `json:"always,omitempty"`
}

// Garbage is junk on the line: Now (hex) or NowRandom random bytes at once,
// and Bytes (hex; default 8 random bytes) before the final result of the
// next InResponses responses.
type Garbage struct {
	Now         string `json:"now,omitempty"`
	NowRandom   int    `json:"now_random,omitempty"`
	InResponses int    `json:"in_responses,omitempty"`
	Bytes       string `json:"bytes,omitempty"`
}

// Reboot restarts the modem Now, or when Command arrives (for +CMGS: after
// the PDU), letting After such commands run first (a brown-out in the middle
// of a run of reads). Effect makes the interrupted command take effect first
// (the SMS is sent, the message deleted) though no answer comes; Answered
// lets it run and answer in full, and the modem reboots right after its
// final result (the supply droops at the end of a burst).
type Reboot struct {
	Now      bool   `json:"now,omitempty"`
	Command  string `json:"command,omitempty"`
	After    int    `json:"after,omitempty"`
	Effect   bool   `json:"effect,omitempty"`
	Answered bool   `json:"answered,omitempty"`
}

// Unplug makes the device vanish For a while.
type Unplug struct {
	For Duration `json:"for"`
}

// Interject writes Lines inside the response of Command: "before_final"
// (between information text and OK, the default) or "before_prompt"
// (before "> " of +CMGS). Count times (default 1) or Always.
type Interject struct {
	Command string   `json:"command"`
	Lines   []string `json:"lines"`
	Where   string   `json:"where,omitempty"`
	Count   int      `json:"count,omitempty"`
	Always  bool     `json:"always,omitempty"`
}

// Duration is a time.Duration written as "2s" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as a string like "1.5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "1.5s" or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var ms float64
		if err2 := json.Unmarshal(b, &ms); err2 != nil {
			return fmt.Errorf("duration %s: %w", b, ErrBadRequest)
		}
		*d = Duration(ms * float64(time.Millisecond))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, ErrBadRequest)
	}
	*d = Duration(v)
	return nil
}

// faultState is the engine's view of active faults.
type faultState struct {
	errors       []*ErrorFault
	silence      *Silence
	garbageResp  int
	garbageBytes []byte
	reboots      []*Reboot
	storageFull  bool
	latency      map[string]time.Duration
	interjects   []*Interject
	reportStatus *int
}

// normCommand turns "AT+cmgs" or "+CMGS" into "+CMGS".
func normCommand(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if strings.HasPrefix(s, "AT") && len(s) > 2 {
		s = s[2:]
	}
	return s
}

// submitStage commands take their faults after the PDU, not at the command line.
func submitStage(name string) bool { return name == "+CMGS" || name == "+CMGW" }

func matches(pattern, name string) bool { return pattern == "*" || pattern == name }

// takeError consumes an error fault for the command at this stage.
func (f *faultState) takeError(name string, atSubmit bool) string {
	if submitStage(name) != atSubmit {
		return ""
	}
	for i, ef := range f.errors {
		if !matches(ef.Command, name) {
			continue
		}
		if !ef.Always {
			ef.Count--
			if ef.Count <= 0 {
				f.errors = append(f.errors[:i:i], f.errors[i+1:]...)
			}
		}
		return ef.Error
	}
	return ""
}

// takeReboot consumes a reboot fault armed for the command at this stage.
func (f *faultState) takeReboot(name string, atSubmit bool) *Reboot {
	if submitStage(name) != atSubmit {
		return nil
	}
	for i, r := range f.reboots {
		if matches(r.Command, name) {
			if r.After > 0 {
				r.After--
				return nil
			}
			f.reboots = append(f.reboots[:i:i], f.reboots[i+1:]...)
			return r
		}
	}
	return nil
}

// takeSilence reports whether the next command line is swallowed.
func (f *faultState) takeSilence() bool {
	s := f.silence
	if s == nil {
		return false
	}
	if !s.Always {
		s.Count--
		if s.Count <= 0 {
			f.silence = nil
		}
	}
	return true
}

func (e *engine) silenced() bool { return e.faults.silence != nil }

// takeGarbage returns junk for the next response, if armed.
func (f *faultState) takeGarbage(rng *rand.Rand) []byte {
	if f.garbageResp <= 0 {
		return nil
	}
	f.garbageResp--
	if f.garbageBytes != nil {
		return f.garbageBytes
	}
	return randomBytes(rng, 8)
}

// takeInterject returns the lines to put at where in the response of name.
func (f *faultState) takeInterject(name, where string) []string {
	var out []string
	keep := f.interjects[:0:0]
	for _, ij := range f.interjects {
		w := ij.Where
		if w == "" {
			w = "before_final"
		}
		if !matches(ij.Command, name) || w != where {
			keep = append(keep, ij)
			continue
		}
		out = append(out, ij.Lines...)
		if !ij.Always {
			ij.Count--
			if ij.Count <= 0 {
				continue
			}
		}
		keep = append(keep, ij)
	}
	f.interjects = keep
	return out
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	return b
}

// applyFaults adds faults; it validates everything before changing anything.
func (e *engine) applyFaults(in Faults) error {
	errs := append([]ErrorFault(nil), in.Errors...)
	if in.Command != "" || in.Error != "" {
		errs = append(errs, ErrorFault{Command: in.Command, Error: in.Error, Count: in.Count, Always: in.Always})
	}
	for i := range errs {
		errs[i].Command = normCommand(errs[i].Command)
		if errs[i].Command == "" || errs[i].Error == "" || strings.ContainsAny(errs[i].Error, "\r\n") {
			return fmt.Errorf("error fault needs command and a one-line error: %w", ErrBadRequest)
		}
		if errs[i].Count <= 0 {
			errs[i].Count = 1
		}
	}
	var now, inResp []byte
	if g := in.Garbage; g != nil {
		var err error
		if now, err = hex.DecodeString(g.Now); err != nil {
			return fmt.Errorf("garbage now is not hex: %w", ErrBadRequest)
		}
		if g.Bytes != "" {
			if inResp, err = hex.DecodeString(g.Bytes); err != nil {
				return fmt.Errorf("garbage bytes is not hex: %w", ErrBadRequest)
			}
		}
		if g.NowRandom < 0 || g.NowRandom > 4096 {
			return fmt.Errorf("garbage now_random %d: %w", g.NowRandom, ErrBadRequest)
		}
	}
	switch in.Network {
	case "", "lost", "back":
	default:
		return fmt.Errorf("network %q: %w", in.Network, ErrBadRequest)
	}
	for _, ij := range in.Interject {
		switch ij.Where {
		case "", "before_final", "before_prompt":
		default:
			return fmt.Errorf("interject where %q: %w", ij.Where, ErrBadRequest)
		}
		if normCommand(ij.Command) == "" || len(ij.Lines) == 0 {
			return fmt.Errorf("interject needs command and lines: %w", ErrBadRequest)
		}
	}
	if in.Signal != nil && (*in.Signal < 0 || *in.Signal > 31 && *in.Signal != 99) {
		return fmt.Errorf("signal %d: %w", *in.Signal, ErrBadRequest)
	}
	if in.Reboot != nil && !in.Reboot.Now && in.Reboot.Command == "" {
		return fmt.Errorf("reboot needs now or command: %w", ErrBadRequest)
	}
	if in.Reboot != nil && in.Reboot.After < 0 {
		return fmt.Errorf("reboot after %d: %w", in.Reboot.After, ErrBadRequest)
	}

	f := &e.faults
	for i := range errs {
		ef := errs[i]
		f.errors = append(f.errors, &ef)
	}
	if s := in.Silence; s != nil {
		c := *s
		if !c.Always && c.Count <= 0 {
			c.Count = 1
		}
		f.silence = &c
	}
	if g := in.Garbage; g != nil {
		if len(now) > 0 {
			e.write(string(now))
		}
		if g.NowRandom > 0 {
			e.write(string(randomBytes(e.rng, g.NowRandom)))
		}
		if g.InResponses > 0 {
			f.garbageResp = g.InResponses
			f.garbageBytes = inResp
		}
	}
	for k, v := range in.Latency {
		if f.latency == nil {
			f.latency = map[string]time.Duration{}
		}
		if v <= 0 {
			delete(f.latency, normCommand(k))
			continue
		}
		f.latency[normCommand(k)] = time.Duration(v)
	}
	for _, ij := range in.Interject {
		c := ij
		c.Command = normCommand(c.Command)
		if c.Count <= 0 {
			c.Count = 1
		}
		f.interjects = append(f.interjects, &c)
	}
	if in.ReportStatus != nil {
		st := *in.ReportStatus & 0xff
		f.reportStatus = &st
	}
	if in.Signal != nil {
		e.signal = *in.Signal
	}
	if in.Fill != 0 {
		e.fill(in.Fill)
	}
	if in.StorageFull != nil {
		f.storageFull = *in.StorageFull
		if !f.storageFull {
			e.pump()
		}
	}
	switch in.Network {
	case "lost":
		e.setNetwork(true)
	case "back":
		e.setNetwork(false)
	}
	if r := in.Reboot; r != nil {
		if r.Now {
			e.reboot("fault")
		} else {
			c := *r
			c.Command = normCommand(c.Command)
			f.reboots = append(f.reboots, &c)
		}
	}
	if u := in.Unplug; u != nil {
		e.unplugFor(time.Duration(u.For))
	}
	return nil
}

// clearFaults removes every fault and lets waiting deliveries in.
func (e *engine) clearFaults() {
	e.faults = faultState{}
	e.signal = 18
	e.setNetwork(false)
	e.pump()
}

// fill stores filler messages as if they had arrived long ago.
func (e *engine) fill(n int) {
	free := e.store.total() - e.store.used()
	if n < 0 || n > free {
		n = free
	}
	for i := 0; i < n; i++ {
		parts, _, err := buildDeliver(deliverSpec{
			from: "+919800000000", text: fmt.Sprintf("Filler message %d", i+1),
			scts: e.cfg.Now().Add(-time.Hour), smsc: e.sim.smsc,
		})
		if err != nil {
			e.log.Error().Err(err).Msg("build filler")
			return
		}
		e.store.put(&record{stat: statRecUnread, kind: kindDeliver, pdu: parts[0].pdu, length: parts[0].length,
			from: "+919800000000", stored: e.cfg.Now()})
	}
}

// activeFaults describes faults for GET /v1/state.
func (f *faultState) active(e *engine) Faults {
	var out Faults
	if e.net.lost {
		out.Network = "lost"
	}
	for _, ef := range f.errors {
		out.Errors = append(out.Errors, *ef)
	}
	if f.silence != nil {
		s := *f.silence
		out.Silence = &s
	}
	if f.garbageResp > 0 {
		out.Garbage = &Garbage{InResponses: f.garbageResp, Bytes: hex.EncodeToString(f.garbageBytes)}
	}
	for _, r := range f.reboots {
		out.Reboot = &Reboot{Command: r.Command, After: r.After, Effect: r.Effect, Answered: r.Answered}
	}
	if f.storageFull {
		t := true
		out.StorageFull = &t
	}
	if len(f.latency) > 0 {
		out.Latency = map[string]Duration{}
		for k, v := range f.latency {
			out.Latency[k] = Duration(v)
		}
	}
	for _, ij := range f.interjects {
		out.Interject = append(out.Interject, *ij)
	}
	if f.reportStatus != nil {
		out.ReportStatus = intp(*f.reportStatus)
	}
	return out
}
