package at

import (
	"strings"
	"time"
)

// URC is one unsolicited result code. Name is the canonical prefix
// ("+CMTI", "RING", "^RSSI", "SMS Ready", "+CMS ERROR") or, for a line
// this package does not know, its text before the colon, or "" when it
// has none. Lines holds the raw lines: the header, then for +CMT and +CDS
// the PDU line, and for +CUSD every physical line of the quoted string.
type URC struct {
	Name  string
	Lines []string
	At    time.Time
}

// BootSign reports whether u is a line of a modem's power-up burst (RDY,
// +CFUN: 1, +CPIN: ..., Call Ready, SMS Ready; SIM800 manual V1.09 URC
// table, fixtures sim800_boot-urcs.txt): the modem restarted and forgot its
// settings. Huawei's ^BOOT is not one: it is a periodic heartbeat.
func BootSign(u URC) bool {
	switch u.Name {
	case "RDY", "Call Ready", "SMS Ready", "+CPIN":
		return true
	case "+CFUN":
		if len(u.Lines) == 0 {
			return false
		}
		_, v, _ := strings.Cut(u.Lines[0], ":")
		return strings.TrimSpace(v) == "1"
	}
	return false
}

// maxCUSDLines caps a +CUSD whose closing quote never comes.
const maxCUSDLines = 64

// urcQueueMax bounds the URCs waiting for a reader; the oldest are dropped
// (and logged) beyond it, so a stalled consumer cannot exhaust memory.
const urcQueueMax = 1024

// building is a URC that needs more lines.
type building struct {
	urc  URC
	kind urcKind
}

// quoteOpen reports whether the lines so far leave a quoted string open.
func quoteOpen(lines []string) bool {
	n := 0
	for _, l := range lines {
		n += strings.Count(l, `"`)
	}
	return n%2 == 1
}

// take offers the next line to a URC under construction. It reports whether
// the line was consumed and whether the URC is complete.
func (b *building) take(line string) (consumed, complete bool) {
	t := strings.TrimSpace(line)
	switch b.kind {
	case urcPDU:
		if t == "" {
			return true, false
		}
		if LooksHex(t) {
			b.urc.Lines = append(b.urc.Lines, t)
			return true, true
		}
		// No PDU came: the header stands alone and the line is someone
		// else's.
		return false, true
	case urcCUSD:
		if isResultShape(t) || strings.HasPrefix(t, "+CMS ERROR:") || strings.HasPrefix(t, "+CME ERROR:") {
			return false, true
		}
		if name, kind := classifyURC(t, nil); kind != notURC && name != "+CUSD" && strings.HasPrefix(t, name) && strings.Contains(t, ":") {
			return false, true
		}
		b.urc.Lines = append(b.urc.Lines, line)
		return true, !quoteOpen(b.urc.Lines) || len(b.urc.Lines) >= maxCUSDLines
	}
	return false, true
}
