package command_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/command"
)

// fake records what Run did with it.
type fake struct {
	runErr error
	name   string
	args   []string
	calls  []string
}

func (f *fake) Flags(fs *flag.FlagSet) {
	f.calls = append(f.calls, "flags")
	fs.StringVar(&f.name, "name", "", "a `NAME`")
}

func (f *fake) Args(args []string) error {
	f.args = args
	if len(args) > 2 {
		return errors.New("at most two")
	}
	return nil
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
		args  []string
		c     *fake
		err   error
		calls string
	}{
		{"runs and closes", []string{"a", "--name", "x", "b"}, &fake{}, nil, "[flags run close]"},
		{"run error still closes", nil, &fake{runErr: boom}, boom, "[flags run close]"},
		{"flag error opens nothing", []string{"--nope"}, &fake{}, command.ErrUsage, "[flags]"},
		{"argument error opens nothing", []string{"a", "b", "c"}, &fake{}, command.ErrUsage, "[flags]"},
		{"help is asked for", []string{"-h"}, &fake{}, flag.ErrHelp, "[flags]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := command.Run(context.Background(), tc.c, "tokri fake", tc.args)
			if !errors.Is(err, tc.err) {
				t.Errorf("err %v, want %v", err, tc.err)
			}
			if got := fmt.Sprint(tc.c.calls); got != tc.calls {
				t.Errorf("calls %s, want %s", got, tc.calls)
			}
		})
	}
}

// Flags may stand anywhere among the arguments; after "--" all are
// arguments.
func TestFlagsAnywhere(t *testing.T) {
	f := &fake{}
	if err := command.Parse(f, "tokri fake", []string{"a", "--name", "x", "b"}); err != nil || f.name != "x" || fmt.Sprint(f.args) != "[a b]" {
		t.Errorf("parsed name %q args %v, %v", f.name, f.args, err)
	}
	f = &fake{}
	if err := command.Parse(f, "tokri fake", []string{"--", "--name", "x"}); err != nil || f.name != "" || fmt.Sprint(f.args) != "[--name x]" {
		t.Errorf("after --: name %q args %v, %v", f.name, f.args, err)
	}
}

// errCoded is an error with a code of its own, printed whole as JSON.
type errCoded struct {
	Code  string `json:"code"`
	Field string `json:"field"`
}

func (e errCoded) Error() string     { return "no such order" }
func (e errCoded) ErrorCode() string { return e.Code }

func TestExit(t *testing.T) {
	usage := &command.UsageError{Cmd: "tokri run", Msg: `unexpected argument "x"`}
	for _, tc := range []struct {
		err            error
		json           bool
		code           int
		stdout, stderr string
	}{
		{nil, false, 0, "", ""},
		{flag.ErrHelp, false, 2, "", ""},
		{usage, false, 2, "", "tokri: unexpected argument \"x\" (see \"tokri run -h\")\n"},
		{errors.New("no modem"), false, 1, "", "tokri: no modem\n"},
		{errors.New("no modem"), true, 1, `{"error":"no modem","code":"error"}` + "\n", ""},
		{usage, true, 2, `{"error":"unexpected argument \"x\" (see \"tokri run -h\")","code":"usage"}` + "\n", ""},
		{fmt.Errorf("wrapped: %w", errCoded{"not_found", "id"}), true, 1, `{"code":"not_found","field":"id"}` + "\n", ""},
	} {
		var out, errb bytes.Buffer
		code := command.Exit("tokri", tc.err, tc.json, &out, &errb)
		if code != tc.code || out.String() != tc.stdout || errb.String() != tc.stderr {
			t.Errorf("Exit(%v, json %v) = %d, %q, %q; want %d, %q, %q", tc.err, tc.json, code, out.String(), errb.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestWantsJSON(t *testing.T) {
	for args, want := range map[string]bool{"orders list --json": true, "orders list": false, "orders -- --json": false, "status -json": true} {
		if got := command.WantsJSON(strings.Fields(args)); got != want {
			t.Errorf("WantsJSON(%q) = %v", args, got)
		}
	}
}
