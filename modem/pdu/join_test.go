package pdu

import (
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
)

type concatSet struct {
	name string
	ids  []string // in feed order
	want string   // expected_text, or "" when the fixture asserts parts only
}

func readConcatSets(t testing.TB) []concatSet {
	var sets []concatSet
	for _, r := range readTSV(t, "testdata/concat_sets.tsv") {
		if len(r) != 5 {
			t.Fatalf("set %q: %d columns", r[0], len(r))
		}
		s := concatSet{name: r[0], ids: strings.Split(r[1], ","), want: unescape(r[4])}
		if strings.HasPrefix(r[4], "(") {
			// "(8-bit/WAP or source asserts parts only; see pdus.tsv)": the
			// library's reassembly, checked against the parts, stands in.
			s.want = unescape(r[3])
		}
		sets = append(sets, s)
	}
	return sets
}

// parts returns the raw PDUs of the set in feed order.
func (s concatSet) parts(t testing.TB, rows []fixtureRow) [][]byte {
	t.Helper()
	var out [][]byte
	for _, id := range s.ids {
		k := slices.IndexFunc(rows, func(r fixtureRow) bool { return r.id == id })
		if k < 0 {
			t.Fatalf("set %s: no row %s", s.name, id)
		}
		b, err := ParseHex(rows[k].hex)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestJoinFixtureSets(t *testing.T) {
	rows := readPDUs(t)
	sets := readConcatSets(t)
	if len(sets) != 9 {
		t.Fatalf("%d sets, want 9", len(sets))
	}
	for _, s := range sets {
		parts := s.parts(t, rows)
		reversed := slices.Clone(parts)
		slices.Reverse(reversed)
		for name, feed := range map[string][][]byte{"feed": parts, "reversed": reversed} {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				m, err := Join(feed)
				if err != nil {
					t.Fatal(err)
				}
				if m.Concat == nil || m.Concat.Total != len(parts) || m.Concat.Seq != 0 {
					t.Errorf("Concat %+v, want total %d seq 0", m.Concat, len(parts))
				}
				if want, ok := strings.CutPrefix(s.want, "8bit:"); ok {
					if got := strings.ToUpper(hex.EncodeToString(m.Binary)); got != want {
						t.Errorf("Binary %s, want %s", got, want)
					}
					return
				}
				if m.Text != s.want {
					t.Errorf("Text %q, want %q", m.Text, s.want)
				}
			})
		}
	}
}

func TestJoinErrors(t *testing.T) {
	rows := readPDUs(t)
	get := func(id string) []byte {
		k := slices.IndexFunc(rows, func(r fixtureRow) bool { return r.id == id })
		b, err := ParseHex(rows[k].hex)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	single := get("mm-pdu3")
	p1, p2 := get("mm-multipart-1"), get("mm-multipart-2")
	other := get("android-multipart-2")
	tests := []struct {
		name  string
		parts [][]byte
		want  error
	}{
		{"none", nil, ErrEmpty},
		{"missing part", [][]byte{p1}, ErrIncomplete},
		{"other message", [][]byte{p1, other}, ErrMismatch},
		{"unconcatenated with a part", [][]byte{single, p1}, ErrMismatch},
		{"two singles", [][]byte{single, single}, ErrMismatch},
		{"undecodable part", [][]byte{p1, {0x00, 0x03}}, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Join(tt.parts)
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want *DecodeError wrapping %v", err, tt.want)
			}
		})
	}
	// A part read twice (the modem listed it twice) is used once.
	m, err := Join([][]byte{p2, p1, p2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(m.Text, "related to one another. ") {
		t.Errorf("Text %q", m.Text)
	}
	// A single unconcatenated PDU joins to itself.
	m, err = Join([][]byte{single})
	if err != nil || m.Text != "hellohello" {
		t.Errorf("single: %q, %v", m.Text, err)
	}
}
