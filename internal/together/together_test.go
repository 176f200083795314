package together

import (
	"context"
	"errors"
	"testing"
)

// waitDone is a part that runs until its context ends.
func waitDone(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestFirstToStopStopsTheOthers(t *testing.T) {
	boom := errors.New("boom")
	err := Run(context.Background(), waitDone, func(context.Context) error { return boom }, waitDone)
	if !errors.Is(err, boom) {
		t.Errorf("Run = %v, want %v", err, boom)
	}
	// A part that ends without an error stops the others too.
	if err := Run(context.Background(), waitDone, func(context.Context) error { return nil }); err != nil {
		t.Errorf("Run after a part ended cleanly = %v", err)
	}
}

func TestEndOfContextIsNoError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Run(ctx, waitDone, waitDone); err != nil {
		t.Errorf("Run on an ended context = %v", err)
	}
}
