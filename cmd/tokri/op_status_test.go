package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
)

// The operator sees in status when the cap or a flood is biting, and
// nothing about floods on a quiet day.
func TestStatusShowsAFlood(t *testing.T) {
	var quiet, flood bytes.Buffer
	printStatus(&quiet, admin.Status{Running: true, Queues: admin.Queues{DailyCap: 100, SentToday: 12}}, time.UTC)
	if strings.Contains(quiet.String(), "flood") {
		t.Errorf("quiet day shows a flood:\n%s", quiet.String())
	}
	printStatus(&flood, admin.Status{Running: true, Queues: admin.Queues{DailyCap: 100, SentToday: 81, ChatCapped: true, HeldNumbers: 3, DroppedToday: 78}}, time.UTC)
	want := "flood     replies to chat used their part of the cap; only order news and operator messages go; 3 numbers had their share today; 78 replies dropped unsent"
	if !strings.Contains(flood.String(), want) {
		t.Errorf("status during a flood:\n%s\nwant a line %q", flood.String(), want)
	}
	var fresh bytes.Buffer
	printStatus(&fresh, admin.Status{Running: true, Queues: admin.Queues{DailyCap: 100, SentToday: 44, NewCapped: true, DroppedToday: 760}}, time.UTC)
	want = "flood     new numbers used their part of the cap; known shoppers still answered; 760 replies dropped unsent"
	if !strings.Contains(fresh.String(), want) {
		t.Errorf("status during a flood of new numbers:\n%s\nwant a line %q", fresh.String(), want)
	}
}

// tokri status says what the SIM needs before anything else can work.
func TestStatusSaysTheSIMState(t *testing.T) {
	for sim, want := range map[string]string{
		"ready": "SIM ready",
		"pin":   "SIM PIN needed (set [modem] pin)",
		"puk":   "SIM blocked: PUK needed",
		"none":  "no SIM",
	} {
		var b strings.Builder
		printStatus(&b, admin.Status{Running: true, Modem: admin.ModemStatus{State: "starting", SIM: sim}}, time.UTC)
		if !strings.Contains(b.String(), "modem     starting, "+want) {
			t.Errorf("SIM %s: status\n%s\nwant %q", sim, b.String(), want)
		}
	}
}
