package pdu

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/warthog618/sms/encoding/tpdu"
)

// Join assembles the parts of one concatenated message, each an SMSC field
// plus TPDU as Decode takes it, given in any order, into one Message with
// the whole text (or the whole binary payload). The header fields (SMSC,
// SCTS, ...) are those of part 1, and Concat names the set with Seq 0.
// A part given twice with the same bytes is used once.
//
// Text is reassembled across part boundaries: a GSM-7 escape at the end of
// one part applies to the first septet of the next, and a UTF-16 surrogate
// pair may straddle two parts.
//
// A single part without concatenation header decodes as by Decode.
func Join(parts [][]byte) (Message, error) {
	if len(parts) == 0 {
		return Message{}, derr("parts", 0, ErrEmpty)
	}
	ps := make([]part, 0, len(parts))
	raws := make([][]byte, 0, len(parts))
	for k, raw := range parts {
		p, err := decodePart(raw)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				de = &DecodeError{Err: err}
			}
			return Message{}, &DecodeError{Field: fmt.Sprintf("part[%d].%s", k, de.Field), Offset: de.Offset, Err: de.Err}
		}
		ps = append(ps, p)
		raws = append(raws, raw)
	}
	if len(ps) == 1 && ps[0].msg.Concat == nil {
		return ps[0].msg, nil
	}
	order := make([]int, len(ps))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := ps[order[a]].msg.Concat, ps[order[b]].msg.Concat
		if ca == nil || cb == nil {
			return cb != nil
		}
		return ca.Seq < cb.Seq
	})
	first := ps[order[0]]
	c0 := first.msg.Concat
	if c0 == nil {
		return Message{}, derr("parts", 0, fmt.Errorf("%w: part without concatenation header", ErrMismatch))
	}
	sorted := make([]part, 0, len(ps))
	for k, idx := range order {
		p := ps[idx]
		c := p.msg.Concat
		if c == nil || c.Ref != c0.Ref || c.RefBits != c0.RefBits || c.Total != c0.Total ||
			p.msg.Addr != first.msg.Addr || p.msg.Kind != first.msg.Kind {
			return Message{}, derr(fmt.Sprintf("part[%d]", idx), 0, ErrMismatch)
		}
		if k > 0 && c.Seq == sorted[len(sorted)-1].msg.Concat.Seq {
			if bytes.Equal(raws[idx], raws[order[k-1]]) {
				continue // the same PDU read twice
			}
			return Message{}, derr(fmt.Sprintf("part[%d]", idx), 0, fmt.Errorf("%w: two parts %d", ErrMismatch, c.Seq))
		}
		sorted = append(sorted, p)
	}
	if len(sorted) != c0.Total {
		return Message{}, derr("parts", 0, fmt.Errorf("%w: %d of %d parts", ErrIncomplete, len(sorted), c0.Total))
	}
	for k, p := range sorted {
		if p.msg.Concat.Seq != k+1 {
			return Message{}, derr("parts", 0, fmt.Errorf("%w: part %d missing", ErrIncomplete, k+1))
		}
	}
	m := first.msg
	m.Concat = &Concat{Ref: c0.Ref, RefBits: c0.RefBits, Total: c0.Total}
	m.Text, m.Binary = "", nil
	if first.alpha == tpdu.Alpha8Bit {
		m.Binary = []byte{}
		for _, p := range sorted {
			if p.alpha != tpdu.Alpha8Bit {
				return Message{}, derr("parts", 0, fmt.Errorf("%w: binary and text parts", ErrMismatch))
			}
			m.Binary = append(m.Binary, p.ud...)
		}
		return m, nil
	}
	for _, p := range sorted {
		if p.alpha == tpdu.Alpha8Bit {
			return Message{}, derr("parts", 0, fmt.Errorf("%w: binary and text parts", ErrMismatch))
		}
	}
	m.Text = joinText(sorted)
	return m, nil
}

// joinText decodes the text of sorted (text) parts as one: runs of UCS-2 parts are
// decoded together (surrogates may straddle parts), and a GSM-7 escape left
// dangling at the end of a part is carried to the next part's first septet.
func joinText(sorted []part) string {
	var text []byte
	var ucs []byte
	var carry bool // an escape carried over from the previous GSM-7 part
	for _, p := range sorted {
		if p.alpha != tpdu.AlphaUCS2 && ucs != nil {
			text = append(text, ucs2Text(ucs)...)
			ucs = nil
		}
		switch p.alpha {
		case tpdu.AlphaUCS2:
			carry = false
			ucs = append(ucs, p.ud...)
		default:
			sept := p.ud
			// Apply the escape carried over, unless the sender repeated
			// it at the start of this part (seen from real senders).
			if carry && (len(sept) == 0 || sept[0] != esc) {
				sept = append([]byte{esc}, sept...)
			}
			sept, carry = splitDanglingEsc(sept)
			text = append(text, gsm7Text(sept, p.udh)...)
		}
	}
	if ucs != nil {
		text = append(text, ucs2Text(ucs)...)
	}
	return string(text)
}
