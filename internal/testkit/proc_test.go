package testkit_test

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func TestProc(t *testing.T) {
	dir := t.TempDir()
	lines := make(chan string, 4)
	p := testkit.StartProc(t, "sh", filepath.Join(dir, "sh.log"), func(l string) { lines <- l }, "sh", "-c", "echo hello; exec sleep 60")
	select {
	case l := <-lines:
		if l != "hello" {
			t.Errorf("onLine got %q, want hello", l)
		}
	case <-time.After(testtime.Deadline):
		t.Fatal("no line")
	}
	// sleep dies of the signal: that is no clean exit.
	var exit *exec.ExitError
	if err := p.Stop(); err == nil || !errors.As(err, &exit) {
		t.Errorf("Stop of a process killed by SIGTERM: %v, want an exit error", err)
	}
	if out := p.Output(t); out != "hello\n" {
		t.Errorf("log %q, want hello", out)
	}

	q := testkit.StartProc(t, "exit3", filepath.Join(dir, "exit3.log"), nil, "sh", "-c", "echo bye >&2; exit 3")
	<-q.Exited()
	if q.Err() == nil || !strings.Contains(q.Err().Error(), "exit status 3") {
		t.Errorf("Err %v, want exit status 3", q.Err())
	}
	if out := q.Output(t); out != "bye\n" {
		t.Errorf("log %q: stderr belongs in it", out)
	}
	q.Kill() // ended already: nothing to do, and no hang
}
