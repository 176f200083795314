package pdu

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestEncodeSubmitRoundTrip(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n)[:n] }
	tests := []struct {
		name     string
		text     string
		encoding string
		segments int
	}{
		{"gsm7 short", "Order 12: 2x atta 5kg, total Rs 540. Reply OK to confirm.", "gsm7", 1},
		{"gsm7 empty", "", "gsm7", 1},
		{"gsm7 160 fits one", long("abcdefghij", 160), "gsm7", 1},
		{"gsm7 161 needs two", long("abcdefghij", 161), "gsm7", 2},
		{"gsm7 accents from the basic table", "Café £5 ¿Què? Ñandù ÆØÅ @ $ ¥ Δ Ω ü", "gsm7", 1},
		{"gsm7 extension chars", "€10 {x} [y] ~z^ \\ |end|", "gsm7", 1},
		{"gsm7 extension 80 euros fit one", strings.Repeat("€", 80), "gsm7", 1},
		{"gsm7 extension 81 euros", strings.Repeat("€", 81), "gsm7", 2},
		// 152 plain septets then "€": the escape would end part 1, so it
		// moves to part 2 with its character.
		{"gsm7 escape not split", long("1234567890", 152) + "€" + long("abc", 20), "gsm7", 2},
		{"gsm7 five parts", long("The quick brown fox jumps over the lazy dog. ", 153*4+10), "gsm7", 5},
		{"hindi", "नमस्ते! आपका ऑर्डर तैयार है।", "ucs2", 1},
		{"hindi 70 units", long("कखगघङचछजझञ", 70*3)[:70*3], "ucs2", 1},
		{"hindi two parts", strings.Repeat("आपका ऑर्डर तैयार है। ", 5), "ucs2", 2},
		{"emoji", "Thanks 😀🙏", "ucs2", 1},
		// 66 units then a surrogate pair: the pair moves to part 2.
		{"emoji not split", strings.Repeat("क", 66) + "😀" + strings.Repeat("ख", 10), "ucs2", 2},
		{"emoji five parts", strings.Repeat("🛒 atta ", 40), "ucs2", 5},
		{"mixed script", "Total ₹540 – धन्यवाद", "ucs2", 1},
		// A literal U+001B would read as an escape in GSM-7.
		{"literal escape character", "a\x1bb", "ucs2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := SubmitOptions{Ref: 0x1a7, StatusReport: true}
			enc, err := EncodeSubmit("+919876543210", tt.text, opts)
			if err != nil {
				t.Fatal(err)
			}
			if enc.Encoding != tt.encoding || enc.Segments != tt.segments || len(enc.TPDUs) != tt.segments {
				t.Fatalf("got %s x%d (%d TPDUs), want %s x%d", enc.Encoding, enc.Segments, len(enc.TPDUs), tt.encoding, tt.segments)
			}
			if n, e := Count(tt.text); n != len(enc.TPDUs) || e != enc.Encoding {
				t.Errorf("Count %d %s, EncodeSubmit %d %s", n, e, len(enc.TPDUs), enc.Encoding)
			}
			var raws [][]byte
			for k, tp := range enc.TPDUs {
				if len(tp) > 2+1+7+3+140 { // fo mr da(+91 12 digits) pid dcs udl ud
					t.Errorf("part %d: %d octets", k+1, len(tp))
				}
				if last := k == len(enc.TPDUs)-1; (tp[0]&0x20 != 0) != last {
					t.Errorf("part %d of %d: TP-SRR %v (fo 0x%02X), want it on the last part only", k+1, len(enc.TPDUs), !last, tp[0])
				}
				raw := append([]byte{0x00}, tp...) // as the driver sends it
				m, err := Decode(raw)
				if err != nil {
					t.Fatalf("part %d: %v (%X)", k+1, err, raw)
				}
				if m.Kind != Submit || m.Addr != "+919876543210" || m.Encoding != tt.encoding {
					t.Errorf("part %d: %+v", k+1, m)
				}
				if tt.segments > 1 {
					c := m.Concat
					if c == nil || c.Ref != 0xa7 || c.RefBits != 8 || c.Total != tt.segments || c.Seq != k+1 {
						t.Errorf("part %d: Concat %+v", k+1, c)
					}
				} else if m.Concat != nil {
					t.Errorf("single part has Concat %+v", m.Concat)
				}
				raws = append(raws, raw)
			}
			m, err := Join(raws)
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tt.text {
				t.Errorf("round trip\n got %q\nwant %q", m.Text, tt.text)
			}
		})
	}
}

func TestEncodeSubmitBytes(t *testing.T) {
	// Known-good TPDUs, checked field by field against TS 23.040.
	tests := []struct {
		name, to, text string
		opts           SubmitOptions
		want           string
	}{
		// fo 01 (SUBMIT), MR 00, DA 0C 91 (12 digits, international),
		// PID 00, DCS 00, no VP (VPF 0), UDL 05, "hello" packed.
		{"gsm7 international", "+919876543210", "hello", SubmitOptions{}, "01000C91198967452301000005E8329BFD06"},
		// fo 21 (SRR), national number: TOA 81.
		{"status report national", "9876543210", "hello", SubmitOptions{StatusReport: true}, "21000A818967452301000005E8329BFD06"},
		// short code, odd length: F filler.
		{"short code", "121", "Hi", SubmitOptions{}, "0100038121F1000002C834"},
		// DCS 08, UCS-2 "नमस्ते".
		{"ucs2", "+919876543210", "नमस्ते", SubmitOptions{}, "01000C9119896745230100080C0928092E0938094D09240947"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := EncodeSubmit(tt.to, tt.text, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ToUpper(hex.EncodeToString(enc.TPDUs[0])); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEncodeSubmitConcatHeader(t *testing.T) {
	enc, err := EncodeSubmit("+919876543210", strings.Repeat("a", 200), SubmitOptions{Ref: 0x1234})
	if err != nil {
		t.Fatal(err)
	}
	// fo 41 (UDHI), ..., UDL, UDH 05 00 03 <ref&0xff> <total> <seq>.
	for k, tp := range enc.TPDUs {
		if tp[0] != 0x41 {
			t.Errorf("part %d: fo 0x%02X", k+1, tp[0])
		}
		udh := tp[13:19] // fo mr da(2+6) pid dcs udl
		want := []byte{0x05, 0x00, 0x03, 0x34, 0x02, byte(k + 1)}
		if string(udh) != string(want) {
			t.Errorf("part %d: UDH % X, want % X", k+1, udh, want)
		}
	}
}

func TestEncodeSubmitErrors(t *testing.T) {
	for _, to := range []string{"", "+", "98765-43210", "+91 98765 43210", "123456789012345678901", "shop"} {
		if _, err := EncodeSubmit(to, "hi", SubmitOptions{}); !errors.Is(err, ErrAddress) {
			t.Errorf("to %q: err %v, want ErrAddress", to, err)
		}
	}
	if _, err := EncodeSubmit("+919876543210", strings.Repeat("x", 153*255+1), SubmitOptions{}); !errors.Is(err, ErrTooLong) {
		t.Errorf("256 parts: err %v, want ErrTooLong", err)
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		text     string
		segments int
		encoding string
	}{
		{"", 1, "gsm7"},
		{strings.Repeat("a", 160), 1, "gsm7"},
		{strings.Repeat("a", 161), 2, "gsm7"},
		{strings.Repeat("a", 306), 2, "gsm7"},
		{strings.Repeat("a", 307), 3, "gsm7"},
		{strings.Repeat("{", 80), 1, "gsm7"},        // escapes count 2
		{strings.Repeat("a", 159) + "€", 2, "gsm7"}, // 161 septets
		// 306 septets would fill 2 parts, but the escape ending part 1
		// moves to part 2, which pushes one septet into a third part.
		{strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), 3, "gsm7"},
		{strings.Repeat("क", 70), 1, "ucs2"},
		{strings.Repeat("क", 71), 2, "ucs2"},
		{strings.Repeat("क", 134), 2, "ucs2"},
		{strings.Repeat("क", 135), 3, "ucs2"},
		{strings.Repeat("😀", 35), 1, "ucs2"}, // 70 units
		{strings.Repeat("😀", 36), 2, "ucs2"},
		{strings.Repeat("😀", 67), 3, "ucs2"}, // 33 pairs per part, never split
		{"a" + "😀", 1, "ucs2"},
	}
	for _, tt := range tests {
		n, e := Count(tt.text)
		if n != tt.segments || e != tt.encoding {
			t.Errorf("Count(%.20q... %d runes) = %d %s, want %d %s", tt.text, len([]rune(tt.text)), n, e, tt.segments, tt.encoding)
		}
	}
}
