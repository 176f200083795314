package modem

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/modem/at"
)

func TestParseListing(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []stored
	}{
		{"E1752", []string{"+CMGL: 0,0,,23", pduE1752}, []stored{{0, 0, pduE1752, true, false}}},
		{"garbage before and inside", []string{"AFSDLF SDKFJ", "+CMGL: 0,0,,35", "AFSDLF SDKFJSKDLFJLKSDJF SJDLKFSKLDJFKSDFS", pduGarbage},
			[]stored{{0, 0, pduGarbage, true, false}}},
		{"Pantech no alpha", []string{"+CMGL: 17,3,35", pduPantech}, []stored{{17, 3, pduPantech, true, false}}},
		{"truncated last entry", []string{"+CMGL: 11,3,35", pduE1752, "+CMGL: 12,3,35"},
			[]stored{{11, 3, pduE1752, true, false}, {12, 3, "", false, false}}},
		{"PDU on the header line", []string{"+CMGL: 3,1,,147 " + pduGeneric}, []stored{{3, 1, pduGeneric, true, false}}},
		{"junk only", []string{"+CMGL: 2,1,,23", "ZZZZ NOT HEX"}, []stored{{2, 1, "ZZZZ NOT HEX", false, false}}},
		{"quoted alpha with comma", []string{`+CMGL: 5,1,"Doe, J",23`, pduE1752}, []stored{{5, 1, pduE1752, true, false}}},
		{"unreadable index skipped", []string{"+CMGL: x,1,,23", pduE1752, "+CMGL: 6,1,,23", pduIndia}, []stored{{6, 1, pduIndia, true, false}}},
		// Text mode (27.005 3.4.2; Telit GM862 AT reference p.206,
		// https://www.manualsdir.com/manuals/281107/rainbow-electronics-gm862-quad-py.html?page=206):
		// a modem that rebooted into +CMGF=1. The text "CAFE1234" looks
		// like hex and still is no PDU.
		{"text mode", []string{`+CMGL: 1,"REC UNREAD","+919876500701","","26/12/07,06:53:00+22"`, "CAFE1234",
			`+CMGL: 2,"REC READ","+919876500702","","26/12/07,06:53:01+22"`, "hello"},
			[]stored{{1, -1, "", false, true}, {2, -1, "", false, true}}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseListing(tt.lines)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRead(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		want   stored
		wantOK bool
	}{
		{"generic", []string{"+CMGR: 0,,29", pduIndia}, stored{-1, 0, pduIndia, true, false}, true},
		{"Telit", []string{`+CMGR: 0,"",50`, pduTelit}, stored{-1, 0, pduTelit, true, false}, true},
		{"same line", []string{"+CMGR: 1,,147 " + pduGeneric}, stored{-1, 1, pduGeneric, true, false}, true},
		{"empty stat", []string{"+CMGR: ,,27", pduZTE}, stored{-1, -1, pduZTE, true, false}, true},
		{"only length", []string{"+CMGR: 24", pduE1752}, stored{-1, -1, pduE1752, true, false}, true},
		{"stray quote", []string{"+CMGR: 0,,23", pduE1752 + `"`}, stored{-1, 0, pduE1752 + `"`, true, false}, true},
		{"junk", []string{"+CMGR: 0,,23", "not hex"}, stored{-1, 0, "not hex", false, false}, true},
		{"text mode, hex-looking text", []string{`+CMGR: "REC UNREAD","+919876500701","","26/12/07,06:53:00+22"`, "CAFE1234"},
			stored{-1, -1, "", false, true}, true},
		{"text mode status report", []string{`+CMGR: "REC UNREAD",6,17,"+919876500701",145,"26/12/07,06:53:00+22","26/12/07,06:53:05+22",0`},
			stored{-1, -1, "", false, true}, true},
		{"bare OK", nil, stored{-1, -1, "", false, false}, false},
		{"header only", []string{"+CMGR: 0,,23"}, stored{-1, 0, "", false, false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRead(tt.lines)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v", ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCUSD(t *testing.T) {
	tests := []struct {
		lines []string
		want  cusd
		ok    bool
	}{
		{[]string{`+CUSD: 0,"Test2",15`}, cusd{0, "Test2", 15}, true},
		{[]string{`+CUSD: 1,"a`, "b", `c",15`}, cusd{1, "a\nb\nc", 15}, true},
		{[]string{`+CUSD: 1,"Kontostand: 3.00 EUR Bitte w{hlen Sie: 1 Konto aufladen 2 CallNow Transfer"`}, cusd{1, "Kontostand: 3.00 EUR Bitte w{hlen Sie: 1 Konto aufladen 2 CallNow Transfer", -1}, true},
		{[]string{"+CUSD: 0, 49B41C74ACD3"}, cusd{0, "49B41C74ACD3", -1}, true},
		{[]string{"+CUSD: 4"}, cusd{4, "", -1}, true},
		{[]string{`+CUSD: 6, "..."`}, cusd{6, "...", -1}, true},
		{[]string{`+CUSD: 2,"a, b",72`}, cusd{2, "a, b", 72}, true},
		{[]string{`+CUSD: 0,"unterminated`}, cusd{0, "unterminated", -1}, true},
		{[]string{`+CUSD: x,"a"`}, cusd{}, false},
		{nil, cusd{}, false},
	}
	for _, tt := range tests {
		got, ok := parseCUSD(tt.lines)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseCUSD(%q) = %+v, %v; want %+v, %v", tt.lines, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseSmall(t *testing.T) {
	if mem, idx, ok := parseIndication(`+CMTI: "ME",67`); !ok || mem != "ME" || idx != 67 {
		t.Errorf("CMTI = %q %d %v", mem, idx, ok)
	}
	if mem, idx, ok := parseIndication(`+CDSI: "SR",0`); !ok || mem != "SR" || idx != 0 {
		t.Errorf("CDSI = %q %d %v", mem, idx, ok)
	}
	if _, _, ok := parseIndication(`+CMTI: "SM"`); ok {
		t.Error("CMTI without index accepted")
	}
	for line, want := range map[string]string{
		`+CLIP: "+27821231234",145,,,,0`:            "+27821231234",
		`+CLIP: "27821231234",145`:                  "+27821231234",
		`+CLIP: "123456789",129`:                    "123456789",
		`+CLIP: "+[my_phone_number]",145,"",0,"",0`: "+[my_phone_number]",
		`+CLIP: "",128`:                             "",
	} {
		if got := parseCLIP(line); got != want {
			t.Errorf("parseCLIP(%q) = %q, want %q", line, got, want)
		}
	}
	for f, want := range map[string]Registration{"0,1": RegHome, "2,5,\"00C3\",\"0010\"": RegRoaming, "1": RegHome, "0,9": RegUnknown, "0,x": RegUnknown} {
		if got := parseRegFields(splitFields(f)); got != want {
			t.Errorf("parseRegFields(%q) = %v, want %v", f, got, want)
		}
	}
}

// FuzzParseStored feeds arbitrary listing/read output to the +CMGL and
// +CMGR parsers: they must not panic, and what they return must hold.
func FuzzParseStored(f *testing.F) {
	for _, seed := range []string{
		"+CMGL: 0,0,,23\n" + pduE1752,
		"+CMGL: 0,0,,35\nAFSDLF SDKFJ\n" + pduGarbage,
		"+CMGL: 17,3,35\n" + pduPantech + "\n+CMGL: 11,3,35\n079100F40D11",
		"+CMGR: 1,,147 " + pduGeneric,
		"+CMGR: ,,27\n" + pduZTE,
		`+CMGR: 0,"Doe, J",29` + "\n" + pduIndia,
		"+CMGR: 4,1,,151\n" + pduE1752 + `"`,
		"+CMGL: -1,,\n+CMGL:\n+CMGR:",
		`+CUSD: 1,"a` + "\nb\n" + `c",15`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		for _, e := range parseListing(lines) {
			if e.Index < 0 {
				t.Fatalf("entry with index %d", e.Index)
			}
			if e.Hex && !at.LooksHex(e.PDU) {
				t.Fatalf("PDU %q marked hex", e.PDU)
			}
			if e.Stat < -1 || e.Stat > 4 {
				t.Fatalf("stat %d", e.Stat)
			}
		}
		if r, ok := parseRead(lines); ok {
			if r.PDU == "" || r.Hex && !at.LooksHex(r.PDU) {
				t.Fatalf("read %+v", r)
			}
		}
		parseCUSD(lines)
		parseIndication(s)
		parseCLIP(s)
	})
}
