package pdu

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/warthog618/sms/encoding/gsm7"
	"github.com/warthog618/sms/encoding/tpdu"

	"github.com/tokrihq/tokri/phone"
)

// Segment budgets (TS 23.040 9.2.3.16 and 9.2.3.24.1): a single part holds
// 140 octets; each part of a concatenated message gives 6 of them (5 with
// the 8-bit reference, plus the UDHL octet) to the header.
const (
	gsm7Single = 160 // septets
	gsm7Multi  = 153
	ucs2Single = 70 // UTF-16 units
	ucs2Multi  = 67
	maxParts   = 255
)

// SubmitOptions tunes EncodeSubmit.
type SubmitOptions struct {
	// Ref is the concatenation reference of a long message; only Ref&0xff
	// is sent (8-bit reference). The caller keeps it distinct per
	// recipient for recent messages.
	Ref int
	// StatusReport asks the network for a status report (TP-SRR) on the
	// last part only: a handset shows a long message once its last part
	// is in, and every report costs the receiver a commit.
	StatusReport bool
}

// Encoded is text encoded as SMS-SUBMIT TPDUs, ready for AT+CMGS.
type Encoded struct {
	TPDUs    [][]byte // without the SMSC octet; the driver prepends "00"
	Encoding string   // "gsm7" or "ucs2"
	Segments int      // len(TPDUs)
}

// EncodeSubmit encodes text to the number to as SMS-SUBMIT TPDUs: in the
// GSM 7-bit default alphabet and its extension table whenever the text
// allows, otherwise in UCS-2 (UTF-16, so emoji survive). Text too long for
// one part is split into parts with an 8-bit concatenation header that never
// separate an escape from its character or a surrogate pair. A number with
// a leading "+" is sent as international, any other as unknown type.
func EncodeSubmit(to, text string, opts SubmitOptions) (Encoded, error) {
	da, err := destination(to)
	if err != nil {
		return Encoded{}, err
	}
	units, encoding := textUnits(text)
	chunks := split(units, encoding)
	if len(chunks) > maxParts {
		return Encoded{}, fmt.Errorf("encode submit: %d parts: %w", len(chunks), ErrTooLong)
	}
	enc := Encoded{Encoding: encoding, Segments: len(chunks)}
	for k, ch := range chunks {
		t, err := tpdu.NewSubmit()
		if err != nil {
			return Encoded{}, fmt.Errorf("encode submit: %w", err)
		}
		t.DA = da
		if opts.StatusReport && k == len(chunks)-1 {
			t.FirstOctet |= tpdu.FoSRR
		}
		if encoding == "ucs2" {
			t.SetDCS(byte(tpdu.DcsUCS2Data))
		}
		if len(chunks) > 1 {
			t.SetUDH(tpdu.UserDataHeader{{ID: 0x00, Data: []byte{byte(opts.Ref), byte(len(chunks)), byte(k + 1)}}})
		}
		t.SetUD(ch)
		b, err := t.MarshalBinary()
		if err != nil {
			return Encoded{}, fmt.Errorf("encode submit part %d: %w", k+1, err)
		}
		enc.TPDUs = append(enc.TPDUs, b)
	}
	return enc, nil
}

// Count says how many parts and which encoding text costs, exactly as
// EncodeSubmit would send it: GSM-7 takes 160 septets in one part and 153
// per part beyond (an extension character costs 2 and is never split), UCS-2
// takes 70 UTF-16 units and 67 per part (a surrogate pair costs 2 and is
// never split). Empty text costs one part.
func Count(text string) (segments int, encoding string) {
	units, encoding := textUnits(text)
	return len(split(units, encoding)), encoding
}

// textUnits returns the user data of text before packing: GSM-7 septets, or
// UTF-16 big-endian octets.
func textUnits(text string) ([]byte, string) {
	// The library maps a literal U+001B to the escape septet, which would
	// swallow the next character: such text goes as UCS-2.
	if strings.IndexByte(text, esc) < 0 {
		if sept, err := gsm7.Encode([]byte(text)); err == nil {
			return sept, "gsm7"
		}
	}
	return utf16BE(text), "ucs2"
}

// utf16BE returns text as UTF-16 big-endian octets.
func utf16BE(text string) []byte {
	u := utf16.Encode([]rune(text))
	b := make([]byte, 0, 2*len(u))
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return b
}

// split cuts user data into the chunks of each part, never between an
// escape and its character nor between the halves of a surrogate pair.
func split(units []byte, encoding string) [][]byte {
	single, multi, width := gsm7Single, gsm7Multi, 1
	if encoding == "ucs2" {
		single, multi, width = ucs2Single*2, ucs2Multi*2, 2
	}
	if len(units) <= single {
		return [][]byte{units}
	}
	var chunks [][]byte
	for len(units) > 0 {
		n := min(multi, len(units))
		if n < len(units) {
			if width == 1 && endsInEsc(units[:n]) {
				n--
			}
			if width == 2 && units[n-2]&0xfc == 0xd8 { // high surrogate
				n -= 2
			}
		}
		chunks = append(chunks, units[:n])
		units = units[n:]
	}
	return chunks
}

// endsInEsc reports whether sept ends with an escape that starts a pair.
func endsInEsc(sept []byte) bool {
	_, dangling := splitDanglingEsc(sept)
	return dangling
}

// destination builds the TP-DA for a number: "+" and digits international,
// digits (and * # a b c) alone unknown type, both ISDN numbering plan.
func destination(to string) (tpdu.Address, error) {
	num := to
	toa := byte(0x81)
	if len(num) > 0 && num[0] == '+' {
		num, toa = num[1:], 0x91
	}
	if len(num) == 0 || len(num) > 20 {
		return tpdu.Address{}, fmt.Errorf("destination %q: %w", phone.Mask(to), ErrAddress)
	}
	for k := 0; k < len(num); k++ {
		switch c := num[k]; {
		case '0' <= c && c <= '9', c == '*', c == '#', c == 'a', c == 'b', c == 'c':
		default:
			return tpdu.Address{}, fmt.Errorf("destination %q: %w", phone.Mask(to), ErrAddress)
		}
	}
	return tpdu.Address{TOA: toa, Addr: num}, nil
}
