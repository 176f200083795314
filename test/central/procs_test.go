package central

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/server"
)

// bins are the two binaries, built once for the test.
type bins struct {
	tokri, central string
}

// build compiles tokri and tokri-central into dir.
func build(t *testing.T, dir string) bins {
	t.Helper()
	testkit.GoBuild(t, nil, "-o", dir+string(filepath.Separator),
		"github.com/tokrihq/tokri/cmd/tokri", "github.com/tokrihq/tokri/cmd/tokri-central")
	return bins{tokri: filepath.Join(dir, "tokri"), central: filepath.Join(dir, "tokri-central")}
}

// command runs bin with args to completion and returns its stdout; a
// failure is the error with stderr in it.
func command(bin string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// must is command, failing the test on error.
func must(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := command(bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mustJSON runs a command that prints JSON and decodes it into v.
func mustJSON(t *testing.T, v any, bin string, args ...string) {
	t.Helper()
	out := must(t, bin, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%s %s printed no JSON: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// proc is a long-running child process with its output in a log file.
type proc struct{ *testkit.Proc }

func start(t *testing.T, dir, name, bin string, args ...string) *proc {
	t.Helper()
	return &proc{testkit.StartProc(t, name, filepath.Join(dir, name+".log"), nil, append([]string{bin}, args...)...)}
}

// stop sends SIGTERM, as systemd or Ctrl-C would, and wants a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.Stop(); err != nil {
		t.Fatalf("%s did not exit cleanly on SIGTERM: %v (log %s)", p.Name, err, p.Log)
	}
}

// errExited is how a process that ended early shows up in waitLine.
var errExited = errors.New("process exited")

// waitLine waits until the process's output has a line containing substr
// and returns that line.
func (p *proc) waitLine(ctx context.Context, t *testing.T, substr string) string {
	t.Helper()
	var line string
	testtime.Until(t, fmt.Sprintf("%s to print %q", p.Name, substr), func() bool {
		for _, l := range strings.Split(p.Output(t), "\n") {
			if strings.Contains(l, substr) {
				line = l
				return true
			}
		}
		select {
		case <-p.Exited():
			t.Fatalf("%s: %v (%v) before printing %q:\n%s", p.Name, errExited, p.Err(), substr, p.Output(t))
		default:
		}
		return false
	})
	return line
}

// keptDir is a directory for the processes' logs and both stores, removed
// after a passing test and kept, and named in the log, after a failing one.
func keptDir(t *testing.T, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept %s (process logs, both stores)", dir)
		} else {
			os.RemoveAll(dir)
		}
	})
	return dir
}

// rig is one test's setting: a kept directory with both binaries built
// into it, central's data in which the store is added, and the agent's
// data and config paths.
type rig struct {
	dir, cdata, adata, cfg string
	secret                 string // the store's, from central
	bin                    bins
}

// newRig sets up a rig in a kept directory named after prefix, with a
// context that gives the test two minutes.
func newRig(t *testing.T, prefix string) (context.Context, *rig) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	dir := keptDir(t, prefix)
	r := &rig{dir: dir, bin: build(t, dir), cdata: filepath.Join(dir, "central"), adata: filepath.Join(dir, "agent"), cfg: filepath.Join(dir, "tokri.toml")}
	r.secret = addStore(t, r.bin, r.cdata)
	return ctx, r
}

// addStore registers storeID with central's store in cdata and imports
// the example catalog for it; it returns the store's secret.
func addStore(t *testing.T, bin bins, cdata string) string {
	t.Helper()
	out := must(t, bin.central, "store", "add", "--data", cdata, storeID)
	secret := regexp.MustCompile(`(?m)^[0-9a-f]{64}$`).FindString(out)
	if secret == "" {
		t.Fatalf("store add printed no secret:\n%s", out)
	}
	if out := must(t, bin.central, "catalog", "import", "--data", cdata, "--store", storeID, catalog); !strings.Contains(out, "172 added") {
		t.Fatalf("central catalog import said %q", out)
	}
	return secret
}

// serveCentral runs tokri-central serve on the rig's central data on a
// free loopback port and returns it with the address it listens on.
func (r *rig) serveCentral(ctx context.Context, t *testing.T) (*proc, string) {
	t.Helper()
	serve := start(t, r.dir, "serve", r.bin.central, "serve", "--addr", "127.0.0.1:0", "--data", r.cdata, "--debug")
	var listening struct{ Addr string }
	json.Unmarshal([]byte(serve.waitLine(ctx, t, "serving sync API")), &listening)
	if listening.Addr == "" {
		t.Fatalf("serve logged no address:\n%s", serve.Output(t))
	}
	return serve, listening.Addr
}

// startModem runs tokri sim with its serial link in the rig's directory,
// and puts the example catalog in the agent's store. It returns the link
// and the client of the modem's network side.
func (r *rig) startModem(ctx context.Context, t *testing.T) (string, *vmodem.Client) {
	t.Helper()
	modemLink := filepath.Join(r.dir, "modem")
	sim := start(t, r.dir, "sim", r.bin.tokri, "sim", "--link", modemLink, "--log-level", "warn")
	phone := &vmodem.Client{BaseURL: strings.TrimSpace(sim.waitLine(ctx, t, "http://"))}
	if err := os.MkdirAll(r.adata, 0o700); err != nil {
		t.Fatal(err)
	}
	must(t, r.bin.tokri, "catalog", "import", "--data", r.adata, catalog)
	return modemLink, phone
}

// centralOrder returns central's one order, failing unless it is id, once.
func (r *rig) centralOrder(t *testing.T, id string) server.Order {
	t.Helper()
	var central []server.Order
	mustJSON(t, &central, r.bin.central, "orders", "list", "--data", r.cdata, "--store", storeID, "--json")
	if len(central) != 1 || central[0].ID != id {
		t.Fatalf("central has orders %+v; want %s exactly once", central, id)
	}
	return central[0]
}

// agentOrder returns the agent's one order, failing unless it is id and
// acknowledged by central.
func (r *rig) agentOrder(t *testing.T, id string) orders.Order {
	t.Helper()
	var local []orders.Order
	mustJSON(t, &local, r.bin.tokri, "orders", "list", "--data", r.adata, "--json")
	if len(local) != 1 || local[0].ID != id || !local[0].Synced {
		t.Fatalf("agent's orders = %+v, want %s alone, acknowledged by central", local, id)
	}
	return local[0]
}
