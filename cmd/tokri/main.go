// Command tokri is the store's SMS shop agent and its tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/version"
)

const usage = `tokri: an SMS shop for feature phones

usage:
  tokri run    [--config FILE] [--port PATH] [--data DIR]   run the agent
  tokri sim    --link PATH --control ADDR [--profile NAME] run the virtual modem
  tokri modem info --port PATH                             model, IMEI (masked), signal, operator, storage
  tokri modem ussd --port PATH --code CODE                 run a USSD code, print the answer
  tokri send   --port PATH --to NUMBER --text TEXT          send one SMS
  tokri dial   [*384*7#] [--url URL] [--format F] [--phone N]  a USSD handset in the terminal
  tokri bench-ussd [--sessions 50] [--duration 10s]       USSD step latency through central, sessions/s
  tokri demo   [--data DIR]                                 the agent on a virtual modem, and a phone prompt
  tokri bench  [--rate N] [--count N]                       messages/s, latency and RSS on a virtual modem
  tokri version                                            the build's version, Go release and platform
  tokri doctor [--json] [--config FILE]                    check config, disk, modem, SIM, clock, sync; say how to fix
  tokri backup FILE                                        a consistent copy of the store, while the agent runs or not
  tokri restore FILE | tokri compact                       put a backup back / shrink the store (agent stopped)

operator commands (through the running agent, or on its store while it is down;
each takes --data DIR or --config FILE):
  tokri orders list [--state S] [--json]                   orders, newest first
  tokri orders accept|reject|pack|dispatch|deliver|cancel ID
  tokri catalog import FILE.csv | export | list            the catalog as CSV
  tokri stock set SKU UNITS     tokri price set SKU RUPEES
  tokri shoppers list | optout NUMBER | optin NUMBER
  tokri status [--json]                                    modem, queues, orders, sync
  tokri console [--ascii] [--lang hi]                      the operator's screen: live orders, catalog, messages, today (runs tokri-console)
  tokri shop pause|resume       tokri today               take orders or not; the day so far
  tokri messages NUMBER | failed | retry ID | unreadable   a shopper's conversation; failed sends
  tokri sync now [--json]                                  push orders and pull the catalog now

Run "tokri COMMAND -h" for a command's flags.
`

func main() { command.Main("tokri", run) }

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	}
	var c command.Command
	switch args[0] {
	case "run":
		c = new(RunMain)
	case "sim":
		c = new(SimMain)
	case "modem":
		switch {
		case len(args) > 1 && args[1] == "info":
			c = new(ModemInfoMain)
		case len(args) > 1 && args[1] == "ussd":
			c = new(USSDMain)
		default:
			return errors.New(`unknown modem command: try "tokri modem info --port PATH" or "tokri modem ussd --port PATH --code *123#"`)
		}
		args = args[1:]
	case "send":
		c = new(SendMain)
	case "dial":
		c = new(DialMain)
	case "demo":
		c = new(DemoMain)
	case "bench":
		c = new(BenchMain)
	case "bench-ussd":
		c = new(BenchUSSDMain)
	case "console":
		return execConsole(args[1:])
	case "doctor":
		c = new(DoctorMain)
	case "backup", "restore", "compact":
		c = &StoreFileMain{verb: args[0]}
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	case "version", "--version":
		fmt.Println(version.Line("tokri"))
		return nil
	default:
		if !isAdminGroup(args[0]) {
			fmt.Fprint(os.Stderr, usage)
			return fmt.Errorf("unknown command %q", args[0])
		}
		// The operator's commands take their own words after the group.
		c = new(AdminMain)
		args = append([]string{"tokri"}, args...)
	}
	return command.Run(ctx, c, args[1:])
}
