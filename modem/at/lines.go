package at

// DefaultMaxLine caps one received line. The longest legitimate lines are
// +CUSD strings in UCS2 hex and SIM records printed with their FF padding,
// both well under this.
const DefaultMaxLine = 4096

type tokenKind uint8

const (
	tokLine   tokenKind = iota // a line without its CR/LF
	tokPrompt                  // the SMS "> " prompt, which has no line ending
)

type token struct {
	kind tokenKind
	text string
}

// splitter cuts the byte stream into lines. Any of CR, LF, CR LF and
// CR CR LF ends a line; a blank line is a line too (a +CUSD string may
// contain one). NUL and other control bytes are dropped, and a line longer
// than max keeps its first max bytes.
//
// Every byte fed is counted in exactly one of kept, dropped, ends or
// prompt, which the fuzz test checks.
type splitter struct {
	max      int
	prompt   bool // a "> " prompt is expected (set by the port while an SMS command waits)
	buf      []byte
	afterCR  bool
	overflow bool

	fed, kept, dropped, ends, promptBytes int
}

func newSplitter(max int) *splitter {
	if max <= 0 {
		max = DefaultMaxLine
	}
	return &splitter{max: max}
}

// feed consumes p, calling emit for each complete token in order. emit may
// change s.prompt; the change applies to the bytes that follow.
func (s *splitter) feed(p []byte, emit func(token)) {
	s.fed += len(p)
	for _, c := range p {
		switch {
		case c == '\r':
			s.ends++
			if !s.afterCR {
				s.flush(emit)
			}
			s.afterCR = true
		case c == '\n':
			s.ends++
			if !s.afterCR {
				s.flush(emit)
			}
			s.afterCR = false
		case c < 0x20 && c != '\t' || c == 0x7f:
			s.dropped++
		default:
			s.afterCR = false
			if len(s.buf) >= s.max {
				s.overflow = true
				s.dropped++
				continue
			}
			s.buf = append(s.buf, c)
			s.kept++
			if s.prompt && len(s.buf) == 2 && s.buf[0] == '>' && s.buf[1] == ' ' {
				s.buf = s.buf[:0]
				s.kept -= 2
				s.promptBytes += 2
				emit(token{kind: tokPrompt})
			}
		}
	}
}

func (s *splitter) flush(emit func(token)) {
	line := string(s.buf)
	s.buf = s.buf[:0]
	s.overflow = false
	emit(token{kind: tokLine, text: line})
}

// pending returns the bytes of the unfinished line.
func (s *splitter) pending() string { return string(s.buf) }
