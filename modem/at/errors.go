package at

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors. Final result codes other than OK come back as one of
// these (or as *CMSError / *CMEError).
var (
	// ErrTimeout means the modem did not finish the command in time.
	ErrTimeout = errors.New("at: timeout")
	// ErrClosed means the port is not running: Run returned or the line
	// failed.
	ErrClosed = errors.New("at: port closed")
	// ErrRebooted means the modem rebooted while the command was in
	// flight: it will never answer it (see Port.WatchReboots).
	ErrRebooted = errors.New("at: modem rebooted during the command")
	// ErrRunning means Run was called twice.
	ErrRunning = errors.New("at: port already running")
	// ErrError is the plain ERROR final result.
	ErrError = errors.New("at: ERROR")
	// ErrNotSupported is Huawei's non-standard "COMMAND NOT SUPPORT".
	ErrNotSupported = errors.New("at: COMMAND NOT SUPPORT")
	// ErrTooManyParameters is the non-standard "TOO MANY PARAMETERS".
	ErrTooManyParameters = errors.New("at: TOO MANY PARAMETERS")
	// ErrAborted is the ABORTED final result (a command cut short by
	// further input).
	ErrAborted = errors.New("at: ABORTED")
	// ErrNoCarrier, ErrBusy, ErrNoAnswer and ErrNoDialtone end call
	// commands (ATD, ATA); elsewhere those lines are URCs.
	ErrNoCarrier  = errors.New("at: NO CARRIER")
	ErrBusy       = errors.New("at: BUSY")
	ErrNoAnswer   = errors.New("at: NO ANSWER")
	ErrNoDialtone = errors.New("at: NO DIALTONE")
)

// CMSError is a "+CMS ERROR: <err>" final result (3GPP TS 27.005 3.2.5).
// Code is -1 when the modem printed text this package does not know.
type CMSError struct {
	Code int
	Text string // verbose text (AT+CMEE=2), if the modem printed one
}

func (e *CMSError) Error() string {
	if e.Text != "" {
		return fmt.Sprintf("+CMS ERROR: %d (%s)", e.Code, e.Text)
	}
	return fmt.Sprintf("+CMS ERROR: %d", e.Code)
}

// CMEError is a "+CME ERROR: <err>" final result (3GPP TS 27.007 9.2).
// Code is -1 when the modem printed text this package does not know.
type CMEError struct {
	Code int
	Text string
}

func (e *CMEError) Error() string {
	if e.Text != "" {
		return fmt.Sprintf("+CME ERROR: %d (%s)", e.Code, e.Text)
	}
	return fmt.Sprintf("+CME ERROR: %d", e.Code)
}

// cmeText maps the verbose texts of AT+CMEE=2 (27.007 9.2.1) to codes, so
// callers can test codes whatever the error mode.
var cmeText = map[string]int{
	"phone failure":           0,
	"operation not allowed":   3,
	"operation not supported": 4,
	"sim not inserted":        10,
	"sim pin required":        11,
	"sim puk required":        12,
	"sim failure":             13,
	"sim busy":                14,
	"sim wrong":               15,
	"incorrect password":      16,
	"sim pin2 required":       17,
	"sim puk2 required":       18,
	"memory full":             20,
	"invalid index":           21,
	"not found":               22,
	"memory failure":          23,
	"no network service":      30,
	"network timeout":         31,
	"network not allowed - emergency calls only": 32,
	"unknown": 100,
}

// cmsText does the same for +CMS ERROR texts (27.005 3.2.5).
var cmsText = map[string]int{
	"me failure":                        300,
	"sms service of me reserved":        301,
	"operation not allowed":             302,
	"operation not supported":           303,
	"invalid pdu mode parameter":        304,
	"invalid text mode parameter":       305,
	"sim not inserted":                  310,
	"sim pin required":                  311,
	"sim failure":                       313,
	"sim busy":                          314,
	"sim wrong":                         315,
	"sim puk required":                  316,
	"memory failure":                    320,
	"invalid memory index":              321,
	"memory full":                       322,
	"smsc address unknown":              330,
	"no network service":                331,
	"network timeout":                   332,
	"no +cnma acknowledgement expected": 340,
	"unknown error":                     500,
}

// parseErrorCode reads the part after "+CMx ERROR:".
func parseErrorCode(s string, texts map[string]int) (int, string) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, ""
	}
	if n, ok := texts[strings.ToLower(s)]; ok {
		return n, s
	}
	return -1, s
}
