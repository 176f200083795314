package admin

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// bigCSV writes a generated catalog of n items as CSV to a file and
// returns its path and size.
func bigCSV(t testing.TB, dir string, n int) (string, int64) {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.WriteCSV(&buf, catalog.Generate(n, 9)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, int64(buf.Len())
}

// messagePath stands in for the agent taking in SMS while an import runs:
// small writes through the same store, each noting how many catalog items
// it saw committed. It returns a stop func giving those counts.
func messagePath(t *testing.T, db *store.DB) (stop func() []int) {
	var (
		mu   sync.Mutex
		seen []int
		quit = make(chan struct{})
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			default:
			}
			err := db.Update(func(tx *store.Tx) error {
				n := catalog.Count(tx.Bolt())
				mu.Lock()
				seen = append(seen, n)
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return func() []int {
		close(quit)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}

// A 16 MB catalog once ran as one write transaction: no SMS was taken in
// for minutes. Now it goes in batches the message path writes between,
// with progress a console can show.
func TestImport16MBInBatches(t *testing.T) {
	dir, db := seed.Data(t)
	c := dialAgent(t, dir, db)
	const n = 150_000 // 16.5 MB
	path, size := bigCSV(t, dir, n)
	if size < 16_000_000 {
		t.Fatalf("generated CSV is %d bytes, want 16 MB", size)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	stop := messagePath(t, db)
	var (
		polls     []ImportProgress
		importing atomic.Bool
	)
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		for !importing.Load() {
			p, err := c.ImportProgress(context.Background())
			if err == nil {
				polls = append(polls, p)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	res, err := c.ImportCatalog(context.Background(), f)
	importing.Store(true)
	<-pollDone
	seen := stop()
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != n {
		t.Errorf("added %d, want %d", res.Added, n)
	}
	final, err := c.ImportProgress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if final.State != ImportDone || final.Items != n || final.Done != n || final.Batches != (n+importBatch-1)/importBatch {
		t.Errorf("final progress %+v", final)
	}
	var sawCheck, sawPart bool
	for _, p := range polls {
		sawCheck = sawCheck || (p.State == ImportChecking && p.Checked > 0)
		sawPart = sawPart || (p.State == ImportImporting && p.Done > 0 && p.Done < p.Items)
	}
	if !sawCheck || !sawPart {
		t.Errorf("progress never showed the check (%v) or a part imported (%v) in %d polls", sawCheck, sawPart, len(polls))
	}
	between := 0
	for _, k := range seen {
		if k > 0 && k < n {
			between++
		}
	}
	if between == 0 {
		t.Errorf("no message-path write committed while the import ran (%d writes)", len(seen))
	}
	t.Logf("%d bytes, %d items in %d batches; longest batch held the writer %s; %d message-path writes between batches",
		size, n, final.Batches, final.LongestBatch, between)
}

// A client that goes away stops the import between batches.
func TestImportStopsWhenTheClientGoes(t *testing.T) {
	dir, db := seed.Data(t)
	c := dialAgent(t, dir, db)
	const n = 20_000
	path, _ := bigCSV(t, dir, n)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.ImportCatalog(ctx, f)
		errc <- err
	}()
	testtime.Until(t, "the first batches", func() bool {
		p, err := c.ImportProgress(context.Background())
		return err == nil && p.Done > 0
	})
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("import = %v, want cancelled", err)
	}
	testtime.Until(t, "the agent to stop", func() bool {
		p, err := c.ImportProgress(context.Background())
		return err == nil && p.State == ImportCancelled
	})
	count := func() int {
		var k int
		db.View(func(tx *store.Tx) error { k = catalog.Count(tx.Bolt()); return nil })
		return k
	}
	p, _ := c.ImportProgress(context.Background())
	if got := count(); got != p.Done || got >= n {
		t.Errorf("%d items in the catalog after a cancel at %d of %d", got, p.Done, n)
	}
}

// BenchmarkImport100k imports 100,000 lines and reports the heap and
// stacks the import grew by (peak, sampled), its time, and the longest a
// batch held the store's writer.
//
//	go test -run '^$' -bench Import100k -benchtime 1x ./agent/admin
func BenchmarkImport100k(b *testing.B) {
	dir, err := os.MkdirTemp("", "tk")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path, size := bigCSV(b, dir, 100_000)
	for range b.N {
		sub, err := os.MkdirTemp(dir, "run")
		if err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(filepath.Join(sub, DBName), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		svc := &service{db: db, now: time.Now}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse + ms.StackInuse
		peak := base
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse+ms.StackInuse)
			}
		}()
		start := time.Now()
		res, err := svc.importCSV(context.Background(), f)
		took := time.Since(start)
		close(stop)
		<-sampled
		f.Close()
		if err != nil || res.Added != 100_000 {
			b.Fatalf("import: %+v, %v", res, err)
		}
		p := svc.imports.get()
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-MiB")
		b.ReportMetric(took.Seconds(), "s/import")
		b.ReportMetric(float64(p.LongestBatch.Microseconds())/1000, "longest-batch-ms")
		b.ReportMetric(float64(size)/(1<<20), "csv-MiB")
		db.Close()
	}
}
