package store

import (
	"errors"
	"fmt"
	"sync"

	"go.etcd.io/bbolt"
)

// Writes go through a group commit. Every write transaction costs a
// couple of fsyncs, which on a Pi's SD card are milliseconds each; when
// several goroutines write at once (the modem's intake, the loop's
// Handle, the sender), their functions run one after another in a single
// transaction and share the fsyncs. Nobody waits for a timer: a writer
// that finds no commit in progress leads one at once, with whatever is
// queued; writers arriving meanwhile queue up for the next. Unlike
// bbolt's Batch, a lone writer pays no delay.
//
// Because a function that fails rolls back the whole transaction, the
// others in its group run again in a new one. So every function given to
// update must be safe to run twice: all its effects go through the
// transaction. A function that fails before writing anything returns
// clean(err), and the rest of its group commits without a rerun.

// maxGroup bounds how many functions share one transaction.
const maxGroup = 128

type groupCommit struct {
	mu      sync.Mutex // guards following
	queue   []*commitOp
	leading bool // a goroutine is committing, and will hand over or clear this
}

type commitOp struct {
	fn       func(tx *bbolt.Tx) error
	err      error
	panicked any
	wake     chan bool // true: lead the next group; false: done
}

// cleanErr marks an error returned before any write.
type cleanErr struct{ err error }

func (e cleanErr) Error() string { return e.err.Error() }
func (e cleanErr) Unwrap() error { return e.err }

func clean(err error) error { return cleanErr{err} }

var errPanicked = errors.New("panic in a write transaction")

// update runs fn in a write transaction, possibly shared with other
// writers, and returns once that transaction committed or fn failed.
func (db *DB) update(fn func(tx *bbolt.Tx) error) error {
	op := &commitOp{fn: fn, wake: make(chan bool, 1)}
	g := &db.group
	g.mu.Lock()
	g.queue = append(g.queue, op)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead && !<-op.wake {
		return op.result()
	}

	// Lead: commit what is queued, this op first among them.
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	group := append([]*commitOp(nil), g.queue[:n]...)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	g.mu.Unlock()

	db.commitGroup(group)
	for _, o := range group {
		if o != op {
			o.wake <- false
		}
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].wake <- true
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return op.result()
}

func (op *commitOp) result() error {
	if op.panicked != nil {
		panic(op.panicked)
	}
	return op.err
}

func (op *commitOp) run(tx *bbolt.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			op.panicked = r
			err = errPanicked
		}
	}()
	return op.fn(tx)
}

// commitGroup commits the ops in one transaction, dropping any op that
// fails and running the rest again.
func (db *DB) commitGroup(group []*commitOp) {
	for len(group) > 0 {
		failed := -1
		err := db.bolt.Update(func(tx *bbolt.Tx) error {
			for i, op := range group {
				op.err, op.panicked = nil, nil
				err := op.run(tx)
				var c cleanErr
				switch {
				case err == nil:
				case errors.As(err, &c):
					op.err = c.err
				default:
					failed, op.err = i, err
					return err
				}
			}
			return nil
		})
		switch {
		case err == nil:
			db.commits.Add(1)
			return
		case failed >= 0:
			group = append(group[:failed:failed], group[failed+1:]...)
		default:
			for _, op := range group {
				op.err = fmt.Errorf("commit: %w", err)
			}
			return
		}
	}
}
