package pdu

import (
	"bufio"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stampLayout is the ISO-8601 form of the fixtures, with "+00:00" for UTC.
const stampLayout = "2006-01-02T15:04:05-07:00"

type fixtureRow struct {
	id, kind, hex, from, scts, text, library, notes string
}

// readTSV reads a tab-separated fixture, skipping "#" lines and the header.
func readTSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func readPDUs(t testing.TB) []fixtureRow {
	var out []fixtureRow
	for _, r := range readTSV(t, "testdata/pdus.tsv") {
		if len(r) != 10 {
			t.Fatalf("row %q: %d columns", r[0], len(r))
		}
		out = append(out, fixtureRow{id: r[0], kind: r[2], hex: r[3], from: r[4], scts: r[5],
			text: unescape(r[6]), library: r[7], notes: r[9]})
	}
	return out
}

func unescape(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r", `\t`, "\t")
	return r.Replace(s)
}

// quirkText is what rows whose expected column only describes the text
// decode to, as the column's note says.
var quirkText = map[string]string{
	// 'invalid: DCS says GSM7, UD is UCS-2 "Тест Test"' (written by a phone)
	"gammu-at-sms-14": "Тест Test",
}

func TestDecodeFixtures(t *testing.T) {
	rows := readPDUs(t)
	if len(rows) != 145 {
		t.Fatalf("%d rows, want 145", len(rows))
	}
	sets := readConcatSets(t)
	var libRejected, rejectedOK int
	for _, row := range rows {
		t.Run(row.id, func(t *testing.T) {
			wantFail := strings.Contains(row.library, "rejection is the desired outcome")
			if strings.HasPrefix(row.library, "error:") && !wantFail {
				libRejected++
			}
			raw, err := ParseHex(row.hex)
			var m Message
			if err == nil {
				m, err = Decode(raw)
			}
			if wantFail {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("got %v (%+v), want a *DecodeError", err, m)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if strings.HasPrefix(row.library, "error:") {
				rejectedOK++
			}
			if m.Addr != row.from {
				t.Errorf("Addr %q, want %q", m.Addr, row.from)
			}
			checkStamp(t, "SCTS", m.SCTS, row.scts)
			checkKind(t, row, m)
			text := row.text
			if q, ok := quirkText[row.id]; ok {
				text = q
			}
			switch {
			case strings.HasPrefix(text, "status-report "):
				checkStatusReport(t, m, text)
			case strings.HasPrefix(text, "8bit:("):
				if m.Encoding != "8bit" || len(m.Binary) != 0 {
					t.Errorf("Encoding %q Binary %X, want 8bit and none", m.Encoding, m.Binary)
				}
			case strings.HasPrefix(text, "8bit:"):
				want, err := hex.DecodeString(strings.TrimPrefix(text, "8bit:"))
				if err != nil {
					t.Fatal(err)
				}
				if m.Encoding != "8bit" || !equalBytes(m.Binary, want) {
					t.Errorf("Encoding %q Binary %X, want 8bit %X", m.Encoding, m.Binary, want)
				}
			case strings.HasPrefix(text, "invalid:"):
				t.Fatalf("row has no expected text: %q", text)
			case strings.Contains(row.kind, "escsplit"):
				checkEscSplit(t, row, m, rows, sets)
			case m.Encoding == "8bit":
				// "DCS 0x04 8-bit data; bytes happen to be ASCII"
				if string(m.Binary) != text {
					t.Errorf("Binary %q, want %q", m.Binary, text)
				}
			default:
				if m.Text != text {
					t.Errorf("Text %q, want %q", m.Text, text)
				}
			}
		})
	}
	// The fixtures record 13 PDUs that sms v0.3.0 rejects although they
	// carry a message; every one of them must decode here.
	if libRejected != 13 || rejectedOK != 13 {
		t.Errorf("library-rejected rows: %d seen, %d decoded; want 13 and 13", libRejected, rejectedOK)
	}
}

func checkKind(t *testing.T, row fixtureRow, m Message) {
	t.Helper()
	want := Deliver
	switch {
	case strings.HasPrefix(row.kind, "status-report"):
		want = StatusReport
	case strings.HasPrefix(row.kind, "submit"):
		want = Submit
	}
	if m.Kind != want {
		t.Errorf("Kind %d, want %d", m.Kind, want)
	}
	if strings.Contains(row.notes, "concat ref=") {
		if m.Concat == nil {
			t.Fatalf("Concat nil, notes say %q", row.notes)
		}
		// e.g. "concat ref=48879 seq=1/2"
		note := row.notes[strings.LastIndex(row.notes, "concat ref="):]
		var ref, seq, total int
		f := strings.FieldsFunc(note, func(r rune) bool { return r == ' ' || r == '=' || r == '/' })
		if len(f) < 6 {
			t.Fatalf("bad concat note %q", note)
		}
		ref, _ = strconv.Atoi(f[2])
		seq, _ = strconv.Atoi(f[4])
		total, _ = strconv.Atoi(f[5])
		c := m.Concat
		if c.Ref != ref || c.Seq != seq || c.Total != total {
			t.Errorf("Concat %+v, want ref %d seq %d/%d", *c, ref, seq, total)
		}
		bits := 8
		if strings.Contains(row.kind, "concat16") {
			bits = 16
		}
		if c.RefBits != bits {
			t.Errorf("RefBits %d, want %d", c.RefBits, bits)
		}
	} else if m.Concat != nil {
		t.Errorf("Concat %+v, want nil", *m.Concat)
	}
}

func checkStamp(t *testing.T, name string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s %v, want zero", name, got)
		}
		return
	}
	if s := got.Format(stampLayout); s != want {
		t.Errorf("%s %s, want %s", name, s, want)
	}
}

// checkStatusReport checks "status-report MR=214 ST=0x00 DT=2011-...".
func checkStatusReport(t *testing.T, m Message, want string) {
	t.Helper()
	f := strings.Fields(want)
	if len(f) != 4 {
		t.Fatalf("bad expectation %q", want)
	}
	mr, _ := strconv.Atoi(strings.TrimPrefix(f[1], "MR="))
	st, _ := strconv.ParseInt(strings.TrimPrefix(f[2], "ST=0x"), 16, 0)
	if m.MR != mr || m.Status != int(st) {
		t.Errorf("MR %d ST 0x%02X, want %d 0x%02X", m.MR, m.Status, mr, st)
	}
	checkStamp(t, "Discharge", m.Discharge, strings.TrimPrefix(f[3], "DT="))
}

// checkEscSplit checks the set whose first part ends in an escape: part 1
// alone decodes without the dangling escape, and the whole set joins to the
// two parts' expected texts, the escape applied to part 2's first septet.
func checkEscSplit(t *testing.T, row fixtureRow, m Message, rows []fixtureRow, sets []concatSet) {
	t.Helper()
	var set concatSet
	for _, s := range sets {
		for _, id := range s.ids {
			if id == row.id {
				set = s
			}
		}
	}
	if set.name == "" {
		t.Fatalf("no concat set holds %s", row.id)
	}
	var whole string
	for _, id := range set.ids {
		for _, r := range rows {
			if r.id == id {
				whole += r.text
			}
		}
	}
	if m.Concat.Seq == 1 && m.Text != row.text {
		t.Errorf("part 1 Text %q, want %q", m.Text, row.text)
	}
	j, err := Join(set.parts(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	if j.Text != whole {
		t.Errorf("joined Text %q, want %q", j.Text, whole)
	}
}

func equalBytes(a, b []byte) bool { return string(a) == string(b) }
