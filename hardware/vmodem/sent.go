package vmodem

import (
	"fmt"
	"sort"
	"time"

	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/tpdu"
)

// Sent is one message the agent sent, as the network saw it. Parts of a
// concatenated message are grouped into one entry once all of them arrived.
type Sent struct {
	Seq      int       `json:"seq"`
	To       string    `json:"to"`
	Text     string    `json:"text"`
	Segments int       `json:"segments"`
	Encoding string    `json:"encoding"`
	Time     time.Time `json:"time"`
	// PDUs are the hex strings exactly as written after AT+CMGS, in part order.
	PDUs []string `json:"pdus"`
	// MRs are the references the modem answered with ("+CMGS: <mr>"), in part order.
	MRs []int `json:"mrs"`
	// StatusReport is true when the agent asked for delivery reports (TP-SRR).
	StatusReport bool `json:"status_report"`
	// Ref is the concatenation reference, -1 for a single-part message.
	Ref int `json:"ref"`
	// DuplicateParts counts parts received again before the message was complete.
	DuplicateParts int    `json:"duplicate_parts,omitempty"`
	DecodeError    string `json:"decode_error,omitempty"`
}

// sentPart is one submitted PDU waiting for its siblings.
type sentPart struct {
	t   *tpdu.TPDU
	hex string
	mr  int
}

type sentGroup struct {
	to    string
	total int
	ref   int
	parts map[int]sentPart
	dups  int
	first time.Time
}

// sentLog is the network's record of submissions. Only the engine touches it.
type sentLog struct {
	seq      int
	entries  []Sent
	groups   map[string]*sentGroup
	changed  chan struct{} // closed and replaced on every new entry
	rejected int
}

func newSentLog() *sentLog {
	return &sentLog{groups: map[string]*sentGroup{}, changed: make(chan struct{})}
}

// add records one accepted SMS-SUBMIT.
func (l *sentLog) add(t *tpdu.TPDU, h string, mr int, now time.Time) {
	total, seq, ref, ok := t.ConcatInfo()
	to := t.DA.Number()
	if !ok || total <= 1 {
		l.complete(to, -1, []sentPart{{t: t, hex: h, mr: mr}}, 0, now)
		return
	}
	key := fmt.Sprintf("%s/%d/%d", to, ref, total)
	g := l.groups[key]
	if g == nil {
		g = &sentGroup{to: to, total: total, ref: ref, parts: map[int]sentPart{}, first: now}
		l.groups[key] = g
	}
	if _, dup := g.parts[seq]; dup {
		g.dups++
	}
	g.parts[seq] = sentPart{t: t, hex: h, mr: mr}
	if len(g.parts) < g.total {
		return
	}
	delete(l.groups, key)
	parts := make([]sentPart, 0, g.total)
	for i := 1; i <= g.total; i++ {
		p, ok := g.parts[i]
		if !ok {
			// A part number outside 1..total: keep waiting is pointless; take what came.
			parts = parts[:0]
			keys := make([]int, 0, len(g.parts))
			for k := range g.parts {
				keys = append(keys, k)
			}
			sort.Ints(keys)
			for _, k := range keys {
				parts = append(parts, g.parts[k])
			}
			break
		}
		parts = append(parts, p)
	}
	l.complete(to, ref, parts, g.dups, now)
}

func (l *sentLog) complete(to string, ref int, parts []sentPart, dups int, now time.Time) {
	segs := make([]*tpdu.TPDU, len(parts))
	e := Sent{To: to, Segments: len(parts), Time: now, Ref: ref, DuplicateParts: dups}
	for i, p := range parts {
		segs[i] = p.t
		e.PDUs = append(e.PDUs, p.hex)
		e.MRs = append(e.MRs, p.mr)
		e.StatusReport = e.StatusReport || p.t.FirstOctet.SRR()
	}
	e.Encoding = encodingOf(parts[0].t)
	text, err := sms.Decode(segs)
	if err != nil {
		e.DecodeError = err.Error()
	}
	e.Text = string(text)
	l.seq++
	e.Seq = l.seq
	l.entries = append(l.entries, e)
	close(l.changed)
	l.changed = make(chan struct{})
}

// since returns the entries after seq, oldest first.
func (l *sentLog) since(seq int) []Sent {
	out := []Sent{}
	for _, e := range l.entries {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

// clear forgets entries (sequence numbers keep counting) and partial groups.
func (l *sentLog) clear() {
	l.entries = nil
	l.groups = map[string]*sentGroup{}
}

func (l *sentLog) incomplete() int { return len(l.groups) }
