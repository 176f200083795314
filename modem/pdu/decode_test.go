package pdu

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/warthog618/sms/encoding/tpdu"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := ParseHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseHex(t *testing.T) {
	tests := []struct {
		name, in string
		want     []byte
		err      error
	}{
		{"upper", "0011AB", []byte{0x00, 0x11, 0xab}, nil},
		{"lower", "0011ab", []byte{0x00, 0x11, 0xab}, nil},
		{"spaces", "  0011ab \t", []byte{0x00, 0x11, 0xab}, nil},
		{"CR LF", "0011ab\r\n", []byte{0x00, 0x11, 0xab}, nil},
		{"stray quote and CR (gammu at-sms/04.dump)", "0011ab\"\r", []byte{0x00, 0x11, 0xab}, nil},
		{"empty", "", nil, ErrEmpty},
		{"only a quote", "\"", nil, ErrEmpty},
		{"odd (Pantech +CMGL)", "0011a", nil, ErrOddLength},
		{"not hex", "0BD04259303784=96p", nil, ErrHex},
		{"inner space", "00 11", nil, ErrHex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHex(tt.in)
			if tt.err != nil {
				var de *DecodeError
				if !errors.As(err, &de) || !errors.Is(err, tt.err) {
					t.Fatalf("err %v, want *DecodeError wrapping %v", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != string(tt.want) {
				t.Fatalf("got % X, %v; want % X", got, err, tt.want)
			}
		})
	}
}

// TestDecodeQuirks pins each repair of normalise to a real PDU.
func TestDecodeQuirks(t *testing.T) {
	ist := time.FixedZone("", 5*3600+1800)
	tests := []struct {
		name string
		hex  string
		want Message
	}{
		{
			// TP-OA length 1 with digit octet 0x05: the F filler is missing.
			name: "odd number without F filler (Cingular MWI)",
			hex:  "07912180958750F84401800500C87020026195702B06040102000200",
			want: Message{Kind: Deliver, SMSC: "+12085978058", Addr: "5", Encoding: "gsm7",
				SCTS:    time.Date(2007, 2, 20, 16, 59, 7, 0, time.FixedZone("", -8*3600)),
				RawSCTS: [7]byte{0x70, 0x20, 0x02, 0x61, 0x95, 0x70, 0x2b}},
		},
		{
			// TP-DA length 12 counts the F filler; UDL 0xA0 for 10 octets.
			name: "submit with filler counted and UDL too long (python-gsmmodem)",
			hex:  "0041010C910661345542F60008A0050003000301306F3044",
			want: Message{Kind: Submit, Addr: "+60164355246", Encoding: "ucs2", Text: "はい", MR: 1,
				Concat: &Concat{Ref: 0, RefBits: 8, Total: 3, Seq: 1}},
		},
		{
			// SCTS time zone octet 0xC2 is not BCD: SCTS unknown; DT fine.
			name: "status report with invalid SCTS time zone",
			hex:  "0006230E9126983575169498610103409544C26101034095448200",
			want: Message{Kind: StatusReport, Addr: "+62895357614989", MR: 35,
				RawSCTS:   [7]byte{0x61, 0x01, 0x03, 0x40, 0x95, 0x44, 0xc2},
				Discharge: time.Date(2016, 10, 30, 4, 59, 44, 0, time.FixedZone("", 7*3600))},
		},
		{
			// 143 octets of SIM padding after TP-ST.
			name: "status report with FF padding",
			hex: "079124602009999002AB098106845688F8907080517375809070805183018000" +
				"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
			want: Message{Kind: StatusReport, SMSC: "+420602909909", Addr: "604865888", MR: 171,
				SCTS:      time.Date(2009, 7, 8, 15, 37, 57, 0, time.FixedZone("", 2*3600)),
				RawSCTS:   [7]byte{0x90, 0x70, 0x80, 0x51, 0x73, 0x75, 0x80},
				Discharge: time.Date(2009, 7, 8, 15, 38, 10, 0, time.FixedZone("", 2*3600))},
		},
		{
			// UDL 4 octets, 6 follow: the UDL wins.
			name: "ucs2 with octets beyond UDL",
			hex:  "07910661929909F2040B910681835045F50008912021811065230456DE590D0039",
			want: Message{Kind: Deliver, SMSC: "+60162999902", Addr: "+60183805545", Encoding: "ucs2", Text: "回复",
				SCTS:    time.Date(2019, 2, 12, 18, 1, 56, 0, time.FixedZone("", 8*3600)),
				RawSCTS: [7]byte{0x91, 0x20, 0x21, 0x81, 0x10, 0x65, 0x23}},
		},
		{
			// UDL 10 octets, 9 present: what is there is kept.
			name: "8-bit UD shorter than UDL",
			hex:  "00040A9121436587090004122012320544800A010203040506070809",
			want: Message{Kind: Deliver, Addr: "+1234567890", Encoding: "8bit",
				Binary:  []byte{1, 2, 3, 4, 5, 6, 7, 8, 9},
				SCTS:    time.Date(2021, 2, 21, 23, 50, 44, 0, time.FixedZone("", 2*3600)),
				RawSCTS: [7]byte{0x12, 0x20, 0x12, 0x32, 0x05, 0x44, 0x80}},
		},
		{
			// DCS F9 says GSM-7; the 18 octets are UCS-2 (UDL counts octets).
			name: "GSM-7 DCS over UCS-2 user data",
			hex:  "07919761989901F031000B919761084218F200F9FF12042204350441044200200054006500730074",
			want: Message{Kind: Submit, SMSC: "+79168999100", Addr: "+79168024812", Encoding: "ucs2", Text: "Тест Test"},
		},
		{
			name: "Devanagari",
			hex:  "0791198988000040040C91191938475602000862101231054522120928092E0938094D09240947002000310032",
			want: Message{Kind: Deliver, SMSC: "+919888000004", Addr: "+919183746520", Encoding: "ucs2", Text: "नमस्ते 12",
				SCTS:    time.Date(2026, 1, 21, 13, 50, 54, 0, ist),
				RawSCTS: [7]byte{0x62, 0x10, 0x12, 0x31, 0x05, 0x45, 0x22}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(mustHex(t, tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b time.Time) bool {
				return a.Equal(b) && a.Format(stampLayout) == b.Format(stampLayout)
			})); d != "" {
				t.Errorf("-want +got\n%s", d)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, hex string
		field     string
		offset    int
		err       error
	}{
		{"empty", "", "smsc", 0, ErrEmpty},
		{"SMSC longer than PDU (gammu at-sms-failing/39)", "91947122982661", "addr", 2, nil},
		{"no TPDU", "00", "tpdu", 1, ErrTruncated},
		{"reserved MTI (gammu at-sms-failing/25)", "0BF0BBBBBBBBBBBBBBBBBBFBFF", "tpdu.mti", 12, ErrUnsupported},
		{"address longer than PDU (gammu at-sms-failing/01)", "07912460305002001104816430000070", "da", 10, ErrTruncated},
		{"compressed text (gammu at-sms-failing/35)", "07916307996905F0040B916307779872F4003901406041433180353058AC", "dcs", 18, ErrCompressed},
		{"status report cut in TP-DT (gammu at-sms-failing/18)", "0CD0ABD9CC86CBC16034180C1616000AD0D770BB5D0700F9FF080074006500730074", "dt", 29, ErrTruncated},
		{"deliver without UDL", "00040B911326880736F4000011101171955140", "udl", 19, ErrTruncated},
		{"UDH longer than UD", "00440B911326880736F40000111011719551400205", "udh", 20, ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := ParseHex(tt.hex)
			m, err := Decode(raw)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %+v, %v; want *DecodeError", m, err)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("err %v, want %v", err, tt.err)
			}
			if de.Field != tt.field || de.Offset != tt.offset {
				t.Errorf("error at %s/%d, want %s/%d (%v)", de.Field, de.Offset, tt.field, tt.offset, err)
			}
		})
	}
}

func TestDecodeDeterministic(t *testing.T) {
	for _, row := range readPDUs(t) {
		raw, err := ParseHex(row.hex)
		if err != nil {
			continue
		}
		a, errA := Decode(raw)
		keep := append([]byte(nil), raw...)
		b, errB := Decode(raw)
		if string(raw) != string(keep) {
			t.Fatalf("%s: Decode modified its input", row.id)
		}
		if d := cmp.Diff(a, b); d != "" || (errA == nil) != (errB == nil) {
			t.Errorf("%s: two decodes differ: %s", row.id, d)
		}
	}
}

func TestConcatOf(t *testing.T) {
	tests := []struct {
		name string
		udh  tpdu.UserDataHeader
		want *Concat
	}{
		{"none", nil, nil},
		{"8-bit", tpdu.UserDataHeader{{ID: 0x00, Data: []byte{0xc3, 2, 1}}}, &Concat{Ref: 0xc3, RefBits: 8, Total: 2, Seq: 1}},
		{"16-bit", tpdu.UserDataHeader{{ID: 0x08, Data: []byte{0xbe, 0xef, 2, 2}}}, &Concat{Ref: 0xbeef, RefBits: 16, Total: 2, Seq: 2}},
		{"after port IE", tpdu.UserDataHeader{{ID: 0x05, Data: []byte{0x0b, 0x84, 0x23, 0xf0}}, {ID: 0x00, Data: []byte{42, 2, 2}}}, &Concat{Ref: 42, RefBits: 8, Total: 2, Seq: 2}},
		{"seq 0 ignored", tpdu.UserDataHeader{{ID: 0x00, Data: []byte{1, 2, 0}}}, nil},
		{"seq past total ignored", tpdu.UserDataHeader{{ID: 0x00, Data: []byte{1, 2, 3}}}, nil},
		{"wrong length ignored", tpdu.UserDataHeader{{ID: 0x08, Data: []byte{1, 2, 1}}}, nil},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, concatOf(tt.udh)); d != "" {
			t.Errorf("%s: -want +got\n%s", tt.name, d)
		}
	}
}
