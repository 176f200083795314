package store

import (
	"errors"
	"testing"
	"time"
)

func TestConversationJoinsBothDirectionsOfOneNumber(t *testing.T) {
	db := openTest(t, Options{})
	const a, b = "+919811110001", "+919822220002"
	if _, err := db.IntakeCall(a, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IntakeCall(b, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	sent := db.enqueue(Outbound{To: "09811110001", Text: "Welcome", Priority: Reply, CreatedAt: t0.Add(2 * time.Second)})
	if err := db.recordSent(sent, t0.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	failed := db.enqueue(Outbound{To: a, Text: "Order K7M4P accepted", Priority: Notification, CreatedAt: t0.Add(4 * time.Second)})
	if err := db.MarkFailed(failed, "+CMS ERROR: 500"); err != nil {
		t.Fatal(err)
	}
	db.enqueue(Outbound{To: a, Text: "Still queued", Priority: Reply, CreatedAt: t0.Add(5 * time.Second)})
	db.enqueue(Outbound{To: b, Text: "Not theirs", Priority: Reply, CreatedAt: t0.Add(6 * time.Second)})

	got, err := db.Conversation("9811110001", 10)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, m := range got {
		states = append(states, m.State+":"+m.Text)
	}
	want := []string{"received:(missed call)", "sent:Welcome", "failed:Order K7M4P accepted", "queued:Still queued"}
	if len(states) != len(want) {
		t.Fatalf("conversation = %q, want %q", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("conversation = %q, want %q", states, want)
		}
	}
	if got[2].Error == "" {
		t.Errorf("the failed send lost its error: %+v", got[2])
	}
	if last, _ := db.Conversation(a, 1); len(last) != 1 || last[0].Text != "Still queued" {
		t.Errorf("limit 1 = %+v, want the latest only", last)
	}

	// The failed one is listed, and a retry queues it again; a sent one
	// is not retried.
	fails, err := db.Failed(10)
	if err != nil || len(fails) != 1 || fails[0].ID != failed {
		t.Fatalf("Failed = %+v, %v", fails, err)
	}
	nid, err := db.Resend(failed, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.Outbound(nid)
	if err != nil || out.Text != "Order K7M4P accepted" || out.To != a || out.Priority != Notification {
		t.Fatalf("resent = %+v, %v", out, err)
	}
	if _, err := db.Resend(sent, t0); !errors.Is(err, ErrNotFailed) {
		t.Errorf("resend a sent message: %v, want ErrNotFailed", err)
	}
	if _, err := db.Resend(9999, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("resend an unknown message: %v, want ErrNotFound", err)
	}
}
