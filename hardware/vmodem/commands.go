package vmodem

import (
	"strconv"
	"strings"
	"time"
)

// handler runs one command. Returning errPrompt opens the "> " prompt.
type handler struct {
	fn     func(e *engine, c *command) ([]string, error)
	sim    bool // needs an unlocked SIM (+CME ERROR: 11 otherwise)
	sms    bool // SMS command (+CMS ERROR: 311 otherwise)
	vendor bool // only on profiles that list it
}

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"E":  {fn: (*engine).atE},
		"V":  {fn: (*engine).atV},
		"Q":  {fn: (*engine).atQ},
		"Z":  {fn: (*engine).atZ},
		"&F": {fn: (*engine).atZ},
		"I":  {fn: (*engine).atI},
		"A":  {fn: (*engine).atA},
		"H":  {fn: (*engine).atH},
		"D":  {fn: (*engine).atD, sim: true},
		"S":  {fn: (*engine).atS},

		"+CGMI": {fn: info(func(p *profile) string { return p.cgmi })},
		"+GMI":  {fn: info(func(p *profile) string { return p.cgmi })},
		"+CGMM": {fn: info(func(p *profile) string { return p.cgmm })},
		"+GMM":  {fn: info(func(p *profile) string { return p.cgmm })},
		"+CGMR": {fn: info(func(p *profile) string { return p.cgmr })},
		"+GMR":  {fn: info(func(p *profile) string { return p.cgmr })},
		"+CGSN": {fn: info(func(p *profile) string { return p.imei })},
		"+GSN":  {fn: info(func(p *profile) string { return p.imei })},
		"+GCAP": {fn: info(func(*profile) string { return "+GCAP: +CGSM" })},
		"+CIMI": {fn: info(func(*profile) string { return "404450123456789" }), sim: true},
		"+CCID": {fn: info(func(*profile) string { return "8991450123456789012F" }), vendor: true},

		"+CMEE":  {fn: (*engine).cmee},
		"+CPIN":  {fn: (*engine).cpin},
		"+CSQ":   {fn: (*engine).csq},
		"+CREG":  {fn: (*engine).creg},
		"+COPS":  {fn: (*engine).cops, sim: true},
		"+CFUN":  {fn: (*engine).cfun},
		"+CPAS":  {fn: (*engine).cpas},
		"+CLCC":  {fn: (*engine).atCLCC},
		"+CHUP":  {fn: (*engine).atH},
		"+CLIP":  {fn: (*engine).clipCmd},
		"+CRC":   {fn: (*engine).crcCmd},
		"+CSCS":  {fn: (*engine).cscs},
		"+IPR":   {fn: (*engine).ipr},
		"+IFC":   {fn: okCmd},
		"+CIURC": {fn: okCmd, vendor: true},
		"+CUSD":  {fn: (*engine).cusdCmd, sim: true},

		"+CMGF": {fn: (*engine).cmgf},
		"+CSMS": {fn: (*engine).csms, sms: true},
		"+CPMS": {fn: (*engine).cpms, sms: true},
		"+CNMI": {fn: (*engine).cnmi, sms: true},
		"+CNMA": {fn: (*engine).cnma, sms: true},
		"+CSCA": {fn: (*engine).csca, sms: true},
		"+CSMP": {fn: (*engine).csmp, sms: true},
		"+CSDH": {fn: (*engine).csdh, sms: true},
		"+CMGL": {fn: (*engine).cmgl, sms: true},
		"+CMGR": {fn: (*engine).cmgr, sms: true},
		"+CMGD": {fn: (*engine).cmgd, sms: true},
		"+CMGS": {fn: (*engine).cmgs, sms: true},
		"+CMGW": {fn: (*engine).cmgw, sms: true},

		"^CURC":     {fn: (*engine).curc, vendor: true},
		"^USSDMODE": {fn: (*engine).ussdModeCmd, vendor: true},
		"+ZPAS":     {fn: info(func(*profile) string { return `+BEARTYPE: "UMTS","CS_PS"` }), vendor: true},
	}
}

// dispatch runs one parsed command.
func (e *engine) dispatch(c *command) ([]string, error) {
	h, ok := handlers[c.name]
	if !ok {
		if len(c.name) == 1 || strings.HasPrefix(c.name, "&") {
			return nil, nil // harmless basic commands (ATX4, ATM0, AT&C1, AT&W)
		}
		return nil, errNotSupp
	}
	if h.vendor && !e.prof.vendor[c.name] {
		return nil, errNotSupp
	}
	if h.sim || h.sms {
		if err := e.sim.lockErr(h.sms); err != nil {
			return nil, err
		}
	}
	return h.fn(e, c)
}

func okCmd(*engine, *command) ([]string, error) { return nil, nil }

// info answers a fixed line for exec/read and OK for test.
func info(f func(*profile) string) func(*engine, *command) ([]string, error) {
	return func(e *engine, c *command) ([]string, error) {
		if c.op == opTest {
			return nil, nil
		}
		if c.op == opSet {
			return nil, errERROR
		}
		return []string{f(e.prof)}, nil
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// basicFlag parses the digit argument of ATE/ATV/ATQ.
func basicFlag(c *command) (bool, bool) {
	switch c.args {
	case "", "0":
		return false, true
	case "1":
		return true, true
	}
	return false, false
}

func (e *engine) atE(c *command) ([]string, error) {
	v, ok := basicFlag(c)
	if !ok {
		return nil, errERROR
	}
	e.set.echo = v
	return nil, nil
}

func (e *engine) atV(c *command) ([]string, error) {
	v, ok := basicFlag(c)
	if !ok {
		return nil, errERROR
	}
	e.set.verbose = v
	return nil, nil
}

func (e *engine) atQ(c *command) ([]string, error) {
	v, ok := basicFlag(c)
	if !ok {
		return nil, errERROR
	}
	e.set.quiet = v
	return nil, nil
}

// atZ restores the profile's defaults (not a reboot: nothing else is lost).
func (e *engine) atZ(*command) ([]string, error) {
	cfun := e.set.cfun
	e.set = e.defaults()
	e.set.cfun = cfun
	return nil, nil
}

func (e *engine) atI(*command) ([]string, error) {
	return append([]string(nil), e.prof.ati...), nil
}

func (e *engine) atS(c *command) ([]string, error) {
	n, err := strconv.Atoi(c.args)
	if err != nil || n > 255 {
		return nil, errERROR
	}
	if c.op == opRead {
		def := map[int]int{3: 13, 4: 10, 5: 8, 7: 60}[n]
		return []string{strings.Repeat("0", 3-len(itoa(def))) + itoa(def)}, nil
	}
	return nil, nil
}

func (e *engine) cmee(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CMEE: " + itoa(e.set.cmee)}, nil
	case opTest:
		return []string{"+CMEE: (0-2)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 2, 0)
		if !ok {
			return nil, cme(4)
		}
		e.set.cmee = n
	}
	return nil, nil
}

func (e *engine) cpin(c *command) ([]string, error) {
	s := &e.sim
	if !s.present {
		return nil, cme(10)
	}
	switch c.op {
	case opRead:
		return []string{"+CPIN: " + s.cpinText()}, nil
	case opTest, opExec:
		return nil, nil
	}
	code, ok := strParam(c, 0)
	if !ok {
		return nil, cme(3)
	}
	switch s.state {
	case simReady:
		return nil, cme(3)
	case simPIN:
		if code != s.pin {
			s.attempts--
			if s.attempts <= 0 {
				s.state = simPUK
				return nil, cme(12)
			}
			return nil, cme(16)
		}
	case simPUK:
		newPIN, ok := strParam(c, 1)
		if !ok || code != s.puk {
			return nil, cme(16)
		}
		s.pin = newPIN
	}
	s.state = simReady
	s.attempts = 3
	e.post = append(e.post, func() {
		if len(e.prof.bootPIN) > 0 {
			e.urc(e.prof.bootPIN...)
		}
		if e.set.creg > 0 {
			e.urc(e.cregURC())
		}
		e.pump()
	})
	return nil, nil
}

func (e *engine) csq(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CSQ: (0-31,99),(0-7,99)"}, nil
	}
	if e.regStat() != 1 {
		return []string{"+CSQ: 99,99"}, nil
	}
	return []string{"+CSQ: " + itoa(e.signal) + ",0"}, nil
}

func (e *engine) creg(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		l := "+CREG: " + itoa(e.set.creg) + "," + itoa(e.regStat())
		if e.set.creg == 2 && e.regStat() == 1 {
			l += `,"1A2B","3C4D"`
		}
		return []string{l}, nil
	case opTest:
		return []string{"+CREG: (0-2)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 2, 0)
		if !ok {
			return nil, cme(4)
		}
		e.set.creg = n
	}
	return nil, nil
}

func (e *engine) cops(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		if e.regStat() != 1 {
			return []string{"+COPS: 0"}, nil
		}
		return []string{`+COPS: 0,0,"IND airtel"` + e.prof.act}, nil
	case opTest:
		if e.net.lost {
			return []string{"+COPS: ,,(0-4),(0-2)"}, nil
		}
		if e.t.scan > 0 {
			e.busyFor(e.t.scan)
		}
		return []string{`+COPS: (2,"IND airtel","airtel","40445"),(3,"IND - JIO 4G","JIO 4G","405857"),(3,"Vi India","Vi India","40420"),,(0-4),(0-2)`}, nil
	}
	return nil, nil
}

// busyFor makes the current command take at least d (a network scan).
func (e *engine) busyFor(d time.Duration) { e.extraLatency = max(e.extraLatency, d) }

func (e *engine) cfun(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CFUN: " + itoa(e.set.cfun)}, nil
	case opTest:
		return []string{"+CFUN: (0,1,4),(0-1)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 4, 1)
		if !ok || n == 2 || n == 3 {
			return nil, cme(4)
		}
		rst, ok := intParam(c, 1, 0, 1, 0)
		if !ok {
			return nil, cme(4)
		}
		if rst == 1 {
			e.post = append(e.post, func() { e.reboot("AT+CFUN reset") })
			return nil, nil
		}
		old := e.set.cfun
		e.set.cfun = n
		if (old == 1) != (n == 1) {
			if e.set.creg > 0 {
				e.post = append(e.post, func() { e.urc(e.cregURC()) })
			}
			if n == 1 {
				e.post = append(e.post, e.pump)
			}
		}
	}
	return nil, nil
}

func (e *engine) cpas(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CPAS: (0,3,4)"}, nil
	}
	st := 0
	if e.call != nil {
		st = 3
		if e.call.answered {
			st = 4
		}
	}
	return []string{"+CPAS: " + itoa(st)}, nil
}

func (e *engine) atCLCC(c *command) ([]string, error) {
	if c.op != opExec {
		return nil, nil
	}
	return e.clcc(), nil
}

// atA answers a ringing call; the caller hangs up a little later.
func (e *engine) atA(*command) ([]string, error) {
	cs := e.call
	if cs == nil || cs.answered {
		return nil, raw("NO CARRIER")
	}
	cs.answered = true
	e.post = append(e.post, func() {
		e.after(2*e.t.ring, false, func() { e.callerHangsUp(cs) })
	})
	return nil, nil
}

func (e *engine) atH(*command) ([]string, error) {
	e.call = nil
	return nil, nil
}

// atD: outgoing calls are not simulated; the far end never answers.
func (e *engine) atD(c *command) ([]string, error) {
	if e.regStat() != 1 || !strings.HasSuffix(c.args, ";") {
		return nil, raw("NO CARRIER")
	}
	e.post = append(e.post, func() {
		e.after(e.t.ring, true, func() { e.urc("NO ANSWER") })
	})
	return nil, nil
}

func (e *engine) clipCmd(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CLIP: " + b2s(e.set.clip) + ",1"}, nil
	case opTest:
		return []string{"+CLIP: (0-1)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 1, 0)
		if !ok {
			return nil, cme(4)
		}
		e.set.clip = n == 1
	}
	return nil, nil
}

func (e *engine) crcCmd(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CRC: " + b2s(e.set.crc)}, nil
	case opTest:
		return []string{"+CRC: (0-1)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 1, 0)
		if !ok {
			return nil, cme(4)
		}
		e.set.crc = n == 1
	}
	return nil, nil
}

func b2s(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

var charsets = []string{"IRA", "GSM", "UCS2", "HEX", "PCCP437", "8859-1"}

func (e *engine) cscs(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{`+CSCS: "` + e.set.cscs + `"`}, nil
	case opTest:
		return []string{`+CSCS: ("` + strings.Join(charsets, `","`) + `")`}, nil
	case opSet:
		s, _ := strParam(c, 0)
		s = strings.ToUpper(s)
		for _, cs := range charsets {
			if s == cs {
				e.set.cscs = s
				return nil, nil
			}
		}
		return nil, cme(4)
	}
	return nil, nil
}

func (e *engine) ipr(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+IPR: 115200"}, nil
	case opTest:
		return []string{"+IPR: (),(0,1200,2400,4800,9600,19200,38400,57600,115200,230400,460800)"}, nil
	}
	return nil, nil
}

func (e *engine) cusdCmd(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CUSD: " + itoa(e.set.cusd)}, nil
	case opTest:
		return []string{"+CUSD: (0-2)"}, nil
	case opExec:
		return nil, nil
	}
	return e.cusd(c)
}

func (e *engine) curc(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"^CURC: " + b2s(e.set.curc)}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 1, 0)
		if !ok {
			return nil, errERROR
		}
		e.set.curc = n == 1
	}
	return nil, nil
}

func (e *engine) ussdModeCmd(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"^USSDMODE: " + itoa(e.set.ussdMode)}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 1, 0)
		if !ok {
			return nil, errERROR
		}
		e.set.ussdMode = n
	}
	return nil, nil
}
