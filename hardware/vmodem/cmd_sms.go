package vmodem

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/pdumode"
	"github.com/warthog618/sms/encoding/tpdu"

	"github.com/tokrihq/tokri/phone"
)

// csms is a setting that answers a set with the services it gives.
func (e *engine) csms(c *command) ([]string, error) {
	lines, err := setting{name: "+CSMS", more: ",1,1,1", max: 1, test: true, bad: cms(cmsNotSupported), field: func(s *settings) *int { return &s.csms }}.run(e, c)
	if c.op == opSet && err == nil {
		return []string{"+CSMS: 1,1,1"}, nil
	}
	return lines, err
}

// cpms: only the SIM ("SM") is offered, like a modem without ME storage.
func (e *engine) cpms(c *command) ([]string, error) {
	u, t := itoa(e.store.used()), itoa(e.store.total())
	switch c.op {
	case opRead:
		return []string{fmt.Sprintf(`+CPMS: "SM",%s,%s,"SM",%s,%s,"SM",%s,%s`, u, t, u, t, u, t)}, nil
	case opTest:
		return []string{`+CPMS: ("SM"),("SM"),("SM")`}, nil
	case opSet:
		if len(c.ps) == 0 || len(c.ps) > 3 {
			return nil, errERROR
		}
		for i := range c.ps {
			m, ok := strParam(c, i)
			if !ok && i > 0 {
				continue
			}
			if strings.ToUpper(m) != "SM" {
				return nil, cms(cmsNotAllowed)
			}
		}
		return []string{fmt.Sprintf("+CPMS: %s,%s,%s,%s,%s,%s", u, t, u, t, u, t)}, nil
	}
	return nil, errERROR
}

var cnmiMax = [5]int{3, 3, 3, 2, 1}

func (e *engine) cnmi(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		v := e.set.cnmi
		return []string{fmt.Sprintf("+CNMI: %d,%d,%d,%d,%d", v[0], v[1], v[2], v[3], v[4])}, nil
	case opTest:
		return []string{"+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)"}, nil
	case opSet:
		if len(c.ps) > 5 {
			return nil, cms(cmsNotSupported)
		}
		v := e.set.cnmi
		for i := range c.ps {
			n, ok := intParam(c, i, 0, cnmiMax[i], v[i])
			if !ok {
				return nil, cms(cmsNotSupported)
			}
			v[i] = n
		}
		e.set.cnmi = v
		e.post = append(e.post, e.pump)
	}
	return nil, nil
}

func (e *engine) cnma(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CNMA: (0-2)"}, nil
	}
	if e.set.csms != 1 || e.net.cmtAwait == nil {
		return nil, cms(cmsNoCNMAPending)
	}
	e.net.cmtAwait = nil
	e.post = append(e.post, e.pump)
	return nil, nil
}

func (e *engine) csca(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		if e.sim.smsc == "" {
			return nil, cms(330)
		}
		toa := 129
		if strings.HasPrefix(e.sim.smsc, "+") {
			toa = 145
		}
		return []string{fmt.Sprintf(`+CSCA: "%s",%d`, e.sim.smsc, toa)}, nil
	case opSet:
		s, ok := strParam(c, 0)
		if !ok {
			return nil, cms(cmsNotSupported)
		}
		e.sim.smsc = s
	}
	return nil, nil
}

func (e *engine) csmp(c *command) ([]string, error) {
	if c.op == opRead {
		return []string{"+CSMP: 17,167,0,0"}, nil
	}
	return nil, nil
}

// statParam reads <stat> as a number (PDU mode) or a string (text mode).
func (e *engine) statParam(c *command, def int) (int, bool) {
	if e.set.cmgf == 0 {
		return intParam(c, 0, 0, 4, def)
	}
	s, ok := strParam(c, 0)
	if !ok {
		return def, true
	}
	for i, t := range statText {
		if strings.EqualFold(s, t) {
			return i, true
		}
	}
	return 0, false
}

func (e *engine) cmgl(c *command) ([]string, error) {
	switch c.op {
	case opTest:
		if e.set.cmgf == 0 {
			return []string{"+CMGL: (0-4)"}, nil
		}
		return []string{`+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")`}, nil
	case opRead:
		return nil, errERROR
	}
	stat, ok := e.statParam(c, statRecUnread)
	if !ok {
		return nil, cms(cmsNotSupported)
	}
	keep, ok := intParam(c, 1, 0, 1, 0) // SIM800: <mode> 1 keeps the status
	if !ok {
		return nil, cms(cmsNotSupported)
	}
	var lines []string
	for _, i := range e.store.list(stat) {
		r, _ := e.store.get(i)
		lines = append(lines, e.recordLines("+CMGL: "+itoa(i+e.prof.indexBase)+",", r)...)
		if keep == 0 && r.stat == statRecUnread {
			r.stat = statRecRead
		}
	}
	return lines, nil
}

func (e *engine) cmgr(c *command) ([]string, error) {
	if c.op == opTest {
		return nil, nil
	}
	if c.op != opSet {
		return nil, errERROR
	}
	idx, ok := intParam(c, 0, 0, 999, -1)
	if !ok {
		return nil, cms(cmsInvalidIndex)
	}
	keep, ok := intParam(c, 1, 0, 1, 0)
	if !ok {
		return nil, cms(cmsNotSupported)
	}
	r, ok := e.store.get(idx - e.prof.indexBase)
	if !ok {
		return nil, cms(cmsInvalidIndex)
	}
	if r == nil {
		if e.prof.emptyRead {
			return nil, nil
		}
		return nil, cms(cmsInvalidIndex)
	}
	lines := e.recordLines("+CMGR: ", r)
	if keep == 0 && r.stat == statRecUnread {
		r.stat = statRecRead
	}
	return lines, nil
}

// recordLines renders a stored message after the given header prefix.
func (e *engine) recordLines(prefix string, r *record) []string {
	if e.set.cmgf == 0 {
		head := prefix + itoa(r.stat) + "," + e.prof.alpha + "," + itoa(r.length)
		return []string{head, r.pdu}
	}
	return e.textRecord(prefix, r)
}

// textRecord renders a stored message in text mode (+CMGF=1).
func (e *engine) textRecord(prefix string, r *record) []string {
	st := `"` + statText[r.stat] + `"`
	b, err := hex.DecodeString(r.pdu)
	var t *tpdu.TPDU
	if err == nil {
		var p *pdumode.PDU
		if p, err = pdumode.UnmarshalBinary(b); err == nil {
			opt := sms.AsMT
			if r.kind == kindSubmit {
				opt = sms.AsMO
			}
			t, err = sms.Unmarshal(p.TPDU, opt)
		}
	}
	if err != nil {
		return []string{prefix + st + `,"","",""`, r.pdu}
	}
	switch t.SmsType() {
	case tpdu.SmsStatusReport:
		return []string{fmt.Sprintf(`%s%s,%d,%d,"%s",%d,"%s","%s",%d`, prefix, st, t.FirstOctet, t.MR,
			t.RA.Number(), t.RA.TOA, textTime(t.SCTS), textTime(t.DT), t.ST)}
	case tpdu.SmsSubmit:
		text, _ := sms.Decode([]*tpdu.TPDU{t})
		return []string{fmt.Sprintf(`%s%s,"%s",""`, prefix, st, t.DA.Number()), string(text)}
	}
	text, _ := sms.Decode([]*tpdu.TPDU{t})
	return []string{fmt.Sprintf(`%s%s,"%s","","%s"`, prefix, st, t.OA.Number(), textTime(t.SCTS)), string(text)}
}

// textTime renders an SCTS like "15/01/09,17:38:30+22" (zone in quarter hours).
func textTime(ts tpdu.Timestamp) string {
	_, off := ts.Zone()
	q := off / 900
	sign := "+"
	if q < 0 {
		sign, q = "-", -q
	}
	return ts.Format("06/01/02,15:04:05") + fmt.Sprintf("%s%02d", sign, q)
}

func (e *engine) cmgd(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CMGD: (" + e.indexRange() + "),(0-4)"}, nil
	}
	if c.op != opSet {
		return nil, errERROR
	}
	flag, ok := intParam(c, 1, 0, 4, 0)
	if !ok {
		return nil, cms(cmsNotSupported)
	}
	idx, ok := intParam(c, 0, 0, 999, -1)
	switch {
	case flag > 0:
		e.store.delFlag(flag)
	case !ok || !e.store.del(idx-e.prof.indexBase):
		return nil, cms(cmsInvalidIndex)
	}
	// A freed slot lets the network retry what waits (after SMMA).
	e.post = append(e.post, func() { e.after(e.t.deliver, false, e.pump) })
	return nil, nil
}

func (e *engine) indexRange() string {
	b := e.prof.indexBase
	return fmt.Sprintf("%d-%d", b, b+e.store.total()-1)
}

// cmgs opens the prompt for AT+CMGS=<length> (PDU) or AT+CMGS="<da>" (text).
func (e *engine) cmgs(c *command) ([]string, error) {
	return e.openSubmit("+CMGS", c)
}

func (e *engine) cmgw(c *command) ([]string, error) {
	return e.openSubmit("+CMGW", c)
}

func (e *engine) openSubmit(name string, c *command) ([]string, error) {
	if c.op == opTest {
		return nil, nil
	}
	if c.op != opSet {
		return nil, errERROR
	}
	p := &promptState{cmd: name}
	if e.set.cmgf == 1 {
		da, ok := strParam(c, 0)
		if !ok {
			return nil, cms(cmsInvalidText)
		}
		p.text, p.da = true, da
	} else {
		n, ok := intParam(c, 0, 7, 176, 0)
		if !ok || len(c.ps) != 1 {
			return nil, cms(cmsInvalidPDU)
		}
		p.length = n
	}
	e.prompt = p
	return nil, errPrompt
}

// submit handles the text or PDU typed after "> " and Ctrl-Z.
func (e *engine) submit(p *promptState) {
	lat := e.t.submit
	if d, ok := e.faults.latency[p.cmd]; ok {
		lat = d
	}
	if p.cmd == "+CMGW" {
		lat = e.latency("+CMGW")
	}
	rb := e.faults.takeReboot(p.cmd, true)
	if rb != nil && rb.Answered {
		e.rebootAfterAnswer(p.cmd)
	} else if rb != nil {
		var post []func()
		if rb.Effect {
			_, _ = e.accept(p)
			post, e.post = e.post, nil
		}
		e.reboot("fault in " + p.cmd)
		for _, f := range post {
			f() // the network still reports what it got
		}
		return
	}
	if f := e.faults.takeError(p.cmd, true); f != "" {
		e.respond(nil, raw(f), lat, p.cmd)
		return
	}
	blocks, err := e.accept(p)
	e.respond(blocks, err, lat, p.cmd)
}

// accept stores (+CMGW) or sends (+CMGS) what was typed.
func (e *engine) accept(p *promptState) ([][]string, *atError) {
	if p.overflow {
		return nil, cms(cmsInvalidPDU)
	}
	h, t, aerr := e.buildSubmitted(p)
	if aerr != nil {
		e.sent.rejected++
		return nil, aerr
	}
	if p.cmd == "+CMGW" {
		idx, ok := e.store.put(&record{stat: statStoUnsent, kind: kindSubmit, pdu: h, length: p.length,
			from: t.DA.Number(), stored: e.cfg.Now()})
		if !ok {
			return nil, cms(cmsMemoryFull)
		}
		return [][]string{{"+CMGW: " + itoa(idx+e.prof.indexBase)}}, nil
	}
	if e.regStat() != 1 {
		return nil, cms(cmsNoNetwork)
	}
	mr := e.sim.nextMR()
	now := e.cfg.Now()
	e.sent.add(t, h, mr, now)
	_, seq, _, concat := t.ConcatInfo()
	e.log.Info().Str("to", phone.Mask(t.DA.Number())).Int("mr", mr).Bool("concat", concat).Int("part", seq).
		Bool("srr", t.FirstOctet.SRR()).Msg("modem sends sms")
	if t.FirstOctet.SRR() {
		ra := t.DA
		e.post = append(e.post, func() { e.scheduleReport(mr, ra, now) })
	}
	var blocks [][]string
	for _, l := range e.prof.sendNoise {
		blocks = append(blocks, []string{l})
	}
	return append(blocks, []string{"+CMGS: " + itoa(mr)}), nil
}

// buildSubmitted decodes the PDU (or encodes the text) the agent typed.
func (e *engine) buildSubmitted(p *promptState) (string, *tpdu.TPDU, *atError) {
	if p.text {
		pdus, err := sms.Encode(p.buf, sms.To(p.da))
		if err != nil || len(pdus) != 1 {
			return "", nil, cms(cmsInvalidText)
		}
		b, err := pdus[0].MarshalBinary()
		if err != nil {
			return "", nil, cms(cmsInvalidText)
		}
		p.length = len(b)
		return "00" + strings.ToUpper(hex.EncodeToString(b)), &pdus[0], nil
	}
	h := string(p.buf)
	t, err := decodeSubmit(h, p.length)
	if err != nil {
		e.log.Debug().Err(err).Msg("submitted pdu rejected")
		return "", nil, cms(cmsInvalidPDU)
	}
	return h, t, nil
}
