package modem

import (
	"errors"

	"github.com/tokrihq/tokri/modem/at"
)

// Sentinel errors.
var (
	// ErrNotReady means the modem is starting up or recovering; try again
	// later.
	ErrNotReady = errors.New("modem: not ready")
	// ErrNoResponse means the modem did not answer AT at all.
	ErrNoResponse = errors.New("modem: not responding")
	// ErrPINRequired means the SIM asks for a PIN and none is configured.
	ErrPINRequired = errors.New("modem: SIM PIN required")
	// ErrPUKRequired means the SIM is blocked; only the operator can fix
	// it, so Init never tries.
	ErrPUKRequired = errors.New("modem: SIM PUK required")
	// ErrNoSIM means no SIM is inserted (or it cannot be read).
	ErrNoSIM = errors.New("modem: no SIM")
	// ErrUSSD means the network ended a USSD request without an answer.
	ErrUSSD = errors.New("modem: ussd failed")
	// ErrReceiverRunning means a second Receiver was started on a modem.
	ErrReceiverRunning = errors.New("modem: a receiver is already running")
)

// Retryable reports whether sending again later may succeed. It is false
// for failures that are a property of the message or its destination:
// resending the same PDU would fail the same way, and might cost money.
//
// +CMS ERROR codes follow 3GPP TS 27.005 3.2.5: 0..127 are RP causes of TS
// 24.011 (Table 8.4/E-2), 128..255 TP-FCS values of TS 23.040 9.2.3.22,
// 300..511 the modem's own errors and 512.. vendor specific.
//
//   - final: unassigned number (1), operator determined barring (8), call
//     barred (10), transfer rejected (21), unidentified/unknown subscriber
//     (28, 30), facility rejected (29), facility not subscribed (50) or not
//     implemented (69), invalid or unsupported message content (95..97,
//     99); TP-FCS about the TPDU itself (PID, DCS, command, TPDU type,
//     invalid or barred destination, VP), except SC busy (0xC0), SC system
//     failure (0xC2) and memory/SAT busy (0xD3, 0xD4), which pass;
//     operation not supported (303), invalid PDU or text parameter (304,
//     305), invalid memory index (321), no +CNMA expected (340).
//   - retryable: everything about the network or the device's state:
//     destination out of order (27), network out of order (38: the
//     condition may last a while, but it is the network's and not the
//     message's, and the caller's back-off spaces the attempts), temporary
//     failure (41), congestion (42), resources unavailable (47), protocol
//     errors (81, 98, 111, 127), SIM state (310..317), memory (320, 322),
//     SMSC unknown (330), no network (331), network timeout (332),
//     unknown (500), and the vendor range 512.. (often "not delivered to
//     the SC"). Unknown RP causes count as temporary failure, as 24.011
//     tells the network to treat them.
//   - +CME ERROR is about the device (SIM busy, no network): retryable,
//     except operation not supported (4).
//   - timeouts, a closed port, a reboot mid-command (at.ErrRebooted) and
//     ErrNotReady are retryable; so is a plain
//     ERROR, which some modems give for a full SMSC queue; the caller's
//     attempt limit bounds it. COMMAND NOT SUPPORT and TOO MANY
//     PARAMETERS are final.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var cms *at.CMSError
	if errors.As(err, &cms) {
		return cmsRetryable(cms.Code)
	}
	var cme *at.CMEError
	if errors.As(err, &cme) {
		return cme.Code != 4
	}
	switch {
	case errors.Is(err, at.ErrNotSupported), errors.Is(err, at.ErrTooManyParameters):
		return false
	case errors.Is(err, ErrPUKRequired):
		return false
	}
	// Timeouts, closed ports, ERROR, context ends, not ready: try again.
	return true
}

func cmsRetryable(code int) bool {
	switch {
	case code < 0:
		return true // verbose text we do not know
	case code <= 127:
		switch code {
		case 1, 8, 10, 21, 28, 29, 30, 50, 69, 95, 96, 97, 99:
			return false
		}
		return true
	case code <= 255:
		switch code {
		case 0xC0, 0xC2, 0xD3, 0xD4, 0xFF:
			return true
		}
		return false
	case code <= 511:
		switch code {
		case 303, 304, 305, 321, 340:
			return false
		}
		return true
	}
	return true
}
