package config

import (
	"errors"
	"testing"
	"time"
)

func TestParseOutboxAndRetention(t *testing.T) {
	c := mustParse(t, "[outbox]\nshare = 0.1\nreply_max_age = \"15m\"\n[retention]\nincomplete = \"2m\"\n")
	if c.Outbox.Share != 0.1 || c.Outbox.ReplyMaxAge.Duration != 15*time.Minute || c.Retention.Incomplete.Duration != 2*time.Minute || c.Retention.Keep.Duration != DefaultKeep {
		t.Errorf("parsed %+v %+v", c.Outbox, c.Retention)
	}
	_, err := Parse("tokri.toml", []byte("[outbox]\nshare = 2\nreply_max_age = \"72h\"\n[retention]\nkeep = \"1h\"\n"))
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 3 {
		t.Fatalf("bad values: %v, want three problems", err)
	}
	for i, want := range []string{"outbox.share", "outbox.reply_max_age", "retention.keep"} {
		if ce.Problems[i].Field != want || ce.Problems[i].Line == 0 {
			t.Errorf("problem %d = %+v, want %s with its line", i, ce.Problems[i], want)
		}
	}
}
