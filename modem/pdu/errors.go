package pdu

import "errors"

// Sentinel errors, wrapped in a *DecodeError or returned as is.
var (
	// ErrEmpty means there were no bytes, or no parts, to decode.
	ErrEmpty = errors.New("empty")
	// ErrHex means a character that is not a hex digit.
	ErrHex = errors.New("invalid hex")
	// ErrOddLength means a hex string with an odd number of digits.
	ErrOddLength = errors.New("odd number of hex digits")
	// ErrUnsupported means a PDU type this package does not decode.
	ErrUnsupported = errors.New("unsupported message type")
	// ErrTruncated means the PDU ends before a field it announces.
	ErrTruncated = errors.New("truncated")
	// ErrCompressed means compressed user data (TS 23.042), which no modem
	// we support sends and this package does not inflate.
	ErrCompressed = errors.New("compressed user data")
	// ErrMismatch means the parts given to Join do not belong together.
	ErrMismatch = errors.New("parts do not belong to one message")
	// ErrIncomplete means Join was not given every part of a message.
	ErrIncomplete = errors.New("incomplete concatenated message")
	// ErrAddress means a destination number that cannot be encoded.
	ErrAddress = errors.New("invalid address")
	// ErrTooLong means text that needs more than 255 parts.
	ErrTooLong = errors.New("text too long")
	// ErrUSSD means a USSD string that does not match its coding.
	ErrUSSD = errors.New("invalid ussd string")
)
