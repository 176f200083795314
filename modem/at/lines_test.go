package at

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func split(in string, prompt bool, max int) []token {
	s := newSplitter(max)
	s.prompt = prompt
	var out []token
	s.feed([]byte(in), func(t token) { out = append(out, t) })
	return out
}

func lineToks(lines ...string) []token {
	var out []token
	for _, l := range lines {
		out = append(out, token{kind: tokLine, text: l})
	}
	return out
}

func TestSplitter(t *testing.T) {
	prompt := token{kind: tokPrompt}
	tests := []struct {
		name   string
		in     string
		prompt bool
		max    int
		want   []token
	}{
		{name: "CR LF", in: "\r\nOK\r\n", want: lineToks("", "OK")},
		{name: "CR CR LF is one end", in: "AT+CMGL=4\r\r\n+CMGL: 0\r\n", want: lineToks("AT+CMGL=4", "+CMGL: 0")},
		{name: "bare CR", in: "a\rb\rc", want: lineToks("a", "b")},
		{name: "LF only", in: "a\nb\n\nc\n", want: lineToks("a", "b", "", "c")},
		{name: "blank lines kept", in: "x\r\n\r\ny\r\n", want: lineToks("x", "", "y")},
		{name: "NUL and controls dropped", in: "\x00O\x00K\x1a\x1b\r\n", want: lineToks("OK")},
		{name: "tab and high bytes kept", in: "a\tb\xc3\xa4\r\n", want: lineToks("a\tb\xc3\xa4")},
		{name: "no final end stays pending", in: "OK", want: nil},
		{name: "prompt when wanted", in: "\r\n> ", prompt: true, want: []token{{kind: tokLine}, prompt}},
		{name: "prompt not wanted", in: "\r\n> \r\n", want: lineToks("", "> ")},
		{name: "prompt then echo", in: "> 0011\r\n", prompt: true, want: []token{prompt, {kind: tokLine, text: "0011"}}},
		{name: "capped", in: "abcdefgh\r\nxy\r\n", max: 4, want: lineToks("abcd", "xy")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(tt.in, tt.prompt, tt.max)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(token{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
			// Fed byte by byte, the result is the same.
			s := newSplitter(tt.max)
			s.prompt = tt.prompt
			var bytewise []token
			for i := 0; i < len(tt.in); i++ {
				s.feed([]byte{tt.in[i]}, func(t token) { bytewise = append(bytewise, t) })
			}
			if diff := cmp.Diff(got, bytewise, cmp.AllowUnexported(token{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("byte-wise tokens differ (-whole +bytewise):\n%s", diff)
			}
		})
	}
}

// transcriptSeeds turns the testdata transcripts into byte streams as a
// modem would send them.
func transcriptSeeds(t testing.TB) [][]byte {
	files, err := filepath.Glob("testdata/*.at")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata transcripts: %v", err)
	}
	var seeds [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "--> ") {
				continue
			}
			if line == "> " {
				buf.WriteString("\r\n> ")
				continue
			}
			buf.WriteString(strings.NewReplacer("<raw>", "", "<CR>", "\r", "<LF>", "\n").Replace(line))
			buf.WriteString("\r\n")
		}
		seeds = append(seeds, buf.Bytes())
	}
	return seeds
}

// FuzzLineReader checks that the splitter never panics, accounts for every
// byte, keeps lines free of line ends and control bytes and within the
// cap, and that the whole port's line handling copes with any input.
func FuzzLineReader(f *testing.F) {
	for _, s := range transcriptSeeds(f) {
		f.Add(s, uint8(0), true)
	}
	f.Add([]byte("\x00\xff\r\r\r\n> > >\n"), uint8(3), false)
	f.Add([]byte("+CUSD: 1,\"open\r\nstill\r\n"), uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, prompt bool) {
		const max = 64
		s := newSplitter(max)
		s.prompt = prompt
		emitted := 0
		emit := func(tok token) {
			if tok.kind == tokPrompt {
				s.prompt = false
				return
			}
			emitted += len(tok.text)
			if len(tok.text) > max {
				t.Fatalf("line of %d bytes exceeds the cap", len(tok.text))
			}
			for i := 0; i < len(tok.text); i++ {
				if c := tok.text[i]; c == '\r' || c == '\n' || c < 0x20 && c != '\t' {
					t.Fatalf("line %q holds control byte %#x", tok.text, c)
				}
			}
		}
		n := int(chunk%16) + 1
		for i := 0; i < len(data); i += n {
			end := min(i+n, len(data))
			s.feed(data[i:end], emit)
		}
		if s.fed != len(data) {
			t.Fatalf("fed %d of %d bytes", s.fed, len(data))
		}
		if s.kept+s.dropped+s.ends+s.promptBytes != s.fed {
			t.Fatalf("bytes unaccounted: kept %d dropped %d ends %d prompt %d fed %d", s.kept, s.dropped, s.ends, s.promptBytes, s.fed)
		}
		if s.kept != emitted+len(s.pending()) {
			t.Fatalf("kept %d bytes but emitted %d and hold %d", s.kept, emitted, len(s.pending()))
		}

		// The same bytes through the port's line handling, idle and with
		// an SMS command in flight: no panic, and it stays usable.
		for _, withCmd := range []bool{false, true} {
			p := New(nil, Options{MaxLine: max})
			var r *request
			if withCmd {
				r = &request{kind: reqSMS, cmd: "AT+CMGS=5", pdu: "0011", res: make(chan response, 1), name: "+CMGS"}
				p.cur = r
				p.split.prompt = true
			}
			p.rw = discard{}
			p.split.feed(data, p.onToken)
			if len(p.queue) > urcQueueMax {
				t.Fatalf("URC queue grew to %d", len(p.queue))
			}
			if b := p.pend; b != nil && len(b.urc.Lines) > maxCUSDLines {
				t.Fatalf("pending URC of %d lines", len(b.urc.Lines))
			}
		}
	})
}

type discard struct{}

func (discard) Read([]byte) (int, error)    { return 0, nil }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
