package e2e

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// TestStoredBeforeStart: messages that reached the modem while no agent ran
// (singles, a Hindi one, a long one with its parts out of order) are all
// taken when the agent starts, each answered once, and the modem is left
// empty.
func TestStoredBeforeStart(t *testing.T) {
	long := "Please send " + strings.Repeat("5 kg rice, 2 kg dal, 1 kg sugar, ", 6) + "to house 14."
	msgs := []vmodem.SMS{
		{From: phone(800), Text: "1"},
		{From: phone(801), Text: "MENU"},
		{From: phone(802), Text: "2 kg atta bhejo"},
		{From: phone(803), Text: "नमस्ते, दूध है?"},
		{From: phone(804), Text: long, Order: []int{2, 1}},
		{From: phone(805), Text: "HELP"},
	}
	onEveryProfile(t, func(t *testing.T, r *rig) {
		for _, m := range msgs {
			r.sms(m)
		}
		st, err := r.vmc.State(r.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Storage.Used != len(msgs)+1 {
			t.Fatalf("modem stores %d messages before the agent starts, want %d", st.Storage.Used, len(msgs)+1)
		}
		r.start(func(o *agent.Options) { o.Handler = echo })
		want := map[string]int{}
		for _, m := range msgs {
			want[m.From] = 1
		}
		r.waitSettled(want)
		sent := r.sent()
		got := map[string]string{}
		for _, s := range sent {
			got[s.To] = s.Text
		}
		for _, m := range msgs {
			if got[m.From] != m.Text {
				t.Errorf("%s: handler saw %q, want %q", m.From, got[m.From], m.Text)
			}
		}
		if n := sentTo(sent); len(sent) != len(msgs) {
			t.Errorf("%d replies for %d messages: %v", len(sent), len(msgs), n)
		}
		for from, n := range r.handledBy() {
			if n != 1 {
				t.Errorf("%s handled %d times", from, n)
			}
		}
	})
}

// invalidPDU is one deliberately invalid row of the shared fixtures.
type invalidPDU struct{ id, hex string }

func readInvalidPDUs(t *testing.T) []invalidPDU {
	t.Helper()
	f, err := os.Open("testdata/invalid_pdus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []invalidPDU
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 0; sc.Scan(); line++ {
		if line < 2 { // source, header
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 {
			t.Fatalf("testdata line %d: %d columns", line+1, len(cols))
		}
		out = append(out, invalidPDU{id: cols[0], hex: cols[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no rows in testdata/invalid_pdus.tsv")
	}
	return out
}

// TestMalformedPDUKept: a PDU no decoder reads, stored verbatim in the
// modem, is kept in the store as undecodable with its bytes, deleted from
// the modem only after that commit, never answered, and the agent goes on
// answering the next shopper.
func TestMalformedPDUKept(t *testing.T) {
	t.Parallel()
	rows := readInvalidPDUs(t)
	for _, profile := range profiles {
		for i, row := range rows {
			t.Run(profile+"/"+row.id, func(t *testing.T) {
				t.Parallel()
				r := newRig(t, profile)
				r.sms(vmodem.SMS{From: phone(900), PDU: row.hex})
				st, err := r.vmc.State(r.ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(st.Storage.Messages) != 1 {
					t.Fatalf("modem storage %+v, want the malformed PDU alone", st.Storage)
				}
				idx := st.Storage.Messages[0].Index

				r.start(nil)
				next := phone(910 + i)
				r.sms(smsFrom(next, "hello"))
				r.waitSettled(map[string]int{next: 1})

				und, err := r.db.Undecodable()
				if err != nil {
					t.Fatal(err)
				}
				if len(und) != 1 {
					t.Fatalf("%d undecodable kept, want 1: %+v", len(und), und)
				}
				if raw := printed(und[0].Raw); !strings.EqualFold(raw, row.hex) || und[0].Err == "" {
					t.Errorf("kept %q (error %q), want the PDU as stored %q", raw, und[0].Err, row.hex)
				}
				// Kept, then deleted: the commit's log line comes before
				// the AT+CMGD of that slot in the one ordered journal.
				kept := r.journal.first(func(l string) bool { return strings.Contains(l, "kept for the operator") })
				del := r.journal.first(func(l string) bool { return isDelete(l, idx) })
				if kept < 0 || del < 0 || del < kept {
					t.Errorf("undecodable committed at journal line %d, AT+CMGD=%d at line %d; want commit first", kept, idx, del)
				}
				if sent := r.sent(); len(sent) != 1 || sent[0].To != next {
					t.Errorf("sent %+v, want only the reply to %s", sent, next)
				}
				if in := r.inbound(); len(in) != 1 || in[0].From != next || !in[0].Handled {
					t.Errorf("inbound: %s", dump(in))
				}
			})
		}
	}
}

// printed shows raw as the hex the modem printed, whether the store kept
// that text or the bytes it stands for.
func printed(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return hex.EncodeToString(raw)
		}
	}
	return s
}

// isDelete reports whether a trace line writes AT+CMGD for slot idx.
func isDelete(line string, idx int) bool {
	cmd := fmt.Sprintf("-> AT+CMGD=%d", idx)
	i := strings.Index(line, cmd)
	if i < 0 {
		return false
	}
	rest := line[i+len(cmd):]
	return rest == "" || rest[0] == ','
}
