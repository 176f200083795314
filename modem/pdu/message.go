package pdu

import (
	"fmt"
	"time"
)

// Kind is what a PDU carries, by its message type indicator and direction.
type Kind int

// Kinds of message a modem can hand us.
const (
	Deliver      Kind = iota // MTI 0, mobile-terminated: a shopper's SMS
	Submit                   // MTI 1 read from storage: a stored outgoing SMS
	StatusReport             // MTI 2: the network's report on one we sent
)

// Concat identifies one part of a concatenated (long) message.
type Concat struct {
	Ref     int // reference number shared by all parts
	RefBits int // 8 or 16
	Total   int // number of parts
	Seq     int // this part, 1-based
}

// Message is one decoded PDU.
type Message struct {
	Kind Kind
	SMSC string // service centre address, "" when absent
	// Addr is the originator of a Deliver, the destination of a Submit and
	// the recipient of a StatusReport, in international form with "+" when
	// the type of number says so.
	Addr string
	SCTS time.Time // service centre time stamp; zero when not decodable
	// RawSCTS holds the TP-SCTS octets as received (zero for a Submit), so
	// a dedupe key stays distinct even when SCTS could not be decoded.
	RawSCTS  [7]byte
	Encoding string  // "gsm7", "ucs2" or "8bit"
	Text     string  // decoded text (gsm7, ucs2)
	Binary   []byte  // user data of 8-bit messages, without UDH
	Concat   *Concat // nil unless part of a concatenated message; Seq is 0 on a joined message

	// Status report fields.
	MR        int       // TP-MR: of the SMS reported on, or of a stored Submit
	Status    int       // TP-ST
	Discharge time.Time // TP-DT
}

// DecodeError says which field of a PDU could not be decoded and where.
type DecodeError struct {
	Field  string
	Offset int
	Err    error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("pdu: %s at offset %d: %v", e.Field, e.Offset, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
