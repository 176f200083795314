package attest

import (
	"bufio"
	"fmt"
	"strings"
	"sync"
)

// Replay answers a host from a transcript. The format is that of the
// shared fixtures: "# " lines are comments, "--> X" is a command the host
// must write (X may end in <SUB>; <ESC> stands for ESC), and every other
// line is a line the modem prints, sent with CR LF. Within modem lines,
// <CR>, <LF>, <NUL> and <SUB> stand for those bytes; a line that is
// exactly "> " is the SMS prompt, sent as CR LF "> " with no line end; a
// line starting with "<raw>" is sent without any line end added.
//
// Modem lines before the first command are returned by Start; the lines
// after each command are the answer to it.
type Replay struct {
	mu         sync.Mutex
	start      string
	steps      []step
	next       int
	mismatches []string
}

type step struct {
	expect string
	reply  string
}

// ParseReplay reads a transcript.
func ParseReplay(text string) (*Replay, error) {
	r := &Replay{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var cur strings.Builder
	flush := func() {
		if len(r.steps) == 0 {
			r.start = cur.String()
		} else {
			r.steps[len(r.steps)-1].reply = cur.String()
		}
		cur.Reset()
	}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "--> "):
			flush()
			r.steps = append(r.steps, step{expect: strings.TrimPrefix(line, "--> ")})
		case line == "> ":
			cur.WriteString("\r\n> ")
		case strings.HasPrefix(line, "<raw>"):
			cur.WriteString(unescape(strings.TrimPrefix(line, "<raw>")))
		default:
			cur.WriteString(unescape(line) + "\r\n")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read transcript line %d: %w", n, err)
	}
	flush()
	return r, nil
}

func unescape(s string) string {
	return strings.NewReplacer("<CR>", "\r", "<LF>", "\n", "<NUL>", "\x00", "<SUB>", "\x1a", "<ESC>", "\x1b").Replace(s)
}

// Start returns what the modem prints before the first command.
func (r *Replay) Start() string { return r.start }

// Respond answers cmd with the transcript's next reply if cmd is the
// command the transcript expects; otherwise it records a mismatch and
// answers ERROR.
func (r *Replay) Respond(cmd string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next >= len(r.steps) {
		r.mismatches = append(r.mismatches, fmt.Sprintf("unexpected %q after the transcript ended", cmd))
		return "\r\nERROR\r\n"
	}
	s := &r.steps[r.next]
	if cmd != s.expect {
		r.mismatches = append(r.mismatches, fmt.Sprintf("step %d: host wrote %q, transcript expects %q", r.next+1, cmd, s.expect))
		return "\r\nERROR\r\n"
	}
	r.next++
	return s.reply
}

// Mismatches returns the commands that did not match the transcript.
func (r *Replay) Mismatches() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.mismatches...)
}

// Remaining returns the commands the transcript still expects.
func (r *Replay) Remaining() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.steps[r.next:] {
		out = append(out, s.expect)
	}
	return out
}

// NewReplayModem returns a fake modem that plays the transcript: it has
// already printed the lines before the first command.
func NewReplayModem(text string) (*Modem, *Replay, error) {
	r, err := ParseReplay(text)
	if err != nil {
		return nil, nil, err
	}
	m := NewModem(r.Respond)
	if r.start != "" {
		m.Send(r.start)
	}
	return m, r, nil
}
