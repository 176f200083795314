package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

func TestCLIShopMessagesToday(t *testing.T) {
	dir := seed.ShortDir(t)
	db := seed.Open(t, dir)
	first, _ := seed.Shop(t, db)
	db.Close()

	// Offline: reading works from the file, pausing needs the agent.
	out, _, err := tokri(t, dir, "today")
	if err != nil || !strings.Contains(out, "2026-05-01: 2 orders (0 delivered, 2 open, 0 cancelled), Rs795") {
		t.Fatalf("today offline = %q, %v", out, err)
	}
	if _, _, err := tokri(t, dir, "shop", "pause"); !errors.Is(err, admin.ErrNoAgent) {
		t.Fatalf("pause with no agent: %v, want ErrNoAgent", err)
	}

	db = seed.Open(t, dir)
	defer db.Close()
	c := admin.Dial(serveAdmin(t, dir, db))
	defer c.Close()
	if out, _, err = tokri(t, dir, "shop", "pause"); err != nil || !strings.Contains(out, "shop paused") {
		t.Fatalf("pause = %q, %v", out, err)
	}
	if st, _ := c.Status(context.Background()); !st.Shop.Paused {
		t.Fatal("the CLI's pause did not pause the shop the console sees")
	}
	if _, err := c.Act(context.Background(), first, admin.Accept, ""); err != nil {
		t.Fatal(err)
	}
	if out, _, err = tokri(t, dir, "messages", seed.ShopperA); err != nil || !strings.Contains(out, "< ") || !strings.Contains(out, first) || !strings.Contains(out, "[queued, 1 part(s)]") {
		t.Fatalf("messages = %q, %v", out, err)
	}
	if out, _, err = tokri(t, dir, "messages", "failed"); err != nil || !strings.Contains(out, "no failed sends") {
		t.Fatalf("failed = %q, %v", out, err)
	}
	if _, _, err = tokri(t, dir, "messages", "retry", "x"); err == nil || !strings.Contains(err.Error(), "not a message number") {
		t.Fatalf("retry x: %v", err)
	}
}
