package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/backup"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// TestDiskFull runs the agent with its store on a 4 MB tmpfs, fills the
// disk and sends an SMS: the message must wait on the SIM, status must
// say the disk is full, and once space returns the message is taken and
// answered by itself, with the store file still whole.
func TestDiskFull(t *testing.T) {
	testtime.NoLeaks(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tokri-test", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount a 4 MB tmpfs (the test needs root): %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v: %s", err, out)
		}
	})
	vm := testkit.StartVModem(t, vmodem.Config{})
	data := filepath.Join(mnt, "data")
	var refused lineCount // the receiver's word each time the inbox turns a message away
	refused.substr = "kept on the modem"
	_, c, ctx := startAgentOn(t, vm, data, nil, &refused)
	testtime.Eventually(t, "the modem", func() (bool, string) {
		st, err := c.Status(ctx)
		return err == nil && st.Modem.State == "ready", fmt.Sprint(st.Modem, err)
	})

	filler := filepath.Join(mnt, "filler")
	fill(t, filler)
	var st admin.Status
	testtime.Eventually(t, "status to say the disk is full", func() (bool, string) {
		var err error
		st, err = c.Status(ctx)
		return err == nil && st.Disk != nil && st.Disk.State == "full", fmt.Sprint(st.Disk, err)
	})
	if !strings.Contains(st.Disk.Line(), "wait on the SIM") {
		t.Errorf("status disk line %q", st.Disk.Line())
	}

	const shopper = "+919811110002"
	if err := vm.Client.SendSMS(ctx, vmodem.SMS{From: shopper, Text: "2 aashirvaad atta 5kg"}); err != nil {
		t.Fatal(err)
	}
	// Several storage polls go by; the message stays on the SIM.
	testtime.Eventually(t, "the message to reach the SIM", func() (bool, string) {
		s, err := vm.Client.State(ctx)
		return err == nil && s.Storage.Used == 1, fmt.Sprint(s.Storage.Used, err)
	})
	before := refused.n()
	testtime.Until(t, "two storage polls to find the message and leave it", func() bool { return refused.n() >= before+2 })
	if s, _ := vm.Client.State(ctx); s.Storage.Used != 1 {
		t.Fatalf("with the disk full the SIM holds %d messages, want the 1 that waits", s.Storage.Used)
	}
	if sent, _ := vm.Client.Sent(ctx); len(sent) != 0 {
		t.Fatalf("answered with the disk full: %+v", sent)
	}

	// Space returns: the agent takes the message and answers by itself.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	testtime.Eventually(t, "the waiting message answered", func() (bool, string) {
		sent, err := vm.Client.Sent(ctx)
		return err == nil && len(sent) > 0 && sent[len(sent)-1].To == shopper, fmt.Sprint(len(sent), err)
	})
	testtime.Eventually(t, "the SIM emptied", func() (bool, string) {
		s, err := vm.Client.State(ctx)
		return err == nil && s.Storage.Used == 0, fmt.Sprint(s.Storage.Used, err)
	})
	if st, err := c.Status(ctx); err != nil || st.Disk.State != "ok" {
		t.Errorf("status after space returned: %+v %v", st.Disk, err)
	}
	// The store file is whole: an online backup of it checks.
	bak := filepath.Join(t.TempDir(), "b.db")
	if _, err := backup.Write(bak, func(w io.Writer) error { return c.Backup(ctx, w) }); err != nil {
		t.Fatalf("store after a full disk: %v", err)
	}
}

// fill writes to path until the disk refuses.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	// Whatever is left below a block goes too.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
}

// lineCount counts the log lines written to it that contain substr.
type lineCount struct {
	substr string
	mu     sync.Mutex // guards count
	count  int
}

func (l *lineCount) Write(p []byte) (int, error) {
	n := strings.Count(string(p), l.substr)
	l.mu.Lock()
	l.count += n
	l.mu.Unlock()
	return len(p), nil
}

func (l *lineCount) n() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}
