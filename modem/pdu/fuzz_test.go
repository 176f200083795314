package pdu

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixturePDUs returns every PDU of the fixtures that parses as hex.
func fixturePDUs(t testing.TB) [][]byte {
	var out [][]byte
	for _, row := range readPDUs(t) {
		if raw, err := ParseHex(row.hex); err == nil {
			out = append(out, raw)
		}
	}
	return out
}

func FuzzParseHex(f *testing.F) {
	for _, row := range readPDUs(f) {
		f.Add(row.hex)
	}
	f.Add("0011ab\"\r")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseHex(s)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			return
		}
		if len(b) == 0 || 2*len(b) > len(s) {
			t.Fatalf("%d octets from %d characters", len(b), len(s))
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, raw := range fixturePDUs(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Decode(raw)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			return
		}
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Addr) {
			t.Fatalf("invalid UTF-8: %q from %q", m.Text, m.Addr)
		}
		if c := m.Concat; c != nil && (c.Seq < 1 || c.Seq > c.Total || (c.RefBits != 8 && c.RefBits != 16)) {
			t.Fatalf("bad Concat %+v", *c)
		}
	})
}

func FuzzJoin(f *testing.F) {
	rows := readPDUs(f)
	for _, s := range readConcatSets(f) {
		parts := s.parts(f, rows)
		f.Add(parts[0], parts[len(parts)-1])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		m, err := Join([][]byte{a, b})
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			return
		}
		if !utf8.ValidString(m.Text) {
			t.Fatalf("invalid UTF-8 %q", m.Text)
		}
	})
}

func FuzzDecodeUSSD(f *testing.F) {
	for _, r := range readTSV(f, "testdata/ussd.tsv") {
		dcs, _ := strconv.Atoi(r[2])
		f.Add(unescape(r[3]), dcs, r[1])
	}
	f.Fuzz(func(t *testing.T, str string, dcs int, charset string) {
		s, err := DecodeUSSD(str, dcs, charset)
		if err == nil && !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 %q", s)
		}
	})
}

// FuzzEncodeSubmit checks that any text survives EncodeSubmit, Decode and
// Join, in as many parts as Count says.
func FuzzEncodeSubmit(f *testing.F) {
	for _, s := range []string{"", "hello", "€{}[]~^|\\", "नमस्ते", "😀", strings.Repeat("a€", 100)} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, text string, ref int) {
		if !utf8.ValidString(text) || len(text) > 2000 {
			return
		}
		enc, err := EncodeSubmit("+919876543210", text, SubmitOptions{Ref: ref})
		if err != nil {
			t.Fatal(err)
		}
		if n, e := Count(text); n != len(enc.TPDUs) || e != enc.Encoding {
			t.Fatalf("Count %d %s, EncodeSubmit %d %s", n, e, len(enc.TPDUs), enc.Encoding)
		}
		raws := make([][]byte, len(enc.TPDUs))
		for k, tp := range enc.TPDUs {
			raws[k] = append([]byte{0}, tp...)
		}
		m, err := Join(raws)
		if err != nil {
			t.Fatal(err)
		}
		if m.Text != text {
			t.Fatalf("round trip %q -> %q", text, m.Text)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	raws := fixturePDUs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = Decode(raws[i%len(raws)])
	}
}

func BenchmarkEncodeSubmit(b *testing.B) {
	texts := []string{
		"Order 12: 2x atta 5kg, total Rs 540. Reply OK to confirm.",
		strings.Repeat("Your order is packed and on its way. ", 10),
		"आपका ऑर्डर तैयार है। धन्यवाद! 😀",
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := EncodeSubmit("+919876543210", texts[i%len(texts)], SubmitOptions{Ref: i}); err != nil {
			b.Fatal(err)
		}
	}
}
