// Package together runs a process's long-lived parts as one: the first
// to stop stops the others, so a part that fails takes the rest down
// with it instead of leaving them running without it.
package together

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// Run runs parts until ctx ends or one of them returns, and returns the
// first error other than context.Canceled.
func Run(ctx context.Context, parts ...func(context.Context) error) error {
	g, ctx := errgroup.WithContext(ctx)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, run := range parts {
		g.Go(func() error {
			// An error is recorded before the group cancels the others,
			// whose context.Canceled must not take its place; a part
			// that ends cleanly ends the others itself.
			err := run(ctx)
			if err == nil {
				cancel()
			}
			return err
		})
	}
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
