package logging

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestJournalLines logs as the agent does under systemd, whose
// JOURNAL_STREAM names the stream: plain lines with a priority prefix,
// fields as key=value, no time stamp (journald adds its own), and the
// level from the config.
func TestJournalLines(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	st := fi.Sys().(*syscall.Stat_t)
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))

	log := New(f, "info")
	log.Debug().Msg("hidden at info")
	log.Info().Str("component", "modem").Int("bars", 3).Msg("modem ready")
	log.Warn().Str("component", "clock").Msg("system clock is wrong")
	b, _ := os.ReadFile(f.Name())
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2 (debug hidden at info):\n%s", len(lines), b)
	}
	if !strings.HasPrefix(lines[0], "<6>modem ready") || !strings.Contains(lines[0], "modem ready") || !strings.Contains(lines[0], "bars=3") || !strings.Contains(lines[0], "component=modem") {
		t.Errorf("info line %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "<4>") {
		t.Errorf("warn line %q, want the <4> prefix", lines[1])
	}
	if strings.Contains(string(b), "time=") || strings.Contains(string(b), "{") {
		t.Errorf("journal lines carry a time stamp or JSON:\n%s", b)
	}

	// Another file (a pipe, a log file) still gets JSON lines.
	other, _ := os.Create(filepath.Join(t.TempDir(), "other"))
	defer other.Close()
	jl := New(other, "info")
	jl.Info().Msg("x")
	b, _ = os.ReadFile(other.Name())
	if !strings.HasPrefix(string(b), "{") {
		t.Errorf("not the journal: %q, want JSON", b)
	}
}
