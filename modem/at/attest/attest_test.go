package attest

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplay(t *testing.T) {
	const transcript = `# source: test
+CMTI: "SM",7
--> AT+CMGS=3
> 
--> 001100<SUB>
+CMGS: 4
OK
--> <ESC>
<raw>x<CR>
`
	m, r, err := NewReplayModem(transcript)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"AT+CMGS=3\r", "001100\x1a", "\x1b", "AT\r"} {
		if _, err := m.Write([]byte(w)); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	got, err := io.ReadAll(m)
	if err != nil {
		t.Fatal(err)
	}
	want := "+CMTI: \"SM\",7\r\n\r\n> +CMGS: 4\r\nOK\r\nx\r\r\nERROR\r\n"
	if string(got) != want {
		t.Errorf("modem said %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string{`unexpected "AT" after the transcript ended`}, r.Mismatches()); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"AT+CMGS=3", "001100<SUB>", "<ESC>", "AT"}, m.Commands()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}
