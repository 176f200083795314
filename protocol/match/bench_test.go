package match

import (
	"runtime"
	"testing"
)

// benchQueries are what one inbound message asks the matcher, typos and
// Hinglish included.
var benchQueries = []string{
	"atta 5kg", "cheeni", "sarson tel 1l", "biskut", "aashirwad atta", "doodh",
	"chawal basmati", "haldi powdr", "toothpste", "moong dal 1 kg", "नमक", "xqzt",
}

// BenchmarkMatch is one query against a 5,000-item catalog (target: well
// under 1 ms on a Pi-class CPU).
func BenchmarkMatch(b *testing.B) {
	x := New(genCatalog(5000, 1))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.Find(benchQueries[i%len(benchQueries)], 8)
	}
}

func BenchmarkNew(b *testing.B) {
	items := genCatalog(5000, 1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		New(items)
	}
}

// The index of a 5,000-item catalog must stay light enough for a Pi with
// other work to do.
func TestIndexMemory(t *testing.T) {
	items := genCatalog(5000, 1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := New(items)
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("index of %d items: %d terms, %d deletion keys, %.1f MiB", x.Len(), len(x.terms), len(x.dels), float64(used)/(1<<20))
	if used > 16<<20 {
		t.Errorf("index of 5,000 items uses %.1f MiB, want under 16", float64(used)/(1<<20))
	}
	runtime.KeepAlive(x)
}
