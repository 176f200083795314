package pdu

import (
	"encoding/hex"
	"strings"
)

// ParseHex reads a PDU as a modem prints it: upper or lower case, with
// surrounding spaces, a stray trailing `"` or CR/LF. It returns the bytes
// (SMSC field + TPDU).
//
// An odd number of hex digits is an error (ErrOddLength): there is no way to
// tell which nibble is missing or extra, and guessing would hand the inbox a
// plausible but wrong message. The caller keeps the line as printed.
func ParseHex(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "\"\r\n\t ")
	if s == "" {
		return nil, &DecodeError{Field: "hex", Offset: 0, Err: ErrEmpty}
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return nil, &DecodeError{Field: "hex", Offset: i, Err: ErrHex}
		}
	}
	if len(s)%2 == 1 {
		return nil, &DecodeError{Field: "hex", Offset: len(s), Err: ErrOddLength}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, &DecodeError{Field: "hex", Offset: 0, Err: err}
	}
	return b, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
