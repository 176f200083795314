package pdu

import (
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/warthog618/sms/encoding/tpdu"
)

// walk is what normalise learned about a TPDU while repairing it: the
// fields whose original octets the library must not see.
type walk struct {
	mti     byte
	rawSCTS [7]byte
	hasSCTS bool
	sctsOK  bool      // SCTS octets are a valid time stamp
	dt      time.Time // status report TP-DT, read leniently
	dtSet   bool      // dt was read here rather than by the library
}

// Placeholder stamp (2000-01-01 00:00:00 UTC) put where a time stamp cannot
// be decoded, so the library can go on to the fields after it.
var placeholderStamp = [7]byte{0x00, 0x10, 0x10, 0, 0, 0, 0}

// normalise walks the TPDU field by field and returns a copy the library
// accepts: real modems and networks produce PDUs that break the letter of
// TS 23.040 in a few recurring ways, each repaired here:
//
//   - an odd-length number without its F filler (the high nibble of the last
//     octet is 0), or an even length that counts the F filler as a digit;
//   - a time stamp with non-BCD octets (typically the time zone): the SCTS is
//     reported as unknown, the TP-DT of a status report is read leniently;
//   - a TP-UDL that disagrees with the octets that follow: extra octets
//     (SIM FF padding, network junk) are dropped, and when octets are missing
//     the complete septets or octets that are present are kept;
//   - a UCS-2 user data of odd length loses its last, incomplete octet;
//   - anything after TP-ST of a status report (optional fields, SIM padding)
//     is dropped: Message carries none of it;
//   - a reserved coding group in TP-DCS is read as the GSM 7-bit alphabet,
//     as TS 23.038 requires;
//   - a PDU whose DCS says GSM-7 but whose TP-UDL counts octets of plausible
//     UCS-2 text (written so by some phones) is read as UCS-2.
//
// base is the offset of the TPDU within the raw PDU, for error offsets.
func normalise(t []byte, base int) ([]byte, walk, error) {
	var w walk
	out := append([]byte(nil), t...)
	if len(out) == 0 {
		return nil, w, derr("tpdu", base, ErrTruncated)
	}
	fo := out[0]
	w.mti = fo & 0x03
	udhi := fo&0x40 != 0
	i, dcsAt := 1, 0
	var err error
	switch w.mti {
	case 0: // SMS-DELIVER
		if i, dcsAt, err = fixAddressPIDDCS(out, i, base, "oa"); err != nil {
			return nil, w, err
		}
		if len(out) < i+7 {
			return nil, w, derr("scts", base+i, ErrTruncated)
		}
		w.keepSCTS(out[i : i+7])
		i += 7
		if i, err = fixUserData(out, i, dcsAt, udhi, base); err != nil {
			return nil, w, err
		}
	case 1: // SMS-SUBMIT, as stored by the modem
		i++ // TP-MR
		if len(out) < i {
			return nil, w, derr("mr", base+1, ErrTruncated)
		}
		if i, dcsAt, err = fixAddressPIDDCS(out, i, base, "da"); err != nil {
			return nil, w, err
		}
		switch (fo >> 3) & 0x03 {
		case 2: // relative
			i++
		case 1, 3: // enhanced, absolute
			i += 7
		}
		if len(out) < i {
			return nil, w, derr("vp", base+i, ErrTruncated)
		}
		if i, err = fixUserData(out, i, dcsAt, udhi, base); err != nil {
			return nil, w, err
		}
	case 2: // SMS-STATUS-REPORT
		i++ // TP-MR
		if len(out) < i {
			return nil, w, derr("mr", base+1, ErrTruncated)
		}
		if i, err = fixAddress(out, i, base, "ra"); err != nil {
			return nil, w, err
		}
		for k, f := range []string{"scts", "dt", "st"} {
			if at := i + 7*k; len(out) < at+min(7, 15-7*k) {
				return nil, w, derr(f, base+at, ErrTruncated)
			}
		}
		w.keepSCTS(out[i : i+7])
		i += 7
		if !validStamp(out[i:i+7], true) {
			w.dt, w.dtSet = lenientStamp(out[i:i+7]), true
			copy(out[i:i+7], placeholderStamp[:])
		}
		i += 7
		i++ // TP-ST
	default:
		return nil, w, derr("tpdu.mti", base, ErrUnsupported)
	}
	return out[:i], w, nil
}

// fixAddress repairs the filler of the address at out[i] and returns the
// index after it.
func fixAddress(out []byte, i, base int, field string) (int, error) {
	if len(out) < i+2 {
		return 0, derr(field, base+i, ErrTruncated)
	}
	l := int(out[i])
	toa := out[i+1]
	octets := (l + 1) / 2
	end := i + 2 + octets
	if len(out) < end {
		return 0, derr(field, base+i, ErrTruncated)
	}
	if ton := (toa >> 4) & 0x07; ton == 5 || l == 0 { // alphanumeric
		return end, nil
	}
	last := &out[end-1]
	if l%2 == 0 && *last>>4 == 0x0f {
		l-- // the length counted the filler
		out[i] = byte(l)
	}
	if l%2 == 1 && *last>>4 != 0x0f {
		*last |= 0xf0 // the filler was left out
	}
	return end, nil
}

// keepSCTS keeps the TP-SCTS octets for Message and puts the placeholder in
// their place when they are not a valid time stamp.
func (w *walk) keepSCTS(stamp []byte) {
	w.hasSCTS = true
	copy(w.rawSCTS[:], stamp)
	w.sctsOK = validStamp(stamp, true)
	if !w.sctsOK {
		copy(stamp, placeholderStamp[:])
	}
}

// fixAddressPIDDCS repairs the address at out[i] and steps over the TP-PID
// and TP-DCS after it (SMS-DELIVER, SMS-SUBMIT); it returns the index after
// them and that of the DCS.
func fixAddressPIDDCS(out []byte, i, base int, field string) (next, dcsAt int, err error) {
	if i, err = fixAddress(out, i, base, field); err != nil {
		return 0, 0, err
	}
	if len(out) < i+2 {
		return 0, 0, derr("dcs", base+i, ErrTruncated)
	}
	return i + 2, i + 1, nil
}

// fixUserData makes TP-UDL agree with the octets at out[i+1:] and returns the
// index after the user data.
func fixUserData(out []byte, i, dcsAt int, udhi bool, base int) (int, error) {
	if len(out) <= i {
		return 0, derr("udl", base+i, ErrTruncated)
	}
	dcs := tpdu.DCS(out[dcsAt])
	alpha, err := dcs.Alphabet()
	if err != nil { // reserved coding group
		out[dcsAt], dcs, alpha = 0x00, 0x00, tpdu.Alpha7Bit
	}
	if dcs.Compressed() {
		return 0, derr("dcs", base+dcsAt, ErrCompressed)
	}
	udl := int(out[i])
	rest := out[i+1:]
	if udl == 0 {
		return i + 1, nil
	}
	udhl := 0
	if udhi {
		if len(rest) == 0 {
			return 0, derr("udh", base+i+1, ErrTruncated)
		}
		udhl = int(rest[0]) + 1
	}
	switch alpha {
	case tpdu.Alpha7Bit:
		need := (udl*7 + 7) / 8
		if len(rest) > need && !udhi && udl > 7 && len(rest) == udl && plausibleUCS2(rest) {
			out[dcsAt] = 0x08
			return i + 1 + udl, nil
		}
		if len(rest) < need {
			udl = len(rest) * 8 / 7
			need = (udl*7 + 7) / 8
			out[i] = byte(udl)
		}
		if udl == 0 {
			return i + 1, nil
		}
		if udhi && udhl*8 > udl*7 {
			return 0, derr("udh", base+i+1, ErrTruncated)
		}
		// Clear the bits after the last septet, so that junk there is not
		// read as one more character.
		if used := udl*7 - (need-1)*8; used < 8 {
			rest[need-1] &= byte(1<<used) - 1
		}
		return i + 1 + need, nil
	default:
		if len(rest) < udl {
			udl = len(rest)
		}
		if udhi && udhl > udl {
			return 0, derr("udh", base+i+1, ErrTruncated)
		}
		if alpha == tpdu.AlphaUCS2 && (udl-udhl)%2 == 1 {
			udl--
		}
		out[i] = byte(udl)
		return i + 1 + udl, nil
	}
}

// validStamp reports whether s is a time stamp with BCD digits and fields in
// range; strictTZ also requires the time zone to be BCD.
func validStamp(s []byte, strictTZ bool) bool {
	var v [6]int
	for k := 0; k < 6; k++ {
		lo, hi := s[k]&0x0f, s[k]>>4
		if lo > 9 || hi > 9 {
			return false
		}
		v[k] = int(lo)*10 + int(hi)
	}
	if v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 59 {
		return false
	}
	return !strictTZ || s[6]>>4 <= 9
}

// lenientStamp reads a time stamp whose time zone octet is not BCD the way
// lenient decoders do (tens digit taken as is), and returns the zero time
// when the date itself is not valid.
func lenientStamp(s []byte) time.Time {
	if !validStamp(s, false) {
		return time.Time{}
	}
	d := func(b byte) int { return int(b&0x0f)*10 + int(b>>4) }
	q := int(s[6]&0x07)*10 + int(s[6]>>4)
	if s[6]&0x08 != 0 {
		q = -q
	}
	year := 2000 + d(s[0])
	if d(s[0]) >= 70 {
		year -= 100
	}
	return time.Date(year, time.Month(d(s[1])), d(s[2]), d(s[3]), d(s[4]), d(s[5]), 0,
		time.FixedZone("", q*15*60))
}

// plausibleUCS2 reports whether b reads as UCS-2 text: well-formed UTF-16 of
// printable characters.
func plausibleUCS2(b []byte) bool {
	if len(b)%2 != 0 {
		return false
	}
	u := make([]uint16, len(b)/2)
	for k := range u {
		u[k] = uint16(b[2*k])<<8 | uint16(b[2*k+1])
	}
	for _, r := range utf16.Decode(u) {
		if r == unicode.ReplacementChar || r != '\n' && r != '\r' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func derr(field string, off int, err error) *DecodeError {
	return &DecodeError{Field: field, Offset: off, Err: err}
}
