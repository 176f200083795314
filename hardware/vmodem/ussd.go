package vmodem

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/warthog618/sms/encoding/gsm7"
	"github.com/warthog618/sms/encoding/ucs2"
)

// Encodings of the +CUSD <str> field.
const (
	ussdText    = "text"    // the string itself (huawei: +CSCS-dependent on others)
	ussdGSM7Hex = "gsm7hex" // hex of packed GSM 7-bit septets, dcs 15 (Huawei E160)
	ussdUCS2Hex = "ucs2hex" // hex of UCS-2, dcs 72 (Huawei E3276)
)

// USSD is one screen of a scripted USSD service (POST /v1/ussd). A top-level
// screen has a Code; Next maps what the user answers ("1", "2", "*" for
// anything) to the following screen.
type USSD struct {
	Code  string `json:"code,omitempty"`
	Reply string `json:"reply"`
	// Mode is "text", "gsm7hex" or "ucs2hex"; empty takes the profile's.
	Mode string `json:"mode,omitempty"`
	// DCS overrides the <dcs> printed (default 15, or 72 for ucs2hex).
	DCS *int `json:"dcs,omitempty"`
	// Status is <m>: 0 done, 1 further action required, 2 released by the
	// network. Default: 1 when Next is set, else 0.
	Status *int     `json:"status,omitempty"`
	Next   USSDNext `json:"next,omitempty"`
	// Error is returned instead of OK (e.g. "+CME ERROR: 100"); no +CUSD follows.
	Error string `json:"error,omitempty"`
	// BeforeOK sends the +CUSD line before the OK (seen on some modems).
	BeforeOK bool `json:"before_ok,omitempty"`
	// ReleaseFirst sends `+CUSD: 2,"Initiating Release",15` before the answer.
	ReleaseFirst bool `json:"release_first,omitempty"`
}

// USSDNext maps the user's answer to the next screen. In JSON it is either
// such a map ({"1": {...}, "*": {...}}) or one screen for any answer.
type USSDNext map[string]*USSD

// UnmarshalJSON accepts a map of screens or a single screen.
func (n *USSDNext) UnmarshalJSON(b []byte) error {
	var m map[string]*USSD
	if err := json.Unmarshal(b, &m); err == nil {
		*n = m
		return nil
	}
	var one USSD
	if err := json.Unmarshal(b, &one); err != nil {
		return fmt.Errorf("ussd next: %v: %w", err, ErrBadRequest)
	}
	*n = USSDNext{"*": &one}
	return nil
}

type ussdState struct {
	scripts map[string]*USSD
	session *USSD // screen waiting for the user's answer
}

func intp(n int) *int { return &n }

// defaultUSSD is a balance menu like Indian operators'.
func defaultUSSD() map[string]*USSD {
	return map[string]*USSD{
		"*123#": {
			Code:  "*123#",
			Reply: "Main Bal:Rs.45.50 Val:31-12-2025\n1.Offers\n2.Data balance",
			Next: USSDNext{
				"1": {Reply: "Rs19:1GB/1day\nRs49:6GB/3days\nDial *121# to buy", Status: intp(0)},
				"2": {Reply: "Data left:1.20GB valid till 31-12-2025", Status: intp(0)},
			},
		},
	}
}

func (s *USSD) status() int {
	if s.Status != nil {
		return *s.Status
	}
	if len(s.Next) > 0 {
		return 1
	}
	return 0
}

func (s *USSD) validate() error {
	switch s.Mode {
	case "", ussdText, ussdGSM7Hex, ussdUCS2Hex:
	default:
		return fmt.Errorf("ussd mode %q: %w", s.Mode, ErrBadRequest)
	}
	if st := s.status(); st < 0 || st > 5 {
		return fmt.Errorf("ussd status %d: %w", st, ErrBadRequest)
	}
	for k, n := range s.Next {
		if n == nil {
			return fmt.Errorf("ussd next %q empty: %w", k, ErrBadRequest)
		}
		if err := n.validate(); err != nil {
			return err
		}
	}
	return nil
}

// isUSSDCode reports whether s looks like a service code or menu answer.
func isUSSDCode(s string) bool {
	return s != "" && strings.Trim(s, "0123456789*#+") == ""
}

// decodeUSSDRequest accepts the string as typed, UCS-2 hex or packed GSM 7-bit hex.
func decodeUSSDRequest(s string) string {
	if isUSSDCode(s) || len(s) < 2 || len(s)%2 != 0 {
		return s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return s
	}
	if len(b)%2 == 0 {
		zero := true
		for i := 0; i < len(b); i += 2 {
			zero = zero && b[i] == 0
		}
		if zero {
			if r, err := ucs2.Decode(b); err == nil && isUSSDCode(string(r)) {
				return string(r)
			}
		}
	}
	if t, err := gsm7.Decode(gsm7.Unpack7BitUSSD(b, 0)); err == nil && isUSSDCode(string(t)) {
		return string(t)
	}
	return s
}

// cusdLine renders a screen as the modem prints it.
func (e *engine) cusdLine(s *USSD) string {
	mode := s.Mode
	if mode == "" {
		mode = e.prof.ussdMode
	}
	text := strings.ReplaceAll(strings.ReplaceAll(s.Reply, "\r\n", "\n"), "\n", "\r\n")
	dcs := 15
	var str string
	switch mode {
	case ussdGSM7Hex:
		sept, err := gsm7.Encode([]byte(text))
		if err != nil {
			str, dcs = ucs2Hex(text), 72
			break
		}
		str = strings.ToUpper(hex.EncodeToString(packUSSD(sept)))
	case ussdUCS2Hex:
		str, dcs = ucs2Hex(text), 72
	default:
		str = text
		if e.set.cscs == "UCS2" {
			// Quectel M35: the TE charset applies even with dcs 15.
			str = ucs2Hex(text)
		}
	}
	if s.DCS != nil {
		dcs = *s.DCS
	}
	return fmt.Sprintf(`+CUSD: %d,"%s",%d`, s.status(), str, dcs)
}

// packUSSD packs septets with the CR filler of 3GPP TS 23.038 6.1.2.3.1.
// (gsm7.Pack7BitUSSD in sms v0.3.0 also ORs a CR into a last octet whose
// upper data bits happen to be zero, corrupting e.g. "Bal 10".)
func packUSSD(sept []byte) []byte {
	b := gsm7.Pack7Bit(sept, 0)
	switch {
	case len(sept)%8 == 7:
		b[len(b)-1] |= 0x0D << 1 // 7 spare bits: a CR, not an '@'
	case len(sept) > 0 && len(sept)%8 == 0 && sept[len(sept)-1] == 0x0D:
		b = append(b, 0x0D) // a real trailing CR must not read as filler
	}
	return b
}

func ucs2Hex(s string) string {
	return strings.ToUpper(hex.EncodeToString(ucs2.Encode([]rune(s))))
}

// cusd runs AT+CUSD=<n>[,<str>[,<dcs>]].
func (e *engine) cusd(c *command) ([]string, error) {
	n, ok := intParam(c, 0, 0, 2, 0)
	if !ok {
		return nil, cme(3)
	}
	if n == 2 {
		e.ussd.session = nil
		return nil, nil
	}
	e.set.cusd = n
	req, has := strParam(c, 1)
	if !has {
		return nil, nil
	}
	if _, ok := intParam(c, 2, 0, 255, 15); !ok {
		return nil, cme(4)
	}
	if e.net.lost || e.regStat() != 1 {
		return nil, cme(30)
	}
	req = decodeUSSDRequest(req)
	var screen *USSD
	if e.ussd.session != nil && !strings.HasSuffix(req, "#") {
		next := e.ussd.session.Next
		screen = next[req]
		if screen == nil {
			screen = next["*"]
		}
		if screen == nil {
			screen = &USSD{Reply: "Invalid input", Status: intp(0)}
		}
	} else {
		screen = e.ussd.scripts[req]
	}
	e.ussd.session = nil
	if screen == nil {
		e.after(e.t.ussd, true, func() { e.urc("+CUSD: 4") })
		return nil, nil
	}
	if screen.Error != "" {
		return nil, raw(screen.Error)
	}
	if screen.status() == 1 {
		e.ussd.session = screen
	}
	show := e.set.cusd == 1
	var lines []string
	if screen.ReleaseFirst && show {
		lines = append(lines, `+CUSD: 2,"Initiating Release",15`)
	}
	line := e.cusdLine(screen)
	if screen.BeforeOK {
		if show {
			lines = append(lines, line)
		}
		return lines, nil
	}
	e.post = append(e.post, func() {
		e.after(e.t.ussd, true, func() {
			if show {
				e.urc(append(lines, line)...)
			}
		})
	})
	return nil, nil
}
