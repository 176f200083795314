package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/hardware/vmodem"
)

// targetCommits is the most write transactions one inbound SMS may cost
// whatever its reply's length: intake with handling, the record of all
// the reply's parts, and its one delivery report (asked on the last part).
// Each is two fdatasyncs on an SD card.
const targetCommits = 3.0

// costRun is what one run of messages cost the agent's store.
type costRun struct {
	messages   int
	commits    uint64
	segments   int // reply segments sent
	fdatasyncs int // -1 without strace
	writeBytes int64
}

// costs sends n messages at 5 a second (one at a time, as a shop sees
// them, so no two share a commit) and reads what they cost: commits from
// the agent's status, fdatasync and fsync calls by attaching strace to the
// agent (when installed), and bytes written to storage from
// /proc/PID/io.
func (c *BenchMain) costs(ctx context.Context, phone *vmodem.Client, agent *agentProcess, data string, n int) (costRun, error) {
	cl := admin.Dial(filepath.Join(data, admin.SocketName))
	// Delivery reports of the earlier runs come in for a while.
	st0, err := settled(ctx, cl)
	if err != nil {
		return costRun{}, fmt.Errorf("agent status: %w", err)
	}
	io0, err := agent.ioBytes()
	if err != nil {
		return costRun{}, err
	}
	trace, err := startStrace(agent.cmd.Process.Pid)
	if err != nil {
		return costRun{}, err
	}
	if _, err := c.round(ctx, phone, "+917300000000", n, 200*time.Millisecond, 2*time.Minute); err != nil {
		trace.stop()
		return costRun{}, err
	}
	// The replies' delivery reports come after them.
	st1, err := settled(ctx, cl)
	if err != nil {
		trace.stop()
		return costRun{}, err
	}
	syncs, err := trace.stop()
	if err != nil {
		return costRun{}, fmt.Errorf("agent status: %w", err)
	}
	io1, err := agent.ioBytes()
	if err != nil {
		return costRun{}, err
	}
	return costRun{messages: n, commits: st1.StoreCommits - st0.StoreCommits, segments: st1.Queues.SentToday - st0.Queues.SentToday,
		fdatasyncs: syncs, writeBytes: io1 - io0}, nil
}

// settled is the agent's status once its store has made no commit for
// two seconds (at most 30 s).
func settled(ctx context.Context, cl *admin.Client) (admin.Status, error) {
	var last admin.Status
	still := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && still < 4; {
		st, err := cl.Status(ctx)
		if err != nil {
			return admin.Status{}, fmt.Errorf("agent status: %w", err)
		}
		if st.StoreCommits == last.StoreCommits {
			still++
		} else {
			still = 0
		}
		last = st
		time.Sleep(500 * time.Millisecond)
	}
	return last, nil
}

func (r costRun) print(c *BenchMain) {
	per := func(n float64) float64 { return n / float64(r.messages) }
	commits := per(float64(r.commits))
	fmt.Fprintf(c.out, "per inbound SMS with its reply (%d at 5/s, %.2f reply segments each): %.2f commits   target <= %.0f  %s\n",
		r.messages, per(float64(r.segments)), commits, targetCommits, verdict(commits <= targetCommits+0.05))
	if r.fdatasyncs >= 0 {
		fmt.Fprintf(c.out, "  %.2f fdatasync+fsync calls (strace)", per(float64(r.fdatasyncs)))
	} else {
		fmt.Fprintf(c.out, "  fdatasyncs not counted (no strace; bbolt makes two per commit)")
	}
	fmt.Fprintf(c.out, "   %.1f KB written to storage (/proc write_bytes)\n", per(float64(r.writeBytes))/1024)
}

// ioBytes is the agent's write_bytes from /proc/PID/io: bytes it caused
// to be written to storage.
func (p *agentProcess) ioBytes() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", p.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("agent io: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, fmt.Errorf("agent io: no write_bytes in /proc/%d/io", p.cmd.Process.Pid)
}

// straceRun counts a process's sync calls while it runs.
type straceRun struct {
	cmd *exec.Cmd
	out string
}

// startStrace attaches strace to every thread of pid, counting fdatasync
// and fsync; without strace it returns a run whose stop reports -1.
func startStrace(pid int) (*straceRun, error) {
	path, err := exec.LookPath("strace")
	if err != nil {
		return &straceRun{}, nil
	}
	f, err := os.CreateTemp("", "tokri-strace-")
	if err != nil {
		return nil, err
	}
	f.Close()
	cmd := exec.Command(path, "-f", "-c", "-e", "trace=fdatasync,fsync", "-o", f.Name(), "-p", strconv.Itoa(pid))
	if err := cmd.Start(); err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	time.Sleep(500 * time.Millisecond) // attached to every thread
	return &straceRun{cmd: cmd, out: f.Name()}, nil
}

// stop detaches strace and returns the calls it counted.
func (s *straceRun) stop() (int, error) {
	if s.cmd == nil {
		return -1, nil
	}
	defer os.Remove(s.out)
	s.cmd.Process.Signal(syscall.SIGINT)
	s.cmd.Wait()
	b, err := os.ReadFile(s.out)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || (f[len(f)-1] != "fdatasync" && f[len(f)-1] != "fsync") {
			continue
		}
		calls, err := strconv.Atoi(f[3])
		if err != nil {
			return 0, fmt.Errorf("strace summary %q: %w", line, err)
		}
		n += calls
	}
	return n, nil
}
