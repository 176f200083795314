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
		"E":  {fn: basicFlag(func(s *settings) *bool { return &s.echo })},
		"V":  {fn: basicFlag(func(s *settings) *bool { return &s.verbose })},
		"Q":  {fn: basicFlag(func(s *settings) *bool { return &s.quiet })},
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

		"+CMEE":  {fn: setting{name: "+CMEE", max: 2, test: true, bad: cme(4), field: func(s *settings) *int { return &s.cmee }}.run},
		"+CPIN":  {fn: (*engine).cpin},
		"+CSQ":   {fn: (*engine).csq},
		"+CREG":  {fn: (*engine).creg},
		"+COPS":  {fn: (*engine).cops, sim: true},
		"+CFUN":  {fn: (*engine).cfun},
		"+CPAS":  {fn: (*engine).cpas},
		"+CLCC":  {fn: (*engine).atCLCC},
		"+CHUP":  {fn: (*engine).atH},
		"+CLIP":  {fn: setting{name: "+CLIP", more: ",1", max: 1, test: true, bad: cme(4), field: func(s *settings) *int { return &s.clip }}.run},
		"+CRC":   {fn: setting{name: "+CRC", max: 1, test: true, bad: cme(4), field: func(s *settings) *int { return &s.crc }}.run},
		"+CSCS":  {fn: (*engine).cscs},
		"+IPR":   {fn: (*engine).ipr},
		"+IFC":   {fn: okCmd},
		"+CIURC": {fn: okCmd, vendor: true},
		"+CUSD":  {fn: (*engine).cusdCmd, sim: true},

		"+CMGF": {fn: setting{name: "+CMGF", max: 1, test: true, bad: cms(cmsNotSupported), field: func(s *settings) *int { return &s.cmgf }}.run},
		"+CSMS": {fn: (*engine).csms, sms: true},
		"+CPMS": {fn: (*engine).cpms, sms: true},
		"+CNMI": {fn: (*engine).cnmi, sms: true},
		"+CNMA": {fn: (*engine).cnma, sms: true},
		"+CSCA": {fn: (*engine).csca, sms: true},
		"+CSMP": {fn: (*engine).csmp, sms: true},
		"+CSDH": {fn: setting{name: "+CSDH", max: 1, bad: cms(cmsNotSupported), field: func(s *settings) *int { return &s.csdh }}.run, sms: true},
		"+CMGL": {fn: (*engine).cmgl, sms: true},
		"+CMGR": {fn: (*engine).cmgr, sms: true},
		"+CMGD": {fn: (*engine).cmgd, sms: true},
		"+CMGS": {fn: (*engine).cmgs, sms: true},
		"+CMGW": {fn: (*engine).cmgw, sms: true},

		"^CURC":     {fn: setting{name: "^CURC", max: 1, bad: errERROR, field: func(s *settings) *int { return &s.curc }}.run, vendor: true},
		"^USSDMODE": {fn: setting{name: "^USSDMODE", max: 1, bad: errERROR, field: func(s *settings) *int { return &s.ussdMode }}.run, vendor: true},
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

// basicFlag serves ATE, ATV and ATQ: a digit, 0 when left out, sets one flag.
func basicFlag(field func(*settings) *bool) func(*engine, *command) ([]string, error) {
	return func(e *engine, c *command) ([]string, error) {
		switch c.args {
		case "", "0":
			*field(&e.set) = false
		case "1":
			*field(&e.set) = true
		default:
			return nil, errERROR
		}
		return nil, nil
	}
}

// setting serves a command whose only job is one number of the settings:
// read prints it, test prints its range where the model does, set takes a
// number from 0 to max and answers anything else with bad.
type setting struct {
	name  string
	more  string // fixed fields the read answer prints after the number
	max   int
	test  bool
	bad   error
	field func(*settings) *int
}

func (s setting) run(e *engine, c *command) ([]string, error) {
	v := s.field(&e.set)
	switch c.op {
	case opRead:
		return []string{s.name + ": " + itoa(*v) + s.more}, nil
	case opTest:
		if s.test {
			return []string{s.name + ": (0-" + itoa(s.max) + ")"}, nil
		}
	case opSet:
		n, ok := intParam(c, 0, 0, s.max, 0)
		if !ok {
			return nil, s.bad
		}
		*v = n
	}
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

// cusdCmd reads and tests like a setting; set sends a request (e.cusd).
func (e *engine) cusdCmd(c *command) ([]string, error) {
	if c.op == opSet {
		return e.cusd(c)
	}
	return setting{name: "+CUSD", max: 2, test: true, field: func(s *settings) *int { return &s.cusd }}.run(e, c)
}
