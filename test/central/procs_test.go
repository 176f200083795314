package central

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bins are the two binaries, built once for the test.
type bins struct {
	tokri, central string
}

// build compiles tokri and tokri-central into dir.
func build(t *testing.T, dir string) bins {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"github.com/tokrihq/tokri/cmd/tokri", "github.com/tokrihq/tokri/cmd/tokri-central")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bins{tokri: filepath.Join(dir, "tokri"), central: filepath.Join(dir, "tokri-central")}
}

// command runs bin with args to completion and returns its stdout; a
// failure is the error with stderr in it.
func command(bin string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// must is command, failing the test on error.
func must(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := command(bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustJSON runs a command that prints JSON and decodes it into v.
func mustJSON(t *testing.T, v any, bin string, args ...string) {
	t.Helper()
	out := must(t, bin, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%s %s printed no JSON: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// proc is a long-running child process with its output in a log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan error
}

func start(t *testing.T, dir, name, bin string, args ...string) *proc {
	t.Helper()
	log := filepath.Join(dir, name+".log")
	f, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	p := &proc{name: name, cmd: cmd, log: log, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); f.Close() }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// stop sends SIGTERM, as systemd or Ctrl-C would, and wants a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err // for Cleanup
		if err != nil {
			t.Fatalf("%s did not exit cleanly on SIGTERM: %v (log %s)", p.name, err, p.log)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s ignored SIGTERM for 30 s (log %s)", p.name, p.log)
	}
}

// output is what the process has written so far.
func (p *proc) output(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(p.log)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFor polls cond until it is true or the deadline passes; what is
// waited for is an event, so the deadline is generous.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// errExited is how a process that ended early shows up in waitLine.
var errExited = errors.New("process exited")

// waitLine waits until the process's output has a line containing substr
// and returns that line.
func (p *proc) waitLine(ctx context.Context, t *testing.T, substr string) string {
	t.Helper()
	var line string
	waitFor(ctx, t, fmt.Sprintf("%s to print %q", p.name, substr), func() bool {
		for _, l := range strings.Split(p.output(t), "\n") {
			if strings.Contains(l, substr) {
				line = l
				return true
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("%s: %v (%v) before printing %q:\n%s", p.name, errExited, err, substr, p.output(t))
		default:
		}
		return false
	})
	return line
}
