package seed

import (
	"context"
	"sync"
	"testing"
)

// Serve runs serve (a server's Serve, say) until the test ends or the
// returned stop is called, whichever comes first, and fails the test if
// it returns an error.
func Serve(t testing.TB, serve func(ctx context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}
