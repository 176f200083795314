package vmodem

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/warthog618/sms/encoding/gsm7"
	"github.com/warthog618/sms/encoding/ucs2"
)

func TestUSSDDefaultMenu(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	if got := s.cmd(`AT+CUSD=1,"*123#",15`); got != "\r\nOK\r\n" {
		t.Fatalf("request: %q", got)
	}
	// python-gsmmodem_cusd-ordering-and-multiline.txt: CR LF inside the quoted string.
	s.expectExact("\r\n+CUSD: 1,\"Main Bal:Rs.45.50 Val:31-12-2025\r\n1.Offers\r\n2.Data balance\",15\r\n")
	if !r.state().USSDSession {
		t.Error("no session after a menu")
	}
	s.cmd(`AT+CUSD=1,"2",15`)
	s.expectExact("\r\n+CUSD: 0,\"Data left:1.20GB valid till 31-12-2025\",15\r\n")
	// Cancel, unknown code.
	s.cmd(`AT+CUSD=1,"*123#",15`)
	s.line("+CUSD: 1")
	s.line("1.Offers")
	s.line("2.Data")
	if got := s.cmd("AT+CUSD=2"); got != "\r\nOK\r\n" || r.state().USSDSession {
		t.Errorf("cancel: %q", got)
	}
	s.cmd(`AT+CUSD=1,"*999#",15`)
	s.expectExact("\r\n+CUSD: 4\r\n")
}

// fixtureLine returns the first line of testdata/<name>.txt starting with prefix.
func fixtureLine(t *testing.T, name, prefix string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("%s: no line starting %q", name, prefix)
	return ""
}

func TestUSSDEncodings(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		cscs    string
		script  USSD
		want    string
	}{
		{name: "text", profile: "sim800", script: USSD{Code: "*121#", Reply: "Balance Rs 10", Mode: ussdText},
			want: "+CUSD: 0,\"Balance Rs 10\",15"},
		// Packed 7-bit hex with the CR filler (Huawei E160, gammu 02-E160.dump).
		{name: "gsm7hex", profile: "sim800",
			script: USSD{Code: "*100#", Reply: "Ihr Guthaben für die Nr.4915783647410 beträgt 5.78 Euro", Mode: ussdGSM7Hex},
			want:   fixtureLine(t, "huawei-e160_cusd-gsm7-packed-hex", `+CUSD: 0,"`)},
		// UCS-2 hex with dcs 72 (Huawei E3276, gammu issue 109).
		{name: "ucs2hex", profile: "sim800",
			script: USSD{Code: "*105#", Reply: "Для справки о балансе наберите *105#. Услуга бесплатна.", Mode: ussdUCS2Hex},
			want:   fixtureLine(t, "huawei-e3276_cusd-ucs2-dcs72", "+CUSD:")},
		// +CSCS="UCS2" turns a dcs 15 answer into UCS-2 hex (Quectel M35, gammu issue 358).
		{name: "ucs2 charset", profile: "sim800", cscs: "UCS2",
			script: USSD{Code: "*102#", Status: intp(2),
				Reply: "Havi keret: 0Ft. Feltöltött egyenleg: 7777Ft,(ebböl vàsàrlàsra is fordìthatò: 7777Ft). Dìjcsomag: Bencsò A. Uj Telekom önkiszolgàlò: *111#"},
			want: fixtureLine(t, "quectel-m35_cusd-ucs2-hex", "+CUSD:")},
		{name: "huawei default is gsm7hex", profile: "huawei-e1752", script: USSD{Code: "*121#", Reply: "Bal 10"},
			want: "+CUSD: 0,\"C2301B148301\",15"},
		{name: "status and dcs override", profile: "sim800", script: USSD{Code: "*1#", Reply: "bye", Status: intp(2), DCS: intp(0)},
			want: "+CUSD: 2,\"bye\",0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Config{Profile: tt.profile})
			s := r.ready()
			s.cmd("AT^CURC=0")
			if tt.cscs != "" {
				s.cmd(`AT+CSCS="` + tt.cscs + `"`)
			}
			if err := r.c.SetUSSD(r.ctx, tt.script); err != nil {
				t.Fatal(err)
			}
			if got := s.cmd(`AT+CUSD=1,"` + tt.script.Code + `",15`); got != "\r\nOK\r\n" {
				t.Fatalf("request %q", got)
			}
			if got := s.line("+CUSD:"); got != tt.want {
				t.Errorf("\n got  %s\n want %s", got, tt.want)
			}
		})
	}
}

func TestUSSDNextShapes(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	// "next" as one screen for any answer, posted as raw JSON.
	body := `{"code":"*222#","reply":"Enter amount","status":1,"next":{"reply":"Recharged","status":0}}`
	resp, err := r.c.HTTP.Post(r.c.BaseURL+"/v1/ussd", "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("post: %v %v", resp, err)
	}
	resp.Body.Close()
	s.cmd(`AT+CUSD=1,"*222#",15`)
	s.line(`+CUSD: 1,"Enter amount",15`)
	s.cmd(`AT+CUSD=1,"49",15`)
	if got := s.line("+CUSD:"); got != `+CUSD: 0,"Recharged",15` {
		t.Errorf("wildcard next: %s", got)
	}
}

func TestPackUSSD(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Bal 10", "C2301B148301"},        // 6 septets: no filler
		{"1234567", "31D98C56B3DD1A"},     // 7 septets: CR filler in the spare bits
		{"12345678", "31D98C56B3DD70"},    // 8 septets: exact fit
		{"1234567\r", "31D98C56B3DD1A0D"}, // trailing CR on a boundary gets another CR
	}
	for _, tt := range tests {
		sept, err := gsm7.Encode([]byte(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		got := hex.EncodeToString(packUSSD(sept))
		if got != strings.ToLower(tt.want) {
			t.Errorf("%q: %s want %s", tt.text, got, tt.want)
		}
		if back, _ := gsm7.Decode(gsm7.Unpack7BitUSSD(packUSSD(sept), 0)); string(back) != tt.text {
			t.Errorf("%q unpacks to %q", tt.text, back)
		}
	}
}

func TestUSSDRequestEncodingsAndQuirks(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	packed := hex.EncodeToString(gsm7.Pack7BitUSSD([]byte("*123#"), 0))
	ucs := hex.EncodeToString(ucs2.Encode([]rune("*123#")))
	for _, req := range []string{packed, ucs} {
		s.cmd(`AT+CUSD=1,"` + req + `",15`)
		s.line("+CUSD: 1")
		s.cmd("AT+CUSD=2")
	}
	// quectel-m35_cusd-ucs2-hex.txt: with +CSCS="UCS2" the string comes as UCS-2 hex even with dcs 15.
	s.cmd(`AT+CSCS="UCS2"`)
	r.c.SetUSSD(r.ctx, USSD{Code: "*102#", Reply: "Havi keret: 0Ft.", Status: intp(2)})
	s.cmd(`AT+CUSD=1,"002A0031003000320023",15`)
	if got := s.line("+CUSD:"); got != `+CUSD: 2,"00480061007600690020006B0065007200650074003A0020003000460074002E",15` {
		t.Errorf("ucs2 charset: %s", got)
	}
	s.cmd(`AT+CSCS="GSM"`)
	// Answer before OK, a release first, and an error instead of an answer.
	r.c.SetUSSD(r.ctx, USSD{Code: "*101#", Reply: "Available Balance: R 96.45 .", BeforeOK: true})
	if got := s.cmd(`AT+CUSD=1,"*101#",15`); got != "\r\n+CUSD: 0,\"Available Balance: R 96.45 .\",15\r\n\r\nOK\r\n" {
		t.Errorf("before OK: %q", got)
	}
	r.c.SetUSSD(r.ctx, USSD{Code: "*100#", Reply: "Wrong order test message", ReleaseFirst: true})
	s.cmd(`AT+CUSD=1,"*100#",15`)
	s.expectExact("\r\n+CUSD: 2,\"Initiating Release\",15\r\n\r\n+CUSD: 0,\"Wrong order test message\",15\r\n")
	r.c.SetUSSD(r.ctx, USSD{Code: "*555#", Error: "+CME ERROR: 100"})
	if got := s.cmd(`AT+CUSD=1,"*555#",15`); got != "\r\n+CME ERROR: 100\r\n" {
		t.Errorf("error script: %q", got)
	}
	// No network: +CME ERROR: 30 (python-gsmmodem test 7).
	r.c.SetFaults(r.ctx, Faults{Network: "lost"})
	s.cmd("AT+CMEE=1")
	if got := s.cmd(`AT+CUSD=1,"*123#",15`); got != "\r\n+CME ERROR: 30\r\n" {
		t.Errorf("no network: %q", got)
	}
	if err := r.c.SetUSSD(r.ctx, USSD{Code: "*1#", Mode: "morse"}); err == nil {
		t.Error("bad mode accepted")
	}
	if err := r.c.ResetUSSD(r.ctx); err != nil {
		t.Error(err)
	}
}
