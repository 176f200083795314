package testkit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// GoBuild runs "go build" with args, with env added to this process's
// environment, and fails the test with the compiler's output if it fails.
// The end-to-end tests run the binaries it builds as real processes.
func GoBuild(t testing.TB, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Proc is a program a test runs as a real child process, with its stdout
// and stderr in a log file. One still running when the test ends is
// killed.
type Proc struct {
	Name   string
	Log    string // the file with what it wrote
	cmd    *exec.Cmd
	exited chan struct{} // closed once it has ended and its output is in Log
	err    error         // how it ended, once exited is closed
}

// StartProc starts argv as name, appending its output to the file log.
// onLine, if not nil, is called with each line it writes, as it writes
// it (for a test that times a line's arrival).
func StartProc(t testing.TB, name, log string, onLine func(string), argv ...string) *Proc {
	t.Helper()
	f, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	p := &Proc{Name: name, Log: log, cmd: cmd, exited: make(chan struct{})}
	var pw *io.PipeWriter
	lines := make(chan struct{})
	if onLine == nil {
		cmd.Stdout, cmd.Stderr = f, f
		close(lines)
	} else {
		var pr *io.PipeReader
		pr, pw = io.Pipe()
		cmd.Stdout, cmd.Stderr = pw, pw
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(pr)
			for sc.Scan() {
				fmt.Fprintln(f, sc.Text())
				onLine(sc.Text())
			}
			io.Copy(io.Discard, pr) // a line too long to scan: the rest is dropped, not blocked on
		}()
	}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		if pw != nil {
			pw.Close()
		}
		<-lines
		f.Close()
		close(p.exited)
	}()
	t.Cleanup(p.Kill)
	return p
}

// Exited is closed once the process has ended; Err then says how.
func (p *Proc) Exited() <-chan struct{} { return p.exited }

// Err is how the process ended: nil for a clean exit. Only valid once
// Exited is closed.
func (p *Proc) Err() error { return p.err }

// Kill ends the process with SIGKILL, so no deferred function runs and
// nothing is flushed, and waits until it has ended. A process that has
// already ended is left as it was.
func (p *Proc) Kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Kill()
	<-p.exited
}

// ErrIgnoredTerm is Stop's answer when SIGTERM did not end the process.
var ErrIgnoredTerm = errors.New("ignored SIGTERM for 30 s, killed")

// Stop asks the process to end with SIGTERM, as systemd or Ctrl-C would,
// and returns how it ended; one still running after 30 s is killed.
func (p *Proc) Stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return p.err
	case <-time.After(30 * time.Second):
		p.Kill()
		return ErrIgnoredTerm
	}
}

// Output is what the process has written so far.
func (p *Proc) Output(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(p.Log)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
