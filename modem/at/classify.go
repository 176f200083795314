package at

import "strings"

// urcKind says how many lines an unsolicited result code takes.
type urcKind uint8

const (
	notURC  urcKind = iota
	urcLine         // one line
	urcPDU          // header line, then a PDU line (+CMT, +CDS in PDU mode)
	urcCUSD         // +CUSD, whose quoted string may run over several lines
)

// unsolicited names the result codes that are never part of a command's
// response, mapped to the name a URC carries. Keys are upper case.
var unsolicited = map[string]string{
	// SMS and USSD (27.005, 27.007)
	"+CMTI": "+CMTI", "+CMT": "+CMT", "+CDSI": "+CDSI", "+CDS": "+CDS",
	"+CBM": "+CBM", "+CUSD": "+CUSD",
	// calls
	"RING": "RING", "+CRING": "+CRING", "+CLIP": "+CLIP", "+CCWA": "+CCWA",
	"HANGUP": "HANGUP",
	// boot and power (SIM800 manual URC table)
	"RDY": "RDY", "CALL READY": "Call Ready", "SMS READY": "SMS Ready",
	"NORMAL POWER DOWN": "NORMAL POWER DOWN", "UNDER-VOLTAGE WARNNING": "UNDER-VOLTAGE WARNNING",
	"UNDER-VOLTAGE POWER DOWN": "UNDER-VOLTAGE POWER DOWN", "OVER-VOLTAGE WARNNING": "OVER-VOLTAGE WARNNING",
	"OVER-VOLTAGE POWER DOWN": "OVER-VOLTAGE POWER DOWN", "CHARGE-ONLY MODE": "CHARGE-ONLY MODE",
	"+CMTE": "+CMTE",
	// network and time reports of various vendors
	"+CIEV": "+CIEV", "+CGEV": "+CGEV", "+CTZV": "+CTZV", "+CTZE": "+CTZE", "+CTZU": "+CTZU",
	"*PSUTTZ": "*PSUTTZ", "+PSUTTZ": "+PSUTTZ", "DST": "DST", "+QIND": "+QIND", "+QUSIM": "+QUSIM",
	"+WIND": "+WIND", "+ZDONR": "+ZDONR", "+ZPASR": "+ZPASR", "+ZUSIMR": "+ZUSIMR", "+ZEND": "+ZEND",
	// Huawei (ModemManager's huawei plugin list)
	"^RSSI": "^RSSI", "^RSSILVL": "^RSSILVL", "^HRSSILVL": "^HRSSILVL", "^HCSQ": "^HCSQ",
	"^BOOT": "^BOOT", "^MODE": "^MODE", "^SRVST": "^SRVST", "^SIMST": "^SIMST", "^STIN": "^STIN",
	"^DSFLOWRPT": "^DSFLOWRPT", "^NDISSTAT": "^NDISSTAT", "^NDISEND": "^NDISEND", "^EONS": "^EONS",
	"^ORIG": "^ORIG", "^CONF": "^CONF", "^CONN": "^CONN", "^CEND": "^CEND", "^DDTMF": "^DDTMF",
	"^CSNR": "^CSNR", "^DSDORMANT": "^DSDORMANT", "^PDPDEACT": "^PDPDEACT", "^RFSWITCH": "^RFSWITCH",
	"^LWURC": "^LWURC", "^CCALLSTATE": "^CCALLSTATE", "^SYSSTART": "^SYSSTART", "^POSITION": "^POSITION",
	"^POSEND": "^POSEND", "^ECCLIST": "^ECCLIST", "^LTERSRP": "^LTERSRP", "^CSCHANNELINFO": "^CSCHANNELINFO",
	"+CUSATP": "+CUSATP", "+CUSATEND": "+CUSATEND",
}

// unsolicitedUnlessAsked are URCs that are also the response to their own
// command: "+CPIN: READY" answers AT+CPIN? but arrives on its own at boot.
var unsolicitedUnlessAsked = map[string]string{
	"+CPIN": "+CPIN", "+CFUN": "+CFUN", "+CREG": "+CREG", "+CGREG": "+CGREG", "+CEREG": "+CEREG",
}

// callResults end call commands (ATD, ATA, ATO); during any other command,
// and outside commands, they report a call hanging up and are URCs.
var callResults = map[string]error{
	"NO CARRIER": ErrNoCarrier, "BUSY": ErrBusy, "NO ANSWER": ErrNoAnswer,
	"NO DIALTONE": ErrNoDialtone, "NO DIAL TONE": ErrNoDialtone,
}

// nameOf returns the result-code name of a line: the text before the colon
// ("+CMTI", "^RSSI", "+CMS ERROR"), or the whole line when it is a bare
// word such as RING. Lines that look like neither give "".
func nameOf(line string) string {
	if i := strings.IndexByte(line, ':'); i > 0 && i <= 24 {
		name := strings.TrimSpace(line[:i])
		if validName(name) {
			return name
		}
		return ""
	}
	if len(line) <= 32 && validName(line) {
		return line
	}
	return ""
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == ' ' || c == '-' || c == '_':
			if i == 0 {
				return false
			}
		case c == '+' || c == '^' || c == '*' || c == '$' || c == '#' || c == '%':
			if i != 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// commandName returns the result-code name a command's own response lines
// carry: "AT+CPIN?" -> "+CPIN", "AT^CURC=0" -> "^CURC".
func commandName(cmd string) string {
	s := strings.TrimSpace(cmd)
	if len(s) >= 2 && strings.EqualFold(s[:2], "AT") {
		s = s[2:]
	}
	if i := strings.IndexAny(s, "=?;"); i >= 0 {
		s = s[:i]
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// isCallCommand reports whether cmd dials, answers or returns online, the
// commands that NO CARRIER, BUSY and friends can end.
func isCallCommand(cmd string) bool {
	c := strings.ToUpper(strings.TrimSpace(cmd))
	return strings.HasPrefix(c, "ATD") || strings.HasPrefix(c, "ATA") || strings.HasPrefix(c, "ATO")
}

// classifyURC says whether line is an unsolicited result code while cmd
// (nil when idle) is in flight, and under which name.
func classifyURC(line string, cur *request) (string, urcKind) {
	name := nameOf(line)
	if name == "" {
		return "", notURC
	}
	key := strings.ToUpper(name)
	if canon, ok := unsolicited[key]; ok {
		switch canon {
		case "+CMT":
			return canon, urcPDU
		case "+CDS":
			// PDU mode prints "+CDS: <length>" and the PDU on the next
			// line; text mode prints all fields on one line.
			if isInt(strings.TrimSpace(line[strings.IndexByte(line, ':')+1:])) {
				return canon, urcPDU
			}
			return canon, urcLine
		case "+CUSD":
			return canon, urcCUSD
		}
		// A bare word is only a URC when it is the whole line.
		if strings.IndexByte(line, ':') < 0 && !strings.EqualFold(strings.TrimSpace(line), name) {
			return "", notURC
		}
		return canon, urcLine
	}
	if canon, ok := unsolicitedUnlessAsked[key]; ok {
		if cur != nil && cur.name == canon {
			return "", notURC
		}
		return canon, urcLine
	}
	if _, ok := callResults[key]; ok && line == name {
		if cur != nil && cur.call {
			return "", notURC
		}
		return name, urcLine
	}
	return "", notURC
}

// finalResult reports whether line ends a command, and with which error.
func finalResult(line string, cur *request) (bool, error) {
	switch line {
	case "OK":
		return true, nil
	case "ERROR":
		return true, ErrError
	case "COMMAND NOT SUPPORT":
		return true, ErrNotSupported
	case "TOO MANY PARAMETERS":
		return true, ErrTooManyParameters
	case "ABORTED":
		return true, ErrAborted
	}
	if rest, ok := strings.CutPrefix(line, "+CMS ERROR:"); ok {
		code, text := parseErrorCode(rest, cmsText)
		return true, &CMSError{Code: code, Text: text}
	}
	if rest, ok := strings.CutPrefix(line, "+CME ERROR:"); ok {
		code, text := parseErrorCode(rest, cmeText)
		return true, &CMEError{Code: code, Text: text}
	}
	if err, ok := callResults[line]; ok && cur != nil && cur.call {
		return true, err
	}
	return false, nil
}

// isResultShape reports lines that look like a final result; outside a
// command they are late answers to a command that timed out.
func isResultShape(line string) bool {
	switch line {
	case "OK", "ERROR", "COMMAND NOT SUPPORT", "TOO MANY PARAMETERS", "ABORTED":
		return true
	}
	return false
}

func isInt(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LooksHex reports whether a line is a PDU as modems print it: hex digits
// in either case, possibly with a stray trailing quote (gammu at-sms/04).
// The driver's parsers use it too, so both layers agree on what a PDU
// line is.
func LooksHex(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), `"`))
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
