package vmodem

import (
	"fmt"
	"strconv"
)

// atError is a final result code other than OK.
type atError struct {
	kind int // errPlain, errCME, errCMS, errRaw, errUnknown
	code int
	raw  string
}

const (
	errPlain   = iota // ERROR
	errCME            // +CME ERROR: <n>, shaped by +CMEE
	errCMS            // +CMS ERROR: <n>
	errRaw            // given verbatim (fault injection, NO CARRIER)
	errUnknown        // the profile's answer to an unknown command
)

func (e *atError) Error() string { return fmt.Sprintf("at error %d/%d %s", e.kind, e.code, e.raw) }

var (
	errERROR   = &atError{kind: errPlain}
	errNotSupp = &atError{kind: errUnknown}
)

func cme(n int) *atError { return &atError{kind: errCME, code: n} }
func cms(n int) *atError { return &atError{kind: errCMS, code: n} }
func raw(s string) *atError {
	return &atError{kind: errRaw, raw: s}
}

// 3GPP TS 27.007 9.2 texts for +CMEE=2.
var cmeText = map[int]string{
	0: "phone failure", 3: "operation not allowed", 4: "operation not supported",
	10: "SIM not inserted", 11: "SIM PIN required", 12: "SIM PUK required", 13: "SIM failure",
	14: "SIM busy", 16: "incorrect password", 20: "memory full", 21: "invalid index",
	22: "not found", 24: "text string too long", 25: "invalid characters in text string",
	30: "no network service", 31: "network timeout", 100: "unknown",
}

// 3GPP TS 27.005 3.2.5 error values used here.
const (
	cmsNotAllowed    = 302
	cmsNotSupported  = 303
	cmsInvalidPDU    = 304
	cmsInvalidText   = 305
	cmsNoSIM         = 310
	cmsSIMPIN        = 311
	cmsSIMPUK        = 316
	cmsInvalidIndex  = 321
	cmsMemoryFull    = 322
	cmsNoNetwork     = 331
	cmsNoCNMAPending = 340
)

// finalText renders a final result in verbose form.
func (e *engine) finalText(err *atError) string {
	switch err.kind {
	case errCME:
		switch e.set.cmee {
		case 0:
			return "ERROR"
		case 2:
			if t, ok := cmeText[err.code]; ok {
				return "+CME ERROR: " + t
			}
		}
		return "+CME ERROR: " + strconv.Itoa(err.code)
	case errCMS:
		return "+CMS ERROR: " + strconv.Itoa(err.code)
	case errRaw:
		return err.raw
	case errUnknown:
		return e.prof.unknown
	}
	return "ERROR"
}

// intParam reads parameter i as an integer in [lo,hi]; def is used when the
// parameter is absent or empty.
func intParam(c *command, i, lo, hi, def int) (int, bool) {
	if i >= len(c.ps) || c.ps[i].empty {
		return def, def >= lo && def <= hi
	}
	if c.ps[i].quoted {
		return 0, false
	}
	n, err := strconv.Atoi(c.ps[i].text)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// strParam reads parameter i as a string; quotes are optional.
func strParam(c *command, i int) (string, bool) {
	if i >= len(c.ps) || c.ps[i].empty {
		return "", false
	}
	return c.ps[i].text, true
}
