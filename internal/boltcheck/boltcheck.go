// Package boltcheck opens a bbolt file only once it has checked it, so
// that damage (a torn write, a card going bad) is an error a program can
// explain, never a crash: bbolt trusts the pointers in its file, and a bad
// one is a memory fault, some of them in goroutines no caller can recover.
// The agent's store and central's bbolt store both open through it.
package boltcheck

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DamageError is why a file failed its check.
type DamageError struct {
	Cause string
}

func (e *DamageError) Error() string { return "damaged: " + e.Cause }

// Open opens path with opts once the file has passed Tx; a missing or
// empty file is made new, as bbolt makes it. A lock another process holds
// is bbolt's ErrTimeout; every failure of the file itself (an error, a
// panic, a memory fault) is a *DamageError. With timeout above zero, a
// check that takes longer is a DamageError too; it goes on in the
// background and closes what it opened when it ends.
func Open(path string, opts *bbolt.Options, timeout time.Duration) (*bbolt.DB, error) {
	type result struct {
		b   *bbolt.DB
		err error
	}
	done := make(chan result, 1)
	openErr := func(err error) error {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return err
		}
		return &DamageError{Cause: err.Error()}
	}
	go func() {
		var b *bbolt.DB
		defer func() {
			if p := recover(); p != nil {
				if b != nil {
					b.Close()
				}
				done <- result{err: &DamageError{Cause: fmt.Sprintf("reading it failed: %v", p)}}
			}
		}()
		debug.SetPanicOnFault(true) // this goroutine only: a torn page faults
		// Check read-only first. Opened for writing, bbolt reads the
		// freelist inside Open, and a garbage one panics there, leaving
		// the file mapped (and so locked: the lock lives as long as the
		// mapping) with nothing returned to close, which would refuse a
		// restore. Read-only, the check reads the freelist in its own
		// goroutine, which reports a panic as a problem.
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			ro := *opts
			ro.ReadOnly = true
			if b, err = bbolt.Open(path, 0o600, &ro); err != nil {
				done <- result{err: openErr(err)}
				return
			}
			if err = b.View(Tx); err == nil && opts.ReadOnly {
				done <- result{b: b} // checked as asked: no second open
				return
			}
			b.Close()
			b = nil
			if err != nil {
				done <- result{err: &DamageError{Cause: "consistency check: " + err.Error()}}
				return
			}
		}
		var err error
		if b, err = bbolt.Open(path, 0o600, opts); err != nil {
			done <- result{err: openErr(err)}
			return
		}
		done <- result{b: b}
	}()
	var late <-chan time.Time
	if timeout > 0 {
		late = time.After(timeout)
	}
	select {
	case r := <-done:
		return r.b, r.err
	case <-late:
		go func() {
			if r := <-done; r.b != nil {
				r.b.Close()
			}
		}()
		return nil, &DamageError{Cause: fmt.Sprintf("the consistency check took more than %s", timeout)}
	}
}

// Tx checks the file under tx: its size against its meta, every pointer
// in it (checkPages), then bbolt's consistency check. It returns the first
// few problems as one error, nil if there are none. It reads the checker's
// channel to the end however many problems come: bbolt's checker is a
// goroutine that blocks on every problem until it is read and reads the
// file's pages until it has finished, so stopping at the first would leave
// it blocked for good, holding pages a closing transaction gives back.
func Tx(tx *bbolt.Tx) error {
	// A file cut short: its meta counts pages past the end, which the
	// check would read through the map and fault.
	if fi, err := os.Stat(tx.DB().Path()); err == nil && tx.Size() > fi.Size() {
		return fmt.Errorf("the file is %d bytes, its pages need %d: cut short", fi.Size(), tx.Size())
	}
	if err := checkPages(tx); err != nil {
		return err
	}
	var problems []string
	for err := range tx.Check() {
		if len(problems) < 3 {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
