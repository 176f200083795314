package pdu

import (
	"errors"
	"unicode/utf16"

	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/pdumode"
	"github.com/warthog618/sms/encoding/tpdu"
)

// esc is the GSM 7-bit escape to the extension table.
const esc = 0x1b

// part is one decoded PDU with the user data Join needs to reassemble text
// across part boundaries.
type part struct {
	msg   Message
	alpha tpdu.Alphabet
	ud    []byte // septets (gsm7) or octets, without UDH
	udh   tpdu.UserDataHeader
}

// Decode decodes an SMSC field followed by a TPDU, as a modem prints it in
// PDU mode: MTI 0 is an SMS-DELIVER, MTI 1 a stored SMS-SUBMIT (decoded as
// mobile-originated), MTI 2 an SMS-STATUS-REPORT. The bytes are normalised
// first (see normalise) so that the quirks of real PDUs decode; what still
// cannot be decoded comes back as a *DecodeError. Decode is a pure function
// of raw.
//
// A GSM-7 part that ends in half an escape sequence (the escape went into
// this part, its character into the next) decodes without it; Join puts the
// two halves back together.
func Decode(raw []byte) (Message, error) {
	p, err := decodePart(raw)
	if err != nil {
		return Message{}, err
	}
	return p.msg, nil
}

func decodePart(raw []byte) (part, error) {
	var p part
	if len(raw) == 0 {
		return p, derr("smsc", 0, ErrEmpty)
	}
	var smsc pdumode.SMSCAddress
	n, err := smsc.UnmarshalBinary(raw)
	if err != nil {
		return p, libError(err, 0, "smsc")
	}
	fixed, w, err := normalise(raw[n:], n)
	if err != nil {
		return p, err
	}
	dir := sms.AsMT
	if w.mti == 1 {
		dir = sms.AsMO
	}
	t, err := sms.Unmarshal(fixed, dir)
	if err != nil {
		return p, libError(err, n, "tpdu")
	}
	m := Message{SMSC: smsc.Number()}
	if smsc.Addr == "" {
		m.SMSC = ""
	}
	switch w.mti {
	case 0:
		m.Kind = Deliver
		m.Addr = t.OA.Number()
	case 1:
		m.Kind = Submit
		m.Addr = t.DA.Number()
		m.MR = int(t.MR)
	case 2:
		m.Kind = StatusReport
		m.Addr = t.RA.Number()
		m.MR = int(t.MR)
		m.Status = int(t.ST)
		m.Discharge = t.DT.Time
		if w.dtSet {
			m.Discharge = w.dt
		}
	}
	if w.hasSCTS {
		m.RawSCTS = w.rawSCTS
		if w.sctsOK {
			m.SCTS = t.SCTS.Time
		}
	}
	p.msg = m
	if w.mti == 2 {
		return p, nil
	}
	p.alpha, _ = t.DCS.Alphabet()
	p.ud = t.UD
	p.udh = t.UDH
	p.msg.Concat = concatOf(t.UDH)
	switch p.alpha {
	case tpdu.AlphaUCS2:
		p.msg.Encoding = "ucs2"
		p.msg.Text = ucs2Text(p.ud)
	case tpdu.Alpha8Bit:
		p.msg.Encoding = "8bit"
		p.msg.Binary = append([]byte{}, p.ud...)
	default:
		p.msg.Encoding = "gsm7"
		sept, _ := splitDanglingEsc(p.ud)
		p.msg.Text = gsm7Text(sept, p.udh)
	}
	return p, nil
}

// concatOf returns the concatenation information element of udh, 8- or
// 16-bit reference; nil when there is none or it is malformed (TS 23.040
// 9.2.3.24.1: a sequence number of 0 or above the total is ignored).
func concatOf(udh tpdu.UserDataHeader) *Concat {
	var c *Concat
	for _, ie := range udh { // the last one wins, as in the library
		switch {
		case ie.ID == 0x00 && len(ie.Data) == 3:
			c = &Concat{Ref: int(ie.Data[0]), RefBits: 8, Total: int(ie.Data[1]), Seq: int(ie.Data[2])}
		case ie.ID == 0x08 && len(ie.Data) == 4:
			c = &Concat{Ref: int(ie.Data[0])<<8 | int(ie.Data[1]), RefBits: 16, Total: int(ie.Data[2]), Seq: int(ie.Data[3])}
		}
	}
	if c != nil && (c.Total == 0 || c.Seq == 0 || c.Seq > c.Total) {
		return nil
	}
	return c
}

// splitDanglingEsc removes an escape that ends sept without the character it
// escapes, and reports whether it did.
func splitDanglingEsc(sept []byte) ([]byte, bool) {
	n := 0
	for k := len(sept) - 1; k >= 0 && sept[k] == esc; k-- {
		n++
	}
	if n%2 == 1 {
		return sept[:len(sept)-1], true
	}
	return sept, false
}

// gsm7Text decodes septets with the national language tables named in udh.
func gsm7Text(sept []byte, udh tpdu.UserDataHeader) string {
	b, err := tpdu.DecodeUserData(sept, udh, tpdu.Alpha7Bit, tpdu.WithAllCharsets)
	if err != nil { // the non-strict decoder does not fail; be safe anyway
		return ""
	}
	return string(b)
}

// ucs2Text decodes big-endian UTF-16; unpaired surrogates become U+FFFD
// without swallowing the unit after them.
func ucs2Text(b []byte) string {
	u := make([]uint16, len(b)/2)
	for k := range u {
		u[k] = uint16(b[2*k])<<8 | uint16(b[2*k+1])
	}
	return string(utf16.Decode(u))
}

// libError turns an error of the sms library into a *DecodeError with the
// offset counted from the start of the raw PDU.
func libError(err error, base int, field string) *DecodeError {
	var de tpdu.DecodeError
	if errors.As(err, &de) {
		return &DecodeError{Field: de.Field, Offset: base + de.Offset, Err: de.Err}
	}
	return &DecodeError{Field: field, Offset: base, Err: err}
}
