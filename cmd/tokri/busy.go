package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/agent/admin"
)

// opError is an operational error in the operator's words, with a code a
// script can act on (it is printed as JSON under --json) and the cause
// for errors.Is.
type opError struct {
	code, msg string
	err       error
}

func (e *opError) Error() string     { return e.msg }
func (e *opError) Unwrap() error     { return e.err }
func (e *opError) ErrorCode() string { return e.code }
func (e *opError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code string `json:"code"`
		Msg  string `json:"error"`
	}{e.code, e.msg})
}

// storeBusy rewrites the store's "the file is locked" (bbolt's timeout)
// into who holds it and what to do; other errors pass through.
func storeBusy(err error, data string) error {
	if !errors.Is(err, berrors.ErrTimeout) {
		return err
	}
	return &opError{code: "store_busy", err: err,
		msg: fmt.Sprintf("another tokri is running on %s%s; stop it or use its console (tokri console, tokri status)", data, holder(data))}
}

// explainReach says why an operator command could not reach the shop and
// what to do next.
func explainReach(err error, data, offline string) error {
	switch {
	case errors.Is(err, admin.ErrNoAnswer):
		return &opError{code: "agent_not_answering", err: err,
			msg: fmt.Sprintf("another tokri is running on %s%s but does not answer on its socket; wait a moment and try again, or restart it (systemctl restart tokri)", data, holder(data))}
	case !errors.Is(err, admin.ErrNoAgent):
		return err
	}
	if fi, serr := os.Stat(data); serr != nil || !fi.IsDir() {
		return &opError{code: "no_data", err: err,
			msg: fmt.Sprintf("there is no agent data directory %s; pass --data DIR, or --config FILE for the agent's config (its agent.data)", data)}
	}
	return &opError{code: "agent_down", err: err,
		msg: fmt.Sprintf("the agent is not running on %s, and this command needs it; start it with \"tokri run\" (or \"systemctl start tokri\"). While it is down these still work: %s", data, offline)}
}

// holder is " (pid N)" for the process that holds data's store file
// locked, from /proc/locks, or "" where that cannot be told.
func holder(data string) string {
	fi, err := os.Stat(filepath.Join(data, admin.DBName))
	if err != nil {
		return ""
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return ""
	}
	defer f.Close()
	// "1: FLOCK  ADVISORY  WRITE 4242 b3:02:131090 0 EOF"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] != "FLOCK" {
			continue
		}
		dev := strings.Split(fields[5], ":")
		if len(dev) != 3 || dev[2] != strconv.FormatUint(uint64(st.Ino), 10) {
			continue
		}
		if pid, err := strconv.Atoi(fields[4]); err == nil && pid > 0 {
			return fmt.Sprintf(" (pid %d)", pid)
		}
	}
	return ""
}
