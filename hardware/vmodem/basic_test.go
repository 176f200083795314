package vmodem

import (
	"strings"
	"testing"
)

func TestBootLines(t *testing.T) {
	tests := []struct {
		profile string
		want    string
	}{
		// testdata/sim800_boot-urcs.txt
		{"sim800", "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n"},
		// testdata/huawei_unsolicited-rssi-boot-curc.txt
		{"huawei-e1752", "\r\n^BOOT:48175390,0,0,0,89\r\n\r\n^RSSI:13\r\n"},
		{"zte-k3565z", "\r\n+ZDONR: \"METEOR\",272,3,\"CS_ONLY\",\"ROAM_OFF\"\r\n\r\n+ZPASR: \"UMTS\"\r\n"},
		{"generic", "\r\nRDY\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			r := newRig(t, Config{Profile: tt.profile})
			r.stream.expectExact(tt.want)
			// Echo is on by default on every profile.
			if got := r.stream.cmd("AT"); got != "AT\r\r\nOK\r\n" {
				t.Fatalf("AT with echo: %q", got)
			}
		})
	}
}

func TestCommandsSIM800(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	tests := []exchange{
		{"AT", "\r\nOK\r\n"},
		{"at", "\r\nOK\r\n"},
		{"ATI", "\r\nSIM800 R14.18\r\n\r\nOK\r\n"},
		{"AT+CGMI", "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n"},
		{"AT+CGMM", "\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n"},
		{"AT+CGMR", "\r\nRevision:1418B04SIM800L24\r\n\r\nOK\r\n"},
		{"AT+CGSN", "\r\n866262031234565\r\n\r\nOK\r\n"},
		{"AT+CGMI;+CGMM", "\r\nSIMCOM_Ltd\r\n\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n"},
		{"AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
		{"AT+CSQ", "\r\n+CSQ: 18,0\r\n\r\nOK\r\n"},
		{"AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
		{"AT+CREG=2", "\r\nOK\r\n"},
		{"AT+CREG?", "\r\n+CREG: 2,1,\"1A2B\",\"3C4D\"\r\n\r\nOK\r\n"},
		{"AT+CREG=0", "\r\nOK\r\n"},
		{"AT+COPS?", "\r\n+COPS: 0,0,\"IND airtel\"\r\n\r\nOK\r\n"},
		{"AT+CMGF?", "\r\n+CMGF: 0\r\n\r\nOK\r\n"},
		{"AT+CMGF=0", "\r\nOK\r\n"},
		{"AT+CMGF=2", "\r\n+CMS ERROR: 303\r\n"},
		{"AT+CSCS?", "\r\n+CSCS: \"IRA\"\r\n\r\nOK\r\n"},
		{`AT+CSCS="GSM"`, "\r\nOK\r\n"},
		{`AT+CPMS="SM","SM","SM"`, "\r\n+CPMS: 0,20,0,20,0,20\r\n\r\nOK\r\n"},
		{`AT+CPMS="SM"`, "\r\n+CPMS: 0,20,0,20,0,20\r\n\r\nOK\r\n"},
		{"AT+CPMS?", "\r\n+CPMS: \"SM\",0,20,\"SM\",0,20,\"SM\",0,20\r\n\r\nOK\r\n"},
		{`AT+CPMS="ME"`, "\r\n+CMS ERROR: 302\r\n"},
		{"AT+CNMI?", "\r\n+CNMI: 2,1,0,0,0\r\n\r\nOK\r\n"},
		{"AT+CNMI=2,1,0,2,0", "\r\nOK\r\n"},
		{"AT+CNMI?", "\r\n+CNMI: 2,1,0,2,0\r\n\r\nOK\r\n"},
		{"AT+CNMI=9", "\r\n+CMS ERROR: 303\r\n"},
		{"AT+CSMS=1", "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n"},
		{"AT+CSMS?", "\r\n+CSMS: 1,1,1,1\r\n\r\nOK\r\n"},
		{"AT+CSMS=0", "\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n"},
		{"AT+CNMA", "\r\n+CMS ERROR: 340\r\n"},
		{"AT+CSCA?", "\r\n+CSCA: \"+919840011016\",145\r\n\r\nOK\r\n"},
		{"AT+CLIP=1", "\r\nOK\r\n"},
		{"AT+CLIP?", "\r\n+CLIP: 1,1\r\n\r\nOK\r\n"},
		{"AT+CFUN?", "\r\n+CFUN: 1\r\n\r\nOK\r\n"},
		{"AT+CPAS", "\r\n+CPAS: 0\r\n\r\nOK\r\n"},
		{"AT+CUSD?", "\r\n+CUSD: 0\r\n\r\nOK\r\n"},
		{"AT+CUSD=2", "\r\nOK\r\n"},
		{"AT+CMGR=1", "\r\nOK\r\n"}, // SIM800: empty slot answers a bare OK
		{"AT+CMGR=21", "\r\n+CMS ERROR: 321\r\n"},
		{"AT+CMGD=1", "\r\nOK\r\n"},
		{"AT+CMGD=0", "\r\n+CMS ERROR: 321\r\n"},
		{"AT+CMGD=1,4", "\r\nOK\r\n"},
		{"AT+CMGL=4", "\r\nOK\r\n"},
		{"AT+CHUP", "\r\nOK\r\n"},
		{"ATH", "\r\nOK\r\n"},
		{"ATA", "\r\nNO CARRIER\r\n"},
		{"AT+CCID", "\r\n8991450123456789012F\r\n\r\nOK\r\n"},
		{"AT^CURC=0", "\r\nERROR\r\n"}, // Huawei only
		{"AT+XYZ", "\r\nERROR\r\n"},
		{"AT+CMGF=0;+XYZ;+CMGF=1", "\r\nERROR\r\n"},
		{"ATX4&C1&D2", "\r\nOK\r\n"},
		{"AT+CMEE=1", "\r\nOK\r\n"},
		{"AT+CPIN=\"1234\"", "\r\n+CME ERROR: 3\r\n"},
		{"AT+CMEE=2", "\r\nOK\r\n"},
		{"AT+CPIN=\"1234\"", "\r\n+CME ERROR: operation not allowed\r\n"},
		{"AT+CMEE=0", "\r\nOK\r\n"},
		{"AT+CPIN=\"1234\"", "\r\nERROR\r\n"},
		{"AT+CMEE?", "\r\n+CMEE: 0\r\n\r\nOK\r\n"},
		{"ATV0", "0\r"},
		{"AT+CSQ", "+CSQ: 18,0\r\n0\r"},
		{"AT+XYZ", "4\r"},
		{"ATV1", "\r\nOK\r\n"},
		{"ATZ", "\r\nOK\r\n"}, // echo back on (the profile's default)
	}
	for _, tt := range tests {
		s.write(tt.cmd + "\r")
		var got string
		if strings.HasPrefix(tt.want, "\r\n") {
			got = s.response()
		} else {
			got = s.until("numeric result", func(b []byte) int {
				if len(b) >= len(tt.want) {
					return len(tt.want)
				}
				return -1
			})
		}
		if got != tt.want {
			t.Errorf("%s:\n got  %q\n want %q", tt.cmd, got, tt.want)
		}
	}
	if got := s.cmd("AT"); got != "AT\r\r\nOK\r\n" {
		t.Errorf("ATZ restores echo: %q", got)
	}
}

func TestLineDiscipline(t *testing.T) {
	r := newRig(t, Config{})
	s := r.ready()
	tests := []struct {
		name, in, want string
	}{
		{"crlf tolerated", "AT\r\n", "\r\nOK\r\n"},
		{"junk before AT ignored (V.250)", "\x00\xffxyAT\r", "\r\nOK\r\n"},
		{"half command then junk", "AT+CMG\xff\xfe\r", "\r\nERROR\r\n"},
		{"line without AT is ignored, next one answers", "hello\rAT\r", "\r\nOK\r\n"},
		{"backspace edits", "AT+CSQX\bR\b\r", "\r\n+CSQ: 18,0\r\n\r\nOK\r\n"},
		{"two commands in one write", "AT\rAT+CMGF?\r", "\r\nOK\r\n\r\n+CMGF: 0\r\n\r\nOK\r\n"},
		{"overlong line", "AT" + strings.Repeat("E", 600) + "\r", "\r\nERROR\r\n"},
		{"unterminated quote", "AT+CSCS=\"GSM\r", "\r\nERROR\r\n"},
	}
	for _, tt := range tests {
		s.write(tt.in)
		got := s.until(tt.name, func(b []byte) int {
			if len(b) >= len(tt.want) {
				return len(tt.want)
			}
			return -1
		})
		if got != tt.want {
			t.Errorf("%s: got %q want %q", tt.name, got, tt.want)
		}
	}
	// Bytes trickling in one at a time (partial reads on the modem side).
	for _, c := range "AT+CMGF?\r" {
		s.write(string(c))
	}
	if got := s.response(); got != "\r\n+CMGF: 0\r\n\r\nOK\r\n" {
		t.Errorf("byte by byte: %q", got)
	}
}

func TestCommandsHuawei(t *testing.T) {
	r := newRig(t, Config{Profile: "huawei-e1752"})
	r.ready().talk(t, []exchange{
		{"AT^CURC=0", "\r\nOK\r\n"},
		{"AT^CURC?", "\r\n^CURC: 0\r\n\r\nOK\r\n"},
		{"ATI", "\r\nManufacturer: huawei\r\nModel: E1752\r\nRevision: 11.126.13.00.00\r\nIMEI: 353142030123458\r\n+GCAP: +CGSM,+DS,+ES\r\n\r\nOK\r\n"},
		{"AT+CGMI", "\r\nhuawei\r\n\r\nOK\r\n"},
		{"AT+COPS?", "\r\n+COPS: 0,0,\"IND airtel\",2\r\n\r\nOK\r\n"},
		{"AT+CNMI?", "\r\n+CNMI: 0,0,0,0,0\r\n\r\nOK\r\n"},
		{"AT+CPMS?", "\r\n+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30\r\n\r\nOK\r\n"},
		{"AT+CMGR=0", "\r\n+CMS ERROR: 321\r\n"}, // empty slot
		{"AT+XYZ", "\r\nCOMMAND NOT SUPPORT\r\n"},
		{"AT^USSDMODE=0", "\r\nOK\r\n"},
		{"AT+CCID", "\r\nCOMMAND NOT SUPPORT\r\n"},
	})
}

// TestHuaweiRSSIInsideResponses: while ^CURC=1 every fourth information
// response carries a ^RSSI line between the information text and OK.
func TestHuaweiRSSIInsideResponses(t *testing.T) {
	r := newRig(t, Config{Profile: "huawei-e1752"})
	s := r.ready()
	var got []string
	for i := 0; i < 4; i++ {
		got = append(got, s.cmd("AT+CSQ"))
	}
	want := "\r\n+CSQ: 18,0\r\n\r\n^RSSI:18\r\n\r\nOK\r\n"
	if got[3] != want {
		t.Fatalf("fourth response %q, want %q (all: %q)", got[3], want, got)
	}
	s.cmd("AT^CURC=0")
	for i := 0; i < 8; i++ {
		if got := s.cmd("AT+CSQ"); got != "\r\n+CSQ: 18,0\r\n\r\nOK\r\n" {
			t.Fatalf("with ^CURC=0: %q", got)
		}
	}
}
