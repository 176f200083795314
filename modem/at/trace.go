package at

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/tokrihq/tokri/phone"
)

// tracer writes one timestamped line per line sent or received:
//
//	2026-01-09T17:38:30.120+05:30 -> AT+CMGR=7
//	2026-01-09T17:38:30.180+05:30 <- +CMGR: 0,,29
type tracer struct {
	w   io.Writer
	now func() time.Time
}

const traceTime = "2006-01-02T15:04:05.000Z07:00"

func (t *tracer) out(s string) { t.line("->", s) }
func (t *tracer) in(s string)  { t.line("<-", s) }

func (t *tracer) line(dir, s string) {
	if t == nil {
		return
	}
	// A failing trace must never disturb the modem.
	_, _ = fmt.Fprintf(t.w, "%s %s %s\n", t.now().Format(traceTime), dir, s)
}

// Redactor masks personal data in an AT trace so it can stay on in a
// shop: runs of 16 or more hex digits (PDUs, USSD strings, ICCIDs) become
// "[hex N]", and numbers of 7 or more digits (phone numbers, IMEIs) keep
// only their last 4 digits. It buffers until a newline so a number split
// across writes is still masked.
type Redactor struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewRedactor returns a Redactor writing to w.
func NewRedactor(w io.Writer) *Redactor { return &Redactor{w: w} }

// Write implements io.Writer. It reports len(p) once the complete lines
// in p reached w.
func (r *Redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf = append(r.buf, p...)
	for {
		i := bytes.IndexByte(r.buf, '\n')
		if i < 0 {
			break
		}
		line := Redact(string(r.buf[:i+1]))
		r.buf = r.buf[i+1:]
		if _, err := io.WriteString(r.w, line); err != nil {
			return 0, err
		}
	}
	// An unterminated tail longer than any trace line is flushed as is,
	// redacted, so memory stays bounded.
	if len(r.buf) > 2*DefaultMaxLine {
		line := Redact(string(r.buf))
		r.buf = r.buf[:0]
		if _, err := io.WriteString(r.w, line); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Redact masks one line the way Redactor does.
func Redact(s string) string {
	var out []byte
	i := 0
	for i < len(s) {
		if !isHexDigit(s[i]) {
			out = append(out, s[i])
			i++
			continue
		}
		j := i
		digits := true
		for j < len(s) && isHexDigit(s[j]) {
			if s[j] > '9' {
				digits = false
			}
			j++
		}
		run := s[i:j]
		// A run glued to letters is a word ("AT+CMGS"), not data.
		glued := i > 0 && isLetter(s[i-1]) || j < len(s) && isLetter(s[j])
		switch {
		case len(run) >= 16 && !glued:
			out = append(out, fmt.Sprintf("[hex %d]", len(run))...)
		case digits && len(run) >= 7: // a phone number, IMEI or ICCID
			out = append(out, phone.Mask(run)...)
		default:
			out = append(out, run...)
		}
		i = j
	}
	return string(out)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
