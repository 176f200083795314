// Package golden compares a test's output with a file under testdata and
// rewrites the file when the test runs with -update, so that the help and
// messages a person reads are pinned word for word and reviewed as text.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// Check compares got with testdata/name, or writes it there with -update.
func Check(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from what the code prints (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Updating says whether the test runs with -update, for a test that
// rewrites a file of its own (the README's command reference).
func Updating() bool { return *update }
