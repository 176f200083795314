package pdu

import (
	"errors"
	"strconv"
	"testing"
)

func TestDecodeUSSDTranscripts(t *testing.T) {
	rows := readTSV(t, "testdata/ussd.tsv")
	if len(rows) < 18 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		src, charset, str, want := r[0], r[1], unescape(r[3]), unescape(r[4])
		dcs, err := strconv.Atoi(r[2])
		if err != nil {
			t.Fatal(err)
		}
		t.Run(src, func(t *testing.T) {
			got, err := DecodeUSSD(str, dcs, charset)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("DecodeUSSD(%.30q..., %d, %q)\n got %q\nwant %q", str, dcs, charset, got, want)
			}
		})
	}
}

func TestDecodeUSSD(t *testing.T) {
	tests := []struct {
		name, str string
		dcs       int
		charset   string
		want      string
	}{
		{"packed", "AA180C3602", 15, "GSM", "*100#"},
		// 7 septets leave 7 spare bits, which would read as "@", so the
		// sender puts a CR there (TS 23.038 6.1.2.3.1).
		{"packed with CR filler", "AA180CA68A8D1A", 15, "GSM", "*100*1#"},
		{"ucs2 charset lowercase hex", "002a0031003000320023", 15, "ucs2", "*102#"},
		{"dcs 72 ignores charset", "0048006900200021", 72, "IRA", "Hi !"},
		{"ucs2 cut at NUL", "004F004B0000FFFF", 72, "IRA", "OK"},
		{"hex-looking plain text kept", "1234", 15, "GSM", "1234"},
		{"dcs 0x10 language prefix dropped", "en\rBalance 10", 0x10, "IRA", "Balance 10"},
		{"gsm charset extension", "Price \x1be5", 15, "GSM", "Price €5"},
		{"gsm charset but 8-bit bytes: as is", "Preis: 5 €", 15, "GSM", "Preis: 5 €"},
		{"ucs2 emoji", "D83DDE00", 72, "IRA", "😀"},
		{"ucs2 charset but plain text", "Balance 10", 15, "UCS2", "Balance 10"},
		{"latin-1 bytes become U+FFFD", "Caf\xe9", 15, "IRA", "Caf\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeUSSD(tt.str, tt.dcs, tt.charset)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeUSSDErrors(t *testing.T) {
	tests := []struct {
		name, str string
		dcs       int
		charset   string
	}{
		{"ucs2 not hex", "Hello", 72, "IRA"},
		{"ucs2 odd hex", "004", 72, "IRA"},
		{"dcs out of range", "x", 300, "IRA"},
		{"compressed", "00", 0x60, "IRA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeUSSD(tt.str, tt.dcs, tt.charset)
			if !errors.Is(err, ErrUSSD) && !errors.Is(err, ErrCompressed) {
				t.Fatalf("err %v, want ErrUSSD", err)
			}
		})
	}
}

func TestEncodeUSSD(t *testing.T) {
	tests := []struct{ code, charset, want string }{
		{"*123#", "GSM", "*123#"},
		{"*123#", "IRA", "*123#"},
		{"*102#", "UCS2", "002A0031003000320023"}, // as sent to the Quectel M35
		{"#100#", "ucs2", "00230031003000300023"},
	}
	for _, tt := range tests {
		if got := EncodeUSSD(tt.code, tt.charset); got != tt.want {
			t.Errorf("EncodeUSSD(%q, %q) = %q, want %q", tt.code, tt.charset, got, tt.want)
		}
		if got, err := DecodeUSSD(EncodeUSSD(tt.code, tt.charset), 15, tt.charset); err != nil || got != tt.code {
			t.Errorf("round trip %q %q: %q, %v", tt.code, tt.charset, got, err)
		}
	}
}
