package vmodem

import (
	"strconv"
	"strings"
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
