package command_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"

	"github.com/tokrihq/tokri/internal/command"
)

// fake records what Run did with it.
type fake struct {
	parseErr, runErr error
	calls            []string
}

func (f *fake) ParseFlags(args []string) error {
	f.calls = append(f.calls, fmt.Sprint("parse", args))
	return f.parseErr
}

func (f *fake) Run(context.Context) error {
	f.calls = append(f.calls, "run")
	return f.runErr
}

func (f *fake) Close() error {
	f.calls = append(f.calls, "close")
	return nil
}

func TestRun(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		c     *fake
		err   error
		calls string
	}{
		{"runs and closes", &fake{}, nil, "[parse[-x] run close]"},
		{"run error still closes", &fake{runErr: boom}, boom, "[parse[-x] run close]"},
		{"flag error opens nothing", &fake{parseErr: boom}, boom, "[parse[-x]]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := command.Run(context.Background(), tc.c, []string{"-x"})
			if !errors.Is(err, tc.err) {
				t.Errorf("err %v, want %v", err, tc.err)
			}
			if got := fmt.Sprint(tc.c.calls); got != tc.calls {
				t.Errorf("calls %s, want %s", got, tc.calls)
			}
		})
	}
}

func TestExit(t *testing.T) {
	for _, tc := range []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 2, ""},
		{fmt.Errorf("tokri run: %w", flag.ErrHelp), 2, ""},
		{errors.New("no modem"), 1, "tokri: no modem\n"},
	} {
		var b bytes.Buffer
		if code := command.Exit("tokri", tc.err, &b); code != tc.code || b.String() != tc.stderr {
			t.Errorf("Exit(%v) = %d, %q; want %d, %q", tc.err, code, b.String(), tc.code, tc.stderr)
		}
	}
}
