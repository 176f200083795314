package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// buildBinaries builds tokri and tokri-console, stamped v0.0.0-test, into
// a fresh directory and returns it.
func buildBinaries(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	testkit.GoBuild(t, nil, "-ldflags=-X github.com/tokrihq/tokri/internal/version.Version=v0.0.0-test",
		"-o", dir+"/", "github.com/tokrihq/tokri/cmd/tokri", "github.com/tokrihq/tokri/cmd/tokri-console")
	return dir
}

// onPty runs cmd with a pty as its terminal and returns all it wrote. The
// pty never answers: a terminal query waits on it unanswered, as on a
// bare pty or a serial console. answerCursor makes it answer the cursor
// position query the way a terminal emulator does, for the console.
func onPty(t *testing.T, cmd *exec.Cmd, answerCursor bool, until string) string {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			out.Write(buf[:n])
			if answerCursor && bytes.Contains(buf[:n], []byte("\x1b[6n")) {
				tty.Write([]byte("\x1b[1;1R"))
			}
			if until != "" && bytes.Contains(out.Bytes(), []byte(until)) {
				tty.Write([]byte("q"))
				until = ""
			}
			if err != nil { // EIO once the command has exited
				return
			}
		}
	}()
	if err := cmd.Wait(); err != nil {
		t.Errorf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	<-read
	return out.String()
}

// TestVersionOnTerminalIsQuiet runs "tokri version" on a terminal: it
// must print its line and return to the prompt, with no escape sequence
// (the console's UI library, once linked into tokri, asked every terminal
// about its colours at start and waited for the answer).
func TestVersionOnTerminalIsQuiet(t *testing.T) {
	testtime.NoLeaks(t)
	dir := buildBinaries(t)
	for _, verb := range []string{"version", "--version"} {
		out := onPty(t, exec.Command(filepath.Join(dir, "tokri"), verb), false, "")
		if strings.Contains(out, "\x1b") {
			t.Errorf("tokri %s wrote an escape sequence on a terminal: %q", verb, out)
		}
		if !strings.HasPrefix(out, "tokri v0.0.0-test (") || !strings.HasSuffix(out, ")\r\n") || strings.Count(out, "\n") != 1 {
			t.Errorf("tokri %s on a terminal wrote %q, want its version line only", verb, out)
		}
	}
}

// TestConsoleVerb checks that "tokri console" becomes tokri-console, found
// beside tokri or on PATH, and says what to install when it is neither.
func TestConsoleVerb(t *testing.T) {
	testtime.NoLeaks(t)
	dir := buildBinaries(t)
	tokri := filepath.Join(dir, "tokri")
	empty := t.TempDir()
	run := func(bin, path string, args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "PATH="+path)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	t.Run("beside", func(t *testing.T) {
		out, err := run(tokri, empty, "console", "--lang", "xx")
		if err == nil || !strings.Contains(out, `tokri-console: --lang "xx": want en or hi`) {
			t.Errorf("tokri console --lang xx: %v, %q; want tokri-console's own answer", err, out)
		}
	})

	alone := t.TempDir()
	b, err := os.ReadFile(tokri)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(alone, "tokri"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Run("on PATH", func(t *testing.T) {
		out, err := run(filepath.Join(alone, "tokri"), dir, "console", "--lang", "xx")
		if err == nil || !strings.Contains(out, `tokri-console: --lang "xx": want en or hi`) {
			t.Errorf("tokri console --lang xx with tokri-console on PATH: %v, %q", err, out)
		}
	})
	t.Run("missing", func(t *testing.T) {
		out, err := run(filepath.Join(alone, "tokri"), empty, "console")
		if err == nil || !strings.Contains(out, "tokri-console binary, not found") || !strings.Contains(out, "go build ./cmd/tokri-console") {
			t.Errorf("tokri console without tokri-console: %v, %q; want a message naming the binary and how to get it", err, out)
		}
	})

	t.Run("draws", func(t *testing.T) {
		cmd := exec.Command(tokri, "console", "--data", t.TempDir(), "--config", "-")
		cmd.Env = append(os.Environ(), "TERM=xterm-256color", "NO_COLOR=1")
		out := onPty(t, cmd, true, "tokri run")
		if !strings.Contains(out, "The agent is not running. Start it (tokri run)") {
			t.Errorf("tokri console on a data directory with no agent drew %q", out)
		}
	})
}
