package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// The CLI shows a long import's progress on stderr.
func TestCLIShowsImportProgress(t *testing.T) {
	dir, db := seed.Data(t)
	c := admin.Dial(serveAdmin(t, dir, db))
	defer c.Close()
	var csv bytes.Buffer
	if err := catalog.WriteCSV(&csv, catalog.Generate(20_000, 9)); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	stop := showImportProgress(context.Background(), c, &out, 5*time.Millisecond)
	_, err := c.ImportCatalog(context.Background(), &csv)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "importing: ") || !strings.Contains(s, " of 20000 items") {
		t.Errorf("progress printed:\n%s", s)
	}
}
