package vmodem

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/warthog618/sms"
	"github.com/warthog618/sms/encoding/pdumode"
	"github.com/warthog618/sms/encoding/tpdu"
	"github.com/warthog618/sms/encoding/ucs2"
)

// SMSC addresses the network puts in front of what it delivers; two
// different centres as in generic-india_cmti-cmgr-cmgd-cmgs-cds.txt.
const (
	smscDeliver = "+919840011016"
	smscReport  = "+919840000232"
)

// ist is the zone of the SCTS the network stamps (+05:30).
var ist = time.FixedZone("IST", 5*3600+1800)

// Encodings reported for SMS user data.
const (
	encGSM7 = "gsm7"
	encUCS2 = "ucs2"
	enc8Bit = "8bit"
)

// deliverSpec is one message from a phone as the network turns it into PDUs.
type deliverSpec struct {
	from  string
	text  string
	ucs2  bool // force UCS-2 even when GSM 7-bit would do
	ref16 bool // 16-bit concatenation reference
	ref   int  // concatenation reference (used when more than one part)
	scts  time.Time
	smsc  string
}

// builtPart is one SMS-DELIVER ready for storage: modem-printed hex and TPDU length.
type builtPart struct {
	pdu    string
	length int
}

// fixedRef hands one chosen reference to tpdu.Segment.
type fixedRef int

func (r fixedRef) Count() int { return int(r) }

// address builds a TP address: "+..." international, digits unknown type,
// anything else alphanumeric (Indian sender IDs like "AD-AIRTEL").
func address(s string) tpdu.Address {
	switch {
	case strings.HasPrefix(s, "+"):
		return tpdu.NewAddress(tpdu.FromNumber(s))
	case s != "" && strings.Trim(s, "0123456789") == "":
		return tpdu.Address{TOA: 0x81, Addr: s}
	default:
		return tpdu.Address{TOA: 0xD0, Addr: s}
	}
}

// buildDeliver encodes spec into one or more SMS-DELIVER PDUs in part order.
func buildDeliver(spec deliverSpec) ([]builtPart, string, error) {
	t, err := tpdu.NewDeliver()
	if err != nil {
		return nil, "", fmt.Errorf("new deliver: %w", err)
	}
	t.FirstOctet |= tpdu.FoMMS // no more messages waiting (as networks send 0x04)
	t.OA = address(spec.from)
	t.SCTS = tpdu.Timestamp{Time: spec.scts.In(ist).Truncate(time.Second)}
	var data []byte
	enc := encGSM7
	if spec.ucs2 {
		data = ucs2.Encode([]rune(spec.text))
		t.SetDCS(byte(tpdu.DcsUCS2Data))
		enc = encUCS2
	} else {
		ud, udh, alpha := tpdu.EncodeUserData([]byte(spec.text))
		data = ud
		if alpha == tpdu.AlphaUCS2 {
			t.SetDCS(byte(tpdu.DcsUCS2Data))
			enc = encUCS2
		} else {
			t.SetDCS(0)
		}
		if udh != nil {
			t.SetUDH(udh)
		}
	}
	if len(data) == 0 {
		// An empty message is still one SMS.
		data = []byte{}
		t.SetUD(data)
		b, err := marshalPDU(spec.smsc, t)
		if err != nil {
			return nil, "", err
		}
		return []builtPart{b}, enc, nil
	}
	opts := []tpdu.SegmentationOption{tpdu.WithConcatRef(fixedRef(spec.ref))}
	if spec.ref16 {
		opts = append(opts, tpdu.With16BitConcatRef)
	}
	segs := t.Segment(data, opts...)
	out := make([]builtPart, 0, len(segs))
	for i := range segs {
		// Each part reaches the SMSC on its own: one second apart.
		segs[i].SCTS = tpdu.Timestamp{Time: t.SCTS.Add(time.Duration(i) * time.Second)}
		b, err := marshalPDU(spec.smsc, &segs[i])
		if err != nil {
			return nil, "", err
		}
		out = append(out, b)
	}
	return out, enc, nil
}

// marshalPDU prefixes the SMSC address and renders upper-case hex as modems print it.
func marshalPDU(smsc string, t *tpdu.TPDU) (builtPart, error) {
	b, err := t.MarshalBinary()
	if err != nil {
		return builtPart{}, fmt.Errorf("marshal tpdu: %w", err)
	}
	p := pdumode.PDU{TPDU: b}
	if smsc != "" {
		p.SMSC = pdumode.SMSCAddress{Address: tpdu.NewAddress(tpdu.FromNumber(smsc))}
	}
	h, err := p.MarshalHexString()
	if err != nil {
		return builtPart{}, fmt.Errorf("marshal pdu: %w", err)
	}
	return builtPart{pdu: strings.ToUpper(h), length: len(b)}, nil
}

// buildReport encodes the SMS-STATUS-REPORT for a submitted part.
func buildReport(mr byte, ra tpdu.Address, scts, dt time.Time, st byte) (builtPart, error) {
	t := tpdu.TPDU{Direction: tpdu.MT}
	if err := t.SetSmsType(tpdu.SmsStatusReport); err != nil {
		return builtPart{}, fmt.Errorf("status report type: %w", err)
	}
	t.FirstOctet |= tpdu.FoMMS
	t.MR = mr
	t.RA = ra
	t.SCTS = tpdu.Timestamp{Time: scts.In(ist).Truncate(time.Second)}
	t.DT = tpdu.Timestamp{Time: dt.In(ist).Truncate(time.Second)}
	t.ST = st
	return marshalPDU(smscReport, &t)
}

// rawLength is the <length> of a PDU given verbatim: octets after the SMSC field.
func rawLength(h string) int {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) == 0 {
		return len(h) / 2
	}
	n := len(b) - 1 - int(b[0])
	if n < 0 {
		return 0
	}
	return n
}

// decodeSubmit checks and decodes what the agent wrote after AT+CMGS=<length>.
func decodeSubmit(h string, length int) (*tpdu.TPDU, error) {
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("decode submit: %w", errPDUHex)
	}
	p, err := pdumode.UnmarshalBinary(b)
	if err != nil {
		return nil, fmt.Errorf("decode submit smsc: %w", err)
	}
	if len(p.TPDU) != length {
		return nil, fmt.Errorf("decode submit: %w (%d != %d)", errPDULength, len(p.TPDU), length)
	}
	t, err := sms.Unmarshal(p.TPDU, sms.AsMO)
	if err != nil {
		return nil, fmt.Errorf("decode submit: %w", err)
	}
	if t.SmsType() != tpdu.SmsSubmit {
		return nil, fmt.Errorf("decode submit: %w", errNotSubmit)
	}
	return t, nil
}

// encodingOf names the alphabet of a TPDU.
func encodingOf(t *tpdu.TPDU) string {
	a, _ := t.Alphabet()
	switch a {
	case tpdu.AlphaUCS2:
		return encUCS2
	case tpdu.Alpha8Bit:
		return enc8Bit
	}
	return encGSM7
}
