package serial

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked means another process has the serial port open. The error
// that wraps it is a *LockedError naming that process.
var ErrLocked = errors.New("serial port in use")

// lockDir holds the UUCP-style lock files (LCK..ttyUSB2) that minicom,
// screen, ModemManager and the like create and honour. Tests point it
// elsewhere.
var lockDir = "/var/lock"

// LockedError says who holds a serial port.
type LockedError struct {
	Path     string // the port as asked for
	PID      int    // the holder; 0 when no lock file names it
	LockFile string // the lock file naming the holder, if any
}

func (e *LockedError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("serial port %s is in use by process %d (lock file %s); stop that process or use another port",
			e.Path, e.PID, e.LockFile)
	}
	return fmt.Sprintf("serial port %s is in use by another process; stop it or use another port", e.Path)
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// portLock keeps a serial device for one process while a port is open: an
// flock on a descriptor of the device itself, which the kernel drops when
// the process dies however it dies, and the lock file of the convention
// other serial tools honour, which a dead holder leaves behind and the
// next process recognises as stale by its PID.
type portLock struct {
	dev  *os.File
	file string // the lock file we created; "" when the directory is not ours to write
}

// lockPort takes the lock on the device at path (a symlink is followed:
// the lock belongs to the device, not to one of its names).
func lockPort(path string) (*portLock, error) {
	dev := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		dev = real
	}
	f, err := os.OpenFile(dev, os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open serial port %s: %w", path, err)
	}
	lockFile := filepath.Join(lockDir, "LCK.."+filepath.Base(dev))
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			le := &LockedError{Path: path}
			if pid, ok := readLockPID(lockFile); ok {
				le.PID, le.LockFile = pid, lockFile
			}
			return nil, le
		}
		return nil, fmt.Errorf("lock serial port %s: %w", path, err)
	}
	l := &portLock{dev: f}
	created, err := createLockFile(lockFile)
	if err != nil {
		l.release()
		var le *LockedError
		if errors.As(err, &le) {
			le.Path = path
		}
		return nil, err
	}
	if created {
		l.file = lockFile
	}
	return l, nil
}

// createLockFile writes our PID to name, replacing a stale file. It
// reports false without an error when the directory cannot be written (a
// non-root agent on a system whose lock directory is root's): the flock
// still keeps the port.
func createLockFile(name string) (bool, error) {
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			// The HDB UUCP format: the PID in ten characters and a newline.
			_, werr := fmt.Fprintf(f, "%10d\n", os.Getpid())
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(name)
				return false, fmt.Errorf("write lock file %s: %w", name, errors.Join(werr, cerr))
			}
			return true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			if errors.Is(err, fs.ErrPermission) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.EROFS) {
				return false, nil
			}
			return false, fmt.Errorf("create lock file %s: %w", name, err)
		}
		pid, ok := readLockPID(name)
		if ok && pid != os.Getpid() && alive(pid) {
			return false, &LockedError{PID: pid, LockFile: name}
		}
		// Stale: its process is gone (or it is unreadable, or ours from
		// a port we lost without closing).
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("remove stale lock file %s: %w", name, err)
		}
	}
	return false, fmt.Errorf("create lock file %s: %w", name, fs.ErrExist)
}

// readLockPID reads the PID of a lock file, in the ASCII form or the old
// binary one (a 4-byte int).
func readLockPID(name string) (int, bool) {
	b, err := os.ReadFile(name)
	if err != nil || len(b) == 0 {
		return 0, false
	}
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
		return pid, true
	}
	if len(b) == 4 {
		pid := int(b[0]) | int(b[1])<<8 | int(b[2])<<16 | int(b[3])<<24
		return pid, pid > 0
	}
	return 0, false
}

// alive reports whether a process with that PID exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// release removes our lock file, if it still names us, and drops the flock.
func (l *portLock) release() {
	if l.file != "" {
		if pid, ok := readLockPID(l.file); ok && pid == os.Getpid() {
			os.Remove(l.file)
		}
	}
	l.dev.Close()
}
