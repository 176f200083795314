package pdu

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/warthog618/sms/encoding/gsm7"
)

// USSD data coding, from the CBS data coding scheme (TS 23.038 clause 5).
type ussdCoding int

const (
	ussdGSM7 ussdCoding = iota
	ussdGSM7Lang
	ussdUCS2
	ussdUCS2Lang
	ussd8Bit
)

// ussdCodingOf maps a +CUSD <dcs> to its alphabet; -1 (no <dcs> given) is
// the GSM 7-bit default alphabet.
func ussdCodingOf(dcs int) (ussdCoding, error) {
	if dcs < 0 {
		return ussdGSM7, nil
	}
	if dcs > 0xff {
		return 0, fmt.Errorf("dcs %d: %w", dcs, ErrUSSD)
	}
	d := byte(dcs)
	switch {
	case d == 0x10:
		return ussdGSM7Lang, nil
	case d == 0x11:
		return ussdUCS2Lang, nil
	case d>>4 <= 0x03: // 0000, 0010, 0011 and the rest of 0001: 7-bit
		return ussdGSM7, nil
	case d>>6 == 0x01 && d&0x20 != 0: // 01xx general data coding, compressed
		return 0, fmt.Errorf("dcs 0x%02x: %w", d, ErrCompressed)
	case d>>6 == 0x01, d>>4 == 0x09: // 01xx general data coding; 1001 (with user data header) codes its alphabet alike
		switch (d >> 2) & 0x03 {
		case 1:
			return ussd8Bit, nil
		case 2:
			return ussdUCS2, nil
		}
		return ussdGSM7, nil
	case d>>4 == 0x0f:
		if d&0x04 != 0 {
			return ussd8Bit, nil
		}
		return ussdGSM7, nil
	}
	return ussdGSM7, nil // reserved groups: default alphabet (TS 23.038)
}

// DecodeUSSD decodes the <str> of a +CUSD response according to its <dcs>
// (-1 when the modem gave none) and the modem's current +CSCS charset. The
// shapes real modems produce:
//
//   - plain text in the TE charset (most modems with +CSCS "IRA" or "GSM");
//     under "GSM" the bytes are GSM 7-bit codes ("{" is "ä") unless some are
//     outside 7 bits, in which case the modem is sending text as is;
//   - hex of the packed GSM-7 septets with a 7-bit <dcs> (Huawei E160 and
//     other Huawei sticks in their default USSD mode); a CR filler septet at
//     the end is dropped;
//   - UCS-2 hex when <dcs> says UCS-2 (72, Huawei E3276), and also whenever
//     +CSCS is "UCS2" even with <dcs> 15 (Quectel M35), unless the string
//     cannot be UCS-2 hex (a modem that ignores +CSCS for USSD);
//   - UCS-2 preceded by a two-character language indication (<dcs> 17,
//     Telit HE910-D), which is dropped along with everything after a 0000
//     code unit (modem buffer garbage).
func DecodeUSSD(str string, dcs int, charset string) (string, error) {
	coding, err := ussdCodingOf(dcs)
	if err != nil {
		return "", err
	}
	ucs2CS := strings.EqualFold(charset, "UCS2")
	switch {
	case coding == ussdUCS2 || coding == ussdUCS2Lang:
		b, err := ussdHex(str)
		if err != nil {
			return "", err
		}
		if coding == ussdUCS2Lang && len(b) >= 2 {
			b = b[2:]
		}
		return cutNUL(ucs2Text(b)), nil
	case ucs2CS && isUCS2Hex(str):
		b, err := ussdHex(str)
		if err != nil {
			return "", err
		}
		return dropLanguage(cutNUL(ucs2Text(b)), coding), nil
	case coding == ussd8Bit:
		b, err := ussdHex(str)
		if err != nil {
			return "", err
		}
		if !utf8.Valid(b) {
			return "", fmt.Errorf("8-bit ussd data: %w", ErrUSSD)
		}
		return string(b), nil
	}
	if text, ok := packedGSM7(str); ok {
		return dropLanguage(text, coding), nil
	}
	if strings.EqualFold(charset, "GSM") && isSevenBit(str) {
		b, err := gsm7.Decode([]byte(str))
		if err != nil {
			return "", fmt.Errorf("gsm ussd text: %w", err)
		}
		return dropLanguage(string(b), coding), nil
	}
	// Bytes that are not UTF-8 (a modem sending Latin-1) become U+FFFD:
	// callers get valid text, always.
	return dropLanguage(strings.ToValidUTF8(str, "\uFFFD"), coding), nil
}

// EncodeUSSD encodes a USSD string (e.g. "*123#") for AT+CUSD=1,"...",15
// under the modem's +CSCS charset: as is for "GSM", "IRA" and the others,
// UCS-2 hex for "UCS2". Codes are ASCII digits, '*' and '#', which GSM and
// IRA share.
func EncodeUSSD(code, charset string) string {
	if !strings.EqualFold(charset, "UCS2") {
		return code
	}
	return strings.ToUpper(hex.EncodeToString(utf16BE(code)))
}

// ussdHex decodes a hex <str>, ignoring surrounding spaces.
func ussdHex(str string) ([]byte, error) {
	s := strings.TrimSpace(str)
	if len(s)%2 == 1 {
		return nil, fmt.Errorf("%d hex digits: %w", len(s), ErrUSSD)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("ussd hex: %w: %w", ErrUSSD, err)
	}
	return b, nil
}

// packedGSM7 reads str as hex of packed GSM-7 septets, and says whether
// that is what it is: only hex digits, some of them A-F (packed letters
// always set high nibbles), whole octets, and text that reads as mostly
// ASCII once unpacked. Plain text answers have spaces or letters past F;
// the rare one that is all hex, such as a voucher number, stays text.
func packedGSM7(str string) (string, bool) {
	s := strings.TrimSpace(str)
	if len(s) < 4 || len(s)%2 == 1 || !strings.ContainsAny(s, "ABCDEFabcdef") {
		return "", false
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return "", false
	}
	sept := gsm7.Unpack7BitUSSD(b, 0)
	text, err := gsm7.Decode(sept)
	if err != nil {
		return "", false
	}
	ascii, all := 0, 0
	for _, r := range string(text) {
		all++
		if r == '\n' || r == '\r' || (r >= 0x20 && r < 0x7f) {
			ascii++
		}
	}
	if all == 0 || ascii*10 < all*8 {
		return "", false
	}
	return string(text), true
}

// dropLanguage removes the language indication (two characters and a CR)
// that <dcs> 0x10 puts before the text.
func dropLanguage(text string, coding ussdCoding) string {
	if coding == ussdGSM7Lang && len(text) >= 3 && text[2] == '\r' {
		return text[3:]
	}
	return text
}

// cutNUL ends text at its first NUL: what follows is modem buffer garbage.
func cutNUL(text string) string {
	if k := strings.IndexByte(text, 0); k >= 0 {
		return text[:k]
	}
	return text
}

// isUCS2Hex reports whether s can be UCS-2 hex: whole code units of hex
// digits.
func isUCS2Hex(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s)%4 != 0 {
		return false
	}
	for k := 0; k < len(s); k++ {
		if !isHex(s[k]) {
			return false
		}
	}
	return true
}

func isSevenBit(s string) bool {
	for k := 0; k < len(s); k++ {
		if s[k] >= 0x80 {
			return false
		}
	}
	return true
}
