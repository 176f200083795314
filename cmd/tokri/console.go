package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// consoleBinary is the operator's console, a binary of its own: its
// terminal UI library asks the terminal about itself as soon as it is
// loaded, which every other tokri command (and the agent on a serial
// console) must not do.
const consoleBinary = "tokri-console"

// execConsole is "tokri console [flags]": it becomes tokri-console with
// the same flags, so the console owns the terminal, its signals and its
// exit status as if it had been run directly.
func consoleExec(_ context.Context, args []string, _ io.Writer) error {
	path, err := findConsole()
	if err != nil {
		return err
	}
	return syscall.Exec(path, append([]string{consoleBinary}, args...), os.Environ())
}

// findConsole looks beside this binary first (a package installs both in
// /usr/bin, make build both in bin/), then on PATH.
func findConsole() (string, error) {
	var beside string
	if self, err := os.Executable(); err == nil {
		beside = filepath.Join(filepath.Dir(self), consoleBinary)
		if fi, err := os.Stat(beside); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return beside, nil
		}
	}
	if path, err := exec.LookPath(consoleBinary); err == nil {
		return path, nil
	} else if !errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("the console: %w", err)
	}
	where := "on PATH"
	if beside != "" {
		where = "at " + beside + " or on PATH"
	}
	return "", fmt.Errorf("the console is the %s binary, not found %s: install it (the tokri package ships it as /usr/bin/%s) or build it (make build, or go build ./cmd/%s)",
		consoleBinary, where, consoleBinary, consoleBinary)
}
