// Package backup copies, restores and compacts the agent's store file so
// an SD card's only copy of a shop's orders can be saved to another disk
// by the operator or a cron job, put back after a card dies, and shrunk
// after retention has deleted a lot. Every file it writes is written to a
// temporary name, checked, synced and renamed, so a power cut leaves
// either the old file or the new one, never half of one.
package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/internal/boltcheck"
)

// ErrInUse means the agent has the store open: stop it first (restore,
// compact), or go through it (backup).
var ErrInUse = errors.New("the store is in use by the running agent")

// lockWait is how long to wait for bbolt's file lock before deciding the
// agent holds it.
const lockWait = time.Second

// Source writes a consistent copy of a store to w.
type Source func(w io.Writer) error

// FromFile is a Source that reads the store file at path while no agent
// runs (a read-only open shares the lock with other readers only).
func FromFile(path string) Source {
	return func(w io.Writer) error {
		db, err := open(path, true)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.View(func(tx *bbolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	}
}

// Write makes dst from src: a temporary file beside dst, checked as a
// whole bbolt file, synced and renamed. It returns dst's size.
func Write(dst string, src Source) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing is there
	if err := src(tmp); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("backup: copy the store: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := Check(tmp.Name()); err != nil {
		return 0, fmt.Errorf("backup: the copy does not check: %w", err)
	}
	return place(tmp.Name(), dst)
}

// Check opens path as a store file and walks all of it.
func Check(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := boltcheck.Open(path, &bbolt.Options{Timeout: lockWait, ReadOnly: true}, 0)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return ErrInUse
	}
	if err != nil {
		return err
	}
	return db.Close()
}

// BeforeRestoreSuffix names the copy Restore keeps of the file it replaced.
const BeforeRestoreSuffix = ".before-restore"

// Restore puts the backup at src in place of the store at dbPath. The
// agent must be stopped: the store file's lock tells, without reading the
// file as a store, so a damaged or empty store (which the agent refuses
// and bbolt may not open) is replaced like a good one. The file it
// replaces is kept, byte for byte, as dbPath+BeforeRestoreSuffix.
func Restore(src, dbPath string) error {
	if err := Check(src); err != nil {
		return fmt.Errorf("restore: %s is not a good store file: %w", src, err)
	}
	var kept os.FileInfo // the replaced file, whose owner the new one takes
	cur, err := os.Open(dbPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// Nothing to keep: the card died, or the file is gone.
	case err != nil:
		return fmt.Errorf("restore: %w", err)
	default:
		defer cur.Close() // and with it the lock
		if err := lockFile(cur); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if kept, err = cur.Stat(); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if err := copyFile(cur, kept, dbPath+BeforeRestoreSuffix); err != nil {
			return fmt.Errorf("restore: keep the current store: %w", err)
		}
	}
	if _, err := Write(dbPath, FromFile(src)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if kept != nil {
		sameOwner(dbPath, kept) // root restoring for the service's user
	}
	return nil
}

// lockFile takes the lock bbolt takes on a store it opens for writing,
// waiting up to lockWait: ErrInUse while the agent (or a tool) has it.
func lockFile(f *os.File) error {
	end := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return fmt.Errorf("lock %s: %w", f.Name(), err)
		case time.Now().After(end):
			return ErrInUse
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// copyFile copies f's bytes (fi is its Stat) as they are (it need not be a good store) to
// dst: a temporary file beside it, synced and renamed.
func copyFile(f *os.File, fi os.FileInfo, dst string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, io.NewSectionReader(f, 0, 1<<62))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	os.Chmod(tmp.Name(), fi.Mode().Perm())
	sameOwner(tmp.Name(), fi)
	_, err = place(tmp.Name(), dst)
	return err
}

// sameOwner gives path the owner and group of fi's file where it can (as
// root): a store restored by root stays readable by the service's user.
func sameOwner(path string, fi os.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		os.Chown(path, int(st.Uid), int(st.Gid))
	}
}

// Compact rewrites the store at dbPath without its free pages (bbolt
// never gives space back by itself). The agent must be stopped. It
// returns the sizes before and after. A store that does not check is left
// alone: copying it would walk its damage, and the answer is a restore.
func Compact(dbPath string) (before, after int64, err error) {
	if err := Check(dbPath); err != nil {
		if errors.Is(err, ErrInUse) {
			return 0, 0, fmt.Errorf("compact: %w", err)
		}
		return 0, 0, fmt.Errorf("compact: %s does not check, restore a backup instead: %w", dbPath, err)
	}
	src, err := open(dbPath, false)
	if err != nil {
		return 0, 0, fmt.Errorf("compact: %w", err)
	}
	defer src.Close()
	fi, err := os.Stat(dbPath)
	if err != nil {
		return 0, 0, err
	}
	tmp := dbPath + ".compact"
	os.Remove(tmp)
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: lockWait})
	if err != nil {
		return 0, 0, fmt.Errorf("compact: %w", err)
	}
	err = bbolt.Compact(dst, src, 4<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = Check(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("compact: %w", err)
	}
	after, err = place(tmp, dbPath)
	return fi.Size(), after, err
}

// open opens a store file, telling a lock held by the agent apart from
// other errors.
func open(path string, readOnly bool) (*bbolt.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: lockWait, ReadOnly: readOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrInUse
	}
	return db, err
}

// place renames tmp to dst and syncs the directory, so the rename
// survives a power cut.
func place(tmp, dst string) (int64, error) {
	f, err := os.Open(tmp)
	if err != nil {
		return 0, err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return 0, err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	fi, err := os.Stat(dst)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
