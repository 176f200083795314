package vmodem

import (
	"fmt"
	"strings"
	"time"

	"github.com/warthog618/sms/encoding/tpdu"

	"github.com/tokrihq/tokri/phone"
)

// netState is the network side: what waits to be delivered and the
// counters the SMSC keeps. It survives modem reboots.
type netState struct {
	lost     bool
	waiting  []*inbound
	ref      int
	lastSCTS map[string]time.Time
	// cmtAwait is the +CMT/+CDS shown directly and not yet acknowledged
	// with +CNMA (only with +CSMS=1).
	cmtAwait       *inbound
	reportsDropped int
	delivered      int
}

// inbound is one PDU on its way from the network to the modem.
type inbound struct {
	kind   int // kindDeliver or kindReport
	pdu    string
	length int
	from   string
}

// SMS is a message a phone sends to the modem (POST /v1/sms).
type SMS struct {
	From string `json:"from"`
	Text string `json:"text,omitempty"`
	// PDU is a whole PDU (SMSC field + TPDU) in hex, stored verbatim, e.g. an invalid one.
	PDU string `json:"pdu,omitempty"`
	// Kind of a verbatim PDU: "deliver" (default) or "report" (routed like a status report).
	Kind string `json:"kind,omitempty"`
	// Encoding is "auto" (default: GSM 7-bit if it fits, else UCS-2), "gsm7" or "ucs2".
	Encoding string `json:"encoding,omitempty"`
	// RefBits is the concatenation reference size, 8 (default) or 16.
	RefBits int `json:"ref_bits,omitempty"`
	// Ref fixes the concatenation reference (default: the network's counter).
	Ref *int `json:"ref,omitempty"`
	// Order lists part numbers (1-based) in delivery order, e.g. [2,1,3].
	Order []int `json:"order,omitempty"`
	// Drop lists part numbers the network loses.
	Drop []int `json:"drop,omitempty"`
	// SCTS overrides the service centre time stamp (default: now, +05:30).
	SCTS *time.Time `json:"scts,omitempty"`
}

// Delivery tells what the network made of an SMS.
type Delivery struct {
	Parts    int       `json:"parts"`
	PDUs     []string  `json:"pdus"` // in delivery order
	Encoding string    `json:"encoding,omitempty"`
	Ref      int       `json:"ref"`
	SCTS     time.Time `json:"scts"`
}

// deliverSMS builds the PDUs of msg and queues them for the modem.
func (e *engine) deliverSMS(msg SMS) (Delivery, error) {
	if msg.PDU != "" {
		return e.deliverRaw(msg)
	}
	if msg.From == "" {
		return Delivery{}, fmt.Errorf("sms without from: %w", ErrBadRequest)
	}
	now := e.cfg.Now()
	scts := now.Truncate(time.Second)
	if msg.SCTS != nil {
		scts = msg.SCTS.Truncate(time.Second)
	} else if last, ok := e.net.lastSCTS[msg.From]; ok && !scts.After(last) {
		// One sender's messages never share a time stamp.
		scts = last.Add(time.Second)
	}
	spec := deliverSpec{from: msg.From, text: msg.Text, scts: scts, smsc: e.sim.smsc}
	switch msg.Encoding {
	case "", "auto":
	case "ucs2":
		spec.ucs2 = true
	case "gsm7":
		if _, _, a := tpdu.EncodeUserData([]byte(msg.Text)); a != tpdu.Alpha7Bit {
			return Delivery{}, fmt.Errorf("text does not fit gsm7: %w", ErrBadRequest)
		}
	default:
		return Delivery{}, fmt.Errorf("encoding %q: %w", msg.Encoding, ErrBadRequest)
	}
	switch msg.RefBits {
	case 0, 8:
	case 16:
		spec.ref16 = true
	default:
		return Delivery{}, fmt.Errorf("ref_bits %d: %w", msg.RefBits, ErrBadRequest)
	}
	if msg.Ref != nil {
		spec.ref = *msg.Ref
	} else {
		e.net.ref++
		spec.ref = e.net.ref
	}
	if spec.ref16 {
		spec.ref &= 0xffff
	} else {
		spec.ref &= 0xff
	}
	parts, enc, err := buildDeliver(spec)
	if err != nil {
		return Delivery{}, fmt.Errorf("build deliver: %w", err)
	}
	e.net.lastSCTS[msg.From] = scts.Add(time.Duration(len(parts)-1) * time.Second)
	order, err := partOrder(len(parts), msg.Order, msg.Drop)
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{Parts: len(parts), Encoding: enc, SCTS: scts.In(ist), Ref: -1}
	if len(parts) > 1 {
		d.Ref = spec.ref
	}
	var ins []*inbound
	for _, n := range order {
		p := parts[n-1]
		d.PDUs = append(d.PDUs, p.pdu)
		ins = append(ins, &inbound{kind: kindDeliver, pdu: p.pdu, length: p.length, from: msg.From})
	}
	e.log.Info().Str("from", phone.Mask(msg.From)).Int("parts", len(parts)).Str("encoding", enc).Msg("network delivers sms")
	e.enqueue(ins...)
	return d, nil
}

// partOrder validates order/drop and returns the part numbers to deliver.
func partOrder(n int, order, drop []int) ([]int, error) {
	if len(order) == 0 {
		for i := 1; i <= n; i++ {
			order = append(order, i)
		}
	}
	if len(order) != n {
		return nil, fmt.Errorf("order has %d entries for %d parts: %w", len(order), n, ErrBadRequest)
	}
	seen := map[int]bool{}
	for _, p := range order {
		if p < 1 || p > n || seen[p] {
			return nil, fmt.Errorf("order %v is not a permutation of 1..%d: %w", order, n, ErrBadRequest)
		}
		seen[p] = true
	}
	dropped := map[int]bool{}
	for _, p := range drop {
		if p < 1 || p > n {
			return nil, fmt.Errorf("drop part %d of %d: %w", p, n, ErrBadRequest)
		}
		dropped[p] = true
	}
	var out []int
	for _, p := range order {
		if !dropped[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// deliverRaw queues a PDU exactly as given.
func (e *engine) deliverRaw(msg SMS) (Delivery, error) {
	h := strings.TrimSpace(msg.PDU)
	if strings.ContainsAny(h, "\r\n\x1a\x1b") {
		return Delivery{}, fmt.Errorf("pdu with control characters: %w", ErrBadRequest)
	}
	kind := kindDeliver
	switch msg.Kind {
	case "", "deliver":
	case "report":
		kind = kindReport
	default:
		return Delivery{}, fmt.Errorf("kind %q: %w", msg.Kind, ErrBadRequest)
	}
	e.log.Info().Str("kind", kindNames[kind]).Msg("network delivers raw pdu")
	e.enqueue(&inbound{kind: kind, pdu: h, length: rawLength(h), from: msg.From})
	return Delivery{Parts: 1, PDUs: []string{h}, Ref: -1}, nil
}

// enqueue hands PDUs to the network, which offers them after its delay.
func (e *engine) enqueue(ins ...*inbound) {
	e.after(e.t.deliver, false, func() {
		e.net.waiting = append(e.net.waiting, ins...)
		e.pump()
	})
}

// pump offers waiting PDUs to the modem; what cannot be taken keeps waiting
// in the network (full storage, no network, locked SIM, pending +CNMA).
func (e *engine) pump() {
	if e.booting || e.unplug || e.net.lost || !e.sim.present || e.sim.state != simReady || e.set.cfun != 1 {
		return
	}
	var keep []*inbound
	for _, in := range e.net.waiting {
		if !e.offer(in) {
			keep = append(keep, in)
		}
	}
	e.net.waiting = keep
}

// offer routes one PDU per +CNMI; false means it must wait.
func (e *engine) offer(in *inbound) bool {
	mode, mt, ds := e.set.cnmi[0], e.set.cnmi[1], e.set.cnmi[3]
	base := e.prof.indexBase
	direct := func(head string) bool {
		if e.silenced() || (e.set.csms == 1 && e.net.cmtAwait != nil) {
			return false
		}
		e.urcBlock(head, in.pdu)
		if e.set.csms == 1 {
			e.awaitAck(in)
		}
		e.net.delivered++
		return true
	}
	store := func(urc string) bool {
		if e.faults.storageFull {
			return false
		}
		idx, ok := e.store.put(&record{stat: statRecUnread, kind: in.kind, pdu: in.pdu, length: in.length,
			from: in.from, stored: e.cfg.Now()})
		if !ok {
			return false
		}
		e.net.delivered++
		if urc != "" && mode != 0 {
			e.urc(fmt.Sprintf(`%s: "SM",%d`, urc, idx+base))
		}
		return true
	}
	if in.kind == kindReport {
		switch {
		case ds == 1 && mode != 0:
			return direct(fmt.Sprintf("+CDS: %d", in.length))
		case ds == 2:
			return store("+CDSI")
		}
		e.net.reportsDropped++
		return true
	}
	switch {
	case mt == 2 && mode != 0:
		return direct(fmt.Sprintf("+CMT: %s,%d", e.prof.cmtAlpha, in.length))
	case mt == 1 || mt == 3:
		return store("+CMTI")
	}
	return store("")
}

// awaitAck waits for +CNMA; without it the network retries and the modem
// turns direct routing off, as 3GPP TS 27.005 3.4.4 describes.
func (e *engine) awaitAck(in *inbound) {
	e.net.cmtAwait = in
	e.after(e.t.ackWait, false, func() {
		if e.net.cmtAwait != in {
			return
		}
		e.log.Info().Msg("+CNMA not received; routing to TE disabled")
		e.net.cmtAwait = nil
		e.set.cnmi[1] = 0
		e.set.cnmi[3] = 0
		e.net.waiting = append([]*inbound{in}, e.net.waiting...)
		e.pump()
	})
}

// scheduleReport makes the network answer a submitted part with a status report.
func (e *engine) scheduleReport(mr int, ra tpdu.Address, submitted time.Time) {
	st := byte(0)
	if e.faults.reportStatus != nil {
		st = byte(*e.faults.reportStatus)
	}
	e.after(e.t.report, false, func() {
		b, err := buildReport(byte(mr), ra, submitted, e.cfg.Now(), st)
		if err != nil {
			e.log.Error().Err(err).Msg("build status report")
			return
		}
		e.net.waiting = append(e.net.waiting, &inbound{kind: kindReport, pdu: b.pdu, length: b.length, from: ra.Number()})
		e.pump()
	})
}

// setNetwork loses or regains the network, with +CREG URCs.
func (e *engine) setNetwork(lost bool) {
	if e.net.lost == lost {
		return
	}
	e.net.lost = lost
	e.log.Info().Bool("lost", lost).Msg("network registration changes")
	if e.set.creg > 0 {
		e.urc(e.cregURC())
	}
	if !lost {
		e.pump()
	}
}

func (e *engine) regStat() int {
	if e.net.lost || e.set.cfun != 1 || !e.sim.present || e.sim.state != simReady {
		return 0
	}
	return 1
}

func (e *engine) cregURC() string {
	if e.set.creg == 2 && e.regStat() == 1 {
		return `+CREG: 1,"1A2B","3C4D"`
	}
	return "+CREG: " + itoa(e.regStat())
}
