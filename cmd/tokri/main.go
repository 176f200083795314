// Command tokri is the store's SMS shop agent and its tools.
package main

import (
	"context"
	"io"
	"os"
	"slices"
	"time"

	"github.com/tokrihq/tokri/internal/command"
)

func main() {
	command.Main("tokri", func(ctx context.Context, args []string) error { return run(ctx, args, os.Stdout, os.Stderr) })
}

// The usage's headings, in order.
const (
	agentGroup = "the agent"
	modemGroup = "the modem and the virtual modem"
	storeGroup = "the store file"
)

// opSpecs are every operator command, in the usage's order.
var opSpecs = slices.Concat(orderSpecs, catalogSpecs, shopperSpecs, []opSpec{statusSpec}, shopSpecs, syncSpecs)

// table is every tokri command: the usage, each command's help and the
// README's command reference are made from it. now is the operator
// commands' clock.
func table(stdout, stderr io.Writer, now func() time.Time) *command.Table {
	t := &command.Table{
		Binary: "tokri",
		About:  "an SMS shop for feature phones",
		Groups: []command.Group{
			{Name: agentGroup},
			{Name: operatorGroup, Note: "through the running agent, or on its store while it is down where the command says so"},
			{Name: storeGroup},
			{Name: modemGroup},
		},
		Specs: []command.Spec{
			{Name: "run", Group: agentGroup, Summary: "run the agent on the modem until stopped",
				New: func() command.Command { return new(RunMain) }},
			{Name: "demo", Group: agentGroup, Summary: "the agent on a virtual modem, and a phone prompt",
				New: func() command.Command { return new(DemoMain) }},
			{Name: "doctor", Group: agentGroup, Summary: "check config, disk, modem, SIM, clock, sync; say how to fix",
				New: func() command.Command { return new(DoctorMain) }},
			{Name: "console", Group: agentGroup, Summary: "the operator's screen: live orders, catalog, messages, today",
				Help: "Runs tokri-console with the same flags; see \"tokri-console -h\".", Exec: consoleExec},
			{Name: "bench", Group: agentGroup, Summary: "messages/s, latency and RSS on a virtual modem",
				New: func() command.Command { return new(BenchMain) }},
			{Name: "bench-ussd", Group: agentGroup, Summary: "USSD step latency through central, sessions/s",
				New: func() command.Command { return new(BenchUSSDMain) }},
			{Name: "bench-idle", Group: agentGroup, Summary: "an idle agent's mobile data at the IP level, beside its own count",
				New: func() command.Command { return new(BenchIdleMain) }},
			command.Version("tokri", agentGroup),

			{Name: "backup", Group: storeGroup, Args: "FILE", Summary: "a consistent copy of the store, while the agent runs or not",
				New: func() command.Command { return &StoreFileMain{verb: "backup"} }},
			{Name: "restore", Group: storeGroup, Args: "FILE", Summary: "put a backup back (agent stopped)",
				New: func() command.Command { return &StoreFileMain{verb: "restore"} }},
			{Name: "compact", Group: storeGroup, Summary: "shrink the store (agent stopped)",
				New: func() command.Command { return &StoreFileMain{verb: "compact"} }},

			{Name: "modem info", Group: modemGroup, Summary: "model, IMEI (masked), signal, operator, storage",
				New: func() command.Command { return new(ModemInfoMain) }},
			{Name: "modem ussd", Group: modemGroup, Summary: "run a USSD code, print the answer",
				New: func() command.Command { return new(USSDMain) }},
			{Name: "send", Group: modemGroup, Summary: "send one SMS",
				New: func() command.Command { return new(SendMain) }},
			{Name: "sim", Group: modemGroup, Summary: "run the virtual modem",
				New: func() command.Command { return new(SimMain) }},
			{Name: "dial", Group: modemGroup, Args: "[CODE]", Summary: "a USSD handset in the terminal",
				New: func() command.Command { return new(DialMain) }},
		},
		Footer: "Operator commands take --json for output a script can read; with it, errors are JSON too.",
		Stdout: stdout,
		Stderr: stderr,
	}
	down := offline(opSpecs)
	for _, o := range opSpecs {
		t.Specs = append(t.Specs, o.spec(stdout, stderr, now, down))
	}
	return t
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return table(stdout, stderr, time.Now).Run(ctx, args)
}
