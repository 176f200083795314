package serial

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/creack/pty"
)

// holdEnv makes the test binary a second process that opens the port
// named there, says "held" and keeps it until its stdin closes.
const holdEnv = "TOKRI_SERIAL_TEST_HOLD"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tokri-serial-lock-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if d := os.Getenv(holdEnv + "_DIR"); d != "" {
		lockDir = d
	} else {
		lockDir = dir
	}
	if path := os.Getenv(holdEnv); path != "" {
		p, err := Open(path, 115200)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("held")
		bufio.NewReader(os.Stdin).ReadString('\n')
		p.Close()
		os.Exit(0)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newPTY returns the master and the slave's name; the slave is free to be
// opened.
func newPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("pty.Open: %v", err)
	}
	name := slave.Name()
	slave.Close()
	t.Cleanup(func() { master.Close() })
	return master, name
}

// holder is another process holding a port.
type holder struct {
	cmd   *exec.Cmd
	stdin interface{ Close() error }
}

func startHolder(t *testing.T, path string) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path, holdEnv+"_DIR="+lockDir)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &holder{cmd: cmd, stdin: in}
	t.Cleanup(func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "held" {
		t.Fatalf("holder process: %q %v", line, err)
	}
	return h
}

func lockFileOf(t *testing.T, path string) string {
	t.Helper()
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(lockDir, "LCK.."+filepath.Base(real))
}

// A second process cannot open a port another holds; the error names the
// holder's PID. Once the holder is killed (no clean-up: its lock file
// stays), the port opens again and the stale lock file is replaced.
func TestSecondProcessRefused(t *testing.T) {
	_, name := newPTY(t)
	h := startHolder(t, name)
	lf := lockFileOf(t, name)
	if pid, ok := readLockPID(lf); !ok || pid != h.cmd.Process.Pid {
		t.Fatalf("lock file %s names %d (%v), want the holder %d", lf, pid, ok, h.cmd.Process.Pid)
	}

	_, err := Open(name, 115200)
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("Open while held: %v, want ErrLocked", err)
	}
	if le.PID != h.cmd.Process.Pid || !strings.Contains(err.Error(), strconv.Itoa(h.cmd.Process.Pid)) {
		t.Errorf("error %q (pid %d), want the holder's pid %d named", err, le.PID, h.cmd.Process.Pid)
	}

	h.cmd.Process.Signal(syscall.SIGKILL)
	h.cmd.Wait()
	if _, err := os.Stat(lf); err != nil {
		t.Fatalf("the killed holder's lock file should remain: %v", err)
	}
	p, err := Open(name, 115200)
	if err != nil {
		t.Fatalf("Open after the holder died: %v", err)
	}
	if pid, _ := readLockPID(lf); pid != os.Getpid() {
		t.Errorf("lock file names %d, want us (%d)", pid, os.Getpid())
	}
	p.Close()
	if _, err := os.Stat(lf); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after Close: %v", err)
	}
}

// A lock file whose process is gone does not keep the port.
func TestStaleLockFile(t *testing.T) {
	_, name := newPTY(t)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	lf := lockFileOf(t, name)
	if err := os.WriteFile(lf, []byte(fmt.Sprintf("%10d\n", dead.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Open(name, 115200)
	if err != nil {
		t.Fatalf("Open with a stale lock file: %v", err)
	}
	defer p.Close()
	if pid, _ := readLockPID(lf); pid != os.Getpid() {
		t.Errorf("lock file names %d, want us (%d)", pid, os.Getpid())
	}
}

// The lock belongs to the device: a symlink (/dev/serial/by-id/...) and
// the device's own name are one port.
func TestLockFollowsSymlink(t *testing.T) {
	_, name := newPTY(t)
	link := filepath.Join(t.TempDir(), "modem")
	if err := os.Symlink(name, link); err != nil {
		t.Fatal(err)
	}
	p, err := Open(link, 115200)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := Open(name, 115200); !errors.Is(err, ErrLocked) {
		t.Errorf("Open by the device's own name: %v, want ErrLocked", err)
	}
}

// Without a lock directory it may write (a non-root agent), the flock alone
// keeps the port.
func TestLockWithoutLockDir(t *testing.T) {
	saved := lockDir
	lockDir = filepath.Join(t.TempDir(), "missing")
	defer func() { lockDir = saved }()
	_, name := newPTY(t)
	p, err := Open(name, 115200)
	if err != nil {
		t.Fatalf("Open without a lock directory: %v", err)
	}
	defer p.Close()
	_, err = Open(name, 115200)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != 0 {
		t.Errorf("second Open: %v, want ErrLocked without a PID", err)
	}
}
