package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
)

// A catalog import must never hold the store's one writer for long: the
// agent takes in SMS through the same writer. So an import reads the CSV
// twice, never holding more than a batch of items: first it copies the
// body to a file beside the store while it checks every line (nothing is
// imported if any is bad), then it imports the file importBatch items per
// transaction, letting the message path in between. A client that goes
// away stops it between batches; the batches before stay (each item is
// whole, and importing the file again finishes the job).

// importBatch is the items written per transaction: a few tens of
// milliseconds of work on a Pi.
const importBatch = 250

// maxImportBody bounds a catalog CSV sent to the admin API. It is spooled
// to disk, not memory.
const maxImportBody = 64 << 20

// Import states.
const (
	ImportChecking  = "checking"  // reading and checking every line
	ImportImporting = "importing" // writing batches
	ImportDone      = "done"
	ImportFailed    = "failed" // bad lines (nothing imported) or an error
	ImportCancelled = "cancelled"
)

// ImportProgress is what the running (or the last) catalog import has
// done, for a console's progress bar: Checked of the file's lines while
// checking, then Done of Items while importing.
type ImportProgress struct {
	State     string    `json:"state,omitempty"` // "" when there has been none
	Checked   int       `json:"checked"`         // lines read so far
	Items     int       `json:"items"`           // good lines, known once checked
	Done      int       `json:"done"`            // items written
	Added     int       `json:"added"`
	Updated   int       `json:"updated"`
	Batches   int       `json:"batches"`
	StartedAt time.Time `json:"started_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
	// LongestBatch is the longest one batch held the store's writer.
	LongestBatch time.Duration `json:"longest_batch_ns"`
	Error        string        `json:"error,omitempty"`
}

// imports holds the progress of the one import that may run at a time.
type imports struct {
	mu       sync.Mutex // guards following
	progress ImportProgress
	running  bool
}

func (im *imports) get() ImportProgress {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.progress
}

func (im *imports) update(fn func(p *ImportProgress)) {
	im.mu.Lock()
	defer im.mu.Unlock()
	fn(&im.progress)
}

// importCSV checks the whole CSV, then imports it in batches. It adds
// nothing unless every line is good, and stops between batches when ctx
// ends.
func (s *service) importCSV(ctx context.Context, r io.Reader) (catalog.ImportResult, error) {
	im := &s.imports
	im.mu.Lock()
	if im.running {
		im.mu.Unlock()
		return catalog.ImportResult{}, &Error{Code: CodeConflict, Field: "import", Msg: "a catalog import is already running"}
	}
	im.running = true
	im.progress = ImportProgress{State: ImportChecking, StartedAt: s.now().UTC()}
	im.mu.Unlock()

	res, err := s.runImport(ctx, r)
	im.mu.Lock()
	p := &im.progress
	p.EndedAt = s.now().UTC()
	switch {
	case err == nil:
		p.State = ImportDone
	case ctx.Err() != nil:
		p.State, p.Error = ImportCancelled, "the client went away"
	default:
		p.State, p.Error = ImportFailed, err.Error()
	}
	im.running = false
	done := *p
	im.mu.Unlock()
	ev := s.log.Info()
	if err != nil {
		ev = s.log.Warn().Str("state", done.State)
	}
	ev.Int("added", res.Added).Int("updated", res.Updated).Int("batches", done.Batches).
		Dur("longest_batch", done.LongestBatch).Msg("catalog import")
	return res, err
}

func (s *service) runImport(ctx context.Context, r io.Reader) (catalog.ImportResult, error) {
	im := &s.imports
	f, err := os.CreateTemp(filepath.Dir(s.db.Bolt().Path()), "import-*.csv")
	if err != nil {
		return catalog.ImportResult{}, internal("import catalog: spool", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()

	// Pass 1: copy to disk while checking every line.
	lines := 0
	err = catalog.ScanCSV(io.TeeReader(r, f), func(catalog.Item) error {
		if lines++; lines%importBatch == 0 {
			im.update(func(p *ImportProgress) { p.Checked = lines })
			return ctx.Err()
		}
		return nil
	})
	var ce *catalog.CSVError
	switch {
	case errors.As(err, &ce):
		return catalog.ImportResult{}, &Error{Code: CodeBadCSV, Msg: csvSummary(ce), Problems: ce.Problems, err: err}
	case ctx.Err() != nil:
		return catalog.ImportResult{}, ctx.Err()
	case err != nil:
		return catalog.ImportResult{}, &Error{Code: CodeBadCSV, Msg: "catalog csv: " + err.Error(), err: err}
	}
	im.update(func(p *ImportProgress) { p.State, p.Checked, p.Items = ImportImporting, lines, lines })
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return catalog.ImportResult{}, internal("import catalog: rewind", err)
	}

	// Pass 2: import in batches.
	var res catalog.ImportResult
	batch := make([]catalog.Item, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var got catalog.ImportResult
		start := time.Now()
		err := s.db.Update(func(tx *store.Tx) error {
			var err error
			got, err = catalog.Import(tx.Bolt(), batch)
			return err
		})
		took := time.Since(start)
		if err != nil {
			return internal("import catalog", err)
		}
		res.Added += got.Added
		res.Updated += got.Updated
		im.update(func(p *ImportProgress) {
			p.Done += len(batch)
			p.Added, p.Updated = res.Added, res.Updated
			p.Batches++
			p.LongestBatch = max(p.LongestBatch, took)
		})
		batch = batch[:0]
		return nil
	}
	err = catalog.ScanCSV(f, func(it catalog.Item) error {
		batch = append(batch, it)
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		var e *Error
		if errors.As(err, &e) {
			return res, err
		}
		return res, internal("import catalog", fmt.Errorf("read back: %w", err))
	}
	return res, nil
}
