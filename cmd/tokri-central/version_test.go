package main

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/version"
)

func TestVersionVerbs(t *testing.T) {
	old := version.Version
	t.Cleanup(func() { version.Version = old })
	version.Version = "v9.8.7"
	for _, verb := range []string{"version", "--version"} {
		if out := cli(t, verb); !strings.HasPrefix(out, "tokri-central v9.8.7 (") {
			t.Errorf("tokri-central %s printed %q", verb, out)
		}
	}
}
