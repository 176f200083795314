// Package logging makes the zerolog logger every Tokri binary writes
// through, so the agent and the central server read the same way in a
// terminal, in the journal and in a file.
package logging

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/rs/zerolog"
)

// New logs readable lines on a terminal; plain "key=value" lines
// with a syslog priority prefix and no time stamp when stderr goes to the
// journal (journald stamps each line and reads "<4>" as warning, so
// journalctl -p warning works); JSON lines otherwise (files, pipes).
func New(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if f, ok := w.(*os.File); ok {
		switch {
		case isTerminal(f):
			w = zerolog.ConsoleWriter{Out: f, TimeFormat: time.TimeOnly}
		case toJournal(f):
			return zerolog.New(journalWriter(f)).Level(lvl)
		}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// toJournal reports whether f is the stream systemd connected to the
// journal: JOURNAL_STREAM names its device and inode.
func toJournal(f *os.File) bool {
	want := os.Getenv("JOURNAL_STREAM")
	if want == "" {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fmt.Sprintf("%d:%d", st.Dev, st.Ino) == want
}

// journalWriter writes "<prio>message key=value ..." lines.
func journalWriter(out io.Writer) io.Writer {
	return zerolog.ConsoleWriter{
		Out:          prefixJoiner{out},
		NoColor:      true,
		PartsOrder:   []string{zerolog.LevelFieldName, zerolog.MessageFieldName},
		PartsExclude: []string{zerolog.TimestampFieldName},
		FormatLevel: func(i any) string {
			s, _ := i.(string)
			return syslogPrefix(s)
		},
	}
}

// syslogPrefix is sd-daemon(3)'s priority prefix for a zerolog level.
func syslogPrefix(level string) string {
	switch level {
	case "trace", "debug":
		return "<7>"
	case "warn":
		return "<4>"
	case "error":
		return "<3>"
	case "fatal":
		return "<2>"
	case "panic":
		return "<0>"
	default:
		return "<6>"
	}
}

// prefixJoiner drops the space the console writer puts between the
// priority prefix and the message, which journald would keep.
type prefixJoiner struct{ w io.Writer }

func (j prefixJoiner) Write(p []byte) (int, error) {
	if len(p) > 3 && p[0] == '<' && p[2] == '>' && p[3] == ' ' {
		q := append(p[:3:3], p[4:]...)
		if _, err := j.w.Write(q); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return j.w.Write(p)
}
