package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/internal/boltcheck"
)

// A damaged file must stop the agent with a message an operator can act
// on, never a crash, a silent empty store, or a shop running on corrupt
// pages that panic later. So Open checks the file before anything reads
// it in earnest:
//
//   - beside every store that has been opened lies a marker
//     (MarkerSuffix); a missing or empty file with a marker is data lost,
//     not a first start, and Open refuses it;
//   - boltcheck follows every pointer in the file, bounds checked, then
//     runs bbolt's own consistency check, within Options.CheckTimeout;
//   - with Options.Backup, a file that passed the check is copied to
//     BackupSuffix when the copy there is a day old or missing, and again
//     on a clean Close: the newest good copy is never older than a day.

// FileName is the store's file name in the agent's data directory.
const FileName = "tokri.db"

// Files kept beside the store.
const (
	MarkerSuffix = ".present" // "this store had data": its absence is not a first start
	BackupSuffix = ".bak"     // the last copy that passed the check
)

// backupEvery is how old the backup may get while the agent runs.
const backupEvery = 24 * time.Hour

// DefaultCheckTimeout bounds the consistency check at open. A store kept
// small by retention checks in well under a second on a Pi.
const DefaultCheckTimeout = time.Minute

// ErrDamaged means the store file failed its check at open; the
// *DamagedError that wraps it says what to do.
var ErrDamaged = errors.New("store: file damaged")

// DamagedError is why Open refused a file, and how to restore it.
type DamagedError struct {
	Path   string
	Backup string    // path of the backup, "" if there is none
	At     time.Time // when the backup was made
	Cause  string
}

func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "store %s is damaged (%s); the agent will not run on it.\n", e.Path, e.Cause)
	switch {
	case e.Backup != "" && filepath.Base(e.Path) == FileName:
		fmt.Fprintf(&b, "The last good copy is %s, made %s. To restore it: stop tokri (sudo systemctl stop tokri), then\n", e.Backup, e.At.UTC().Format("2006-01-02 15:04 UTC"))
		fmt.Fprintf(&b, "  tokri restore --data %s %s\n", filepath.Dir(e.Path), e.Backup)
		fmt.Fprintf(&b, "(it keeps the damaged file as %s.before-restore) and start tokri again. ", e.Path)
		b.WriteString("Messages and orders since that copy are lost unless the damaged file can be repaired.")
	case e.Backup != "":
		fmt.Fprintf(&b, "The last good copy is %s, made %s. To restore it: stop tokri, then\n", e.Backup, e.At.UTC().Format("2006-01-02 15:04 UTC"))
		fmt.Fprintf(&b, "  mv %s %s.damaged && cp %s %s\n", e.Path, e.Path, e.Backup, e.Path)
		b.WriteString("and start tokri again. Messages and orders since that copy are lost unless the damaged file can be repaired.")
	default:
		fmt.Fprintf(&b, "There is no backup (%s%s). To start again with an empty store, losing its orders: stop tokri, then\n", e.Path, BackupSuffix)
		fmt.Fprintf(&b, "  mv %s %s.damaged; rm -f %s%s\n", e.Path, e.Path, e.Path, MarkerSuffix)
		b.WriteString("and start tokri again.")
	}
	return b.String()
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

func damaged(path, cause string) *DamagedError {
	e := &DamagedError{Path: path, Cause: cause}
	if fi, err := os.Stat(path + BackupSuffix); err == nil && fi.Size() > 0 {
		e.Backup, e.At = path+BackupSuffix, fi.ModTime()
	}
	return e
}

// precheck refuses a missing or empty file where a store had been.
func precheck(path string) error {
	_, merr := os.Stat(path + MarkerSuffix)
	if merr != nil {
		return nil // never opened: a first start
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return damaged(path, "the file is missing but the store had data")
	case err != nil:
		return fmt.Errorf("open store %s: %w", path, err)
	case fi.Size() == 0:
		return damaged(path, "the file is empty but the store had data")
	}
	return nil
}

// openChecked opens path through boltcheck, turning a failure of the file
// into a *DamagedError that says how to restore it.
func openChecked(path string, opts *bbolt.Options, timeout time.Duration) (*bbolt.DB, error) {
	b, err := boltcheck.Open(path, opts, timeout)
	var d *boltcheck.DamageError
	switch {
	case errors.As(err, &d):
		return nil, damaged(path, d.Cause)
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open store %s: another process has it open: %w", path, err)
	}
	return b, err
}

// markPresent writes the marker beside a store that opened clean.
func markPresent(path string) error {
	m := path + MarkerSuffix
	if _, err := os.Stat(m); err == nil {
		return nil
	}
	text := "The store " + filepath.Base(path) + " beside this file holds data. If it is ever missing or empty,\n" +
		"restore " + filepath.Base(path) + BackupSuffix + " rather than start again with an empty store.\n"
	return writeFileSync(m, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
}

// Backup copies the store, as one consistent read transaction, to
// path+BackupSuffix (written beside it and renamed, so a crash leaves the
// old copy whole).
func (db *DB) Backup() error {
	path := db.bolt.Path()
	err := writeFileSync(path+BackupSuffix, func(w io.Writer) error {
		return db.bolt.View(func(tx *bbolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("back up store: %w", err)
	}
	db.log.Info().Str("backup", path+BackupSuffix).Msg("store backed up")
	return nil
}

// backupIfOld backs the store up if its backup is missing or older than
// backupEvery.
func (db *DB) backupIfOld() error {
	fi, err := os.Stat(db.bolt.Path() + BackupSuffix)
	if err == nil && time.Since(fi.ModTime()) < backupEvery {
		return nil
	}
	return db.Backup()
}

// writeFileSync writes name through a temporary file beside it: write,
// fsync, rename, fsync the directory.
func writeFileSync(name string, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
