package version

import (
	"runtime"
	"strings"
	"testing"
)

func TestStampedVersionWins(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "v1.2.3-4-gabcdef"
	if got := String(); got != "v1.2.3-4-gabcdef" {
		t.Fatalf("String() = %q, want the stamped version", got)
	}
	line := Line("tokri")
	if !strings.HasPrefix(line, "tokri v1.2.3-4-gabcdef (") || !strings.Contains(line, runtime.GOOS+"/") {
		t.Fatalf("Line = %q", line)
	}
}

func TestUnstampedVersionFallsBack(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = ""
	if got := String(); got == "" {
		t.Fatal("String() is empty without a stamp; want a fallback")
	}
}
