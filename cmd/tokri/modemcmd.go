package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/internal/logging"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/phone"
)

// modemTool is the part the one-shot modem commands share: a port, a
// running modem, and its initialisation. The agent must not be running on
// the same port.
type modemTool struct {
	settings
	timeout time.Duration

	cancel context.CancelFunc
	done   chan error
}

func (t *modemTool) register(fs *flag.FlagSet) {
	t.settings.register(fs, true)
	fs.DurationVar(&t.timeout, "timeout", 2*time.Minute, "give up after this long")
}

// open brings the modem up and returns it with a context bounded by the
// timeout.
func (t *modemTool) open(ctx context.Context) (context.Context, *modem.Modem, error) {
	cfg, err := t.load()
	if err != nil {
		return nil, nil, err
	}
	if cfg.Modem.Port == "" {
		return nil, nil, errors.New("no modem port: pass --port or set modem.port in the config")
	}
	level := cfg.Agent.LogLevel
	if t.logLevel == "" {
		level = "warn" // a tool's output is its answer, not the modem's chatter
	}
	log := logging.New(os.Stderr, level)
	port, err := serial.Open(cfg.Modem.Port, cfg.Modem.Baud)
	if err != nil {
		return nil, nil, err
	}
	ctx, t.cancel = context.WithTimeout(ctx, t.timeout)
	m := modem.New(port, modem.Options{Log: log, PIN: cfg.Modem.PIN})
	t.done = make(chan error, 1)
	go func() { t.done <- m.Run(ctx) }()
	if err := m.Init(ctx); err != nil {
		return nil, nil, fmt.Errorf("modem init: %w", err)
	}
	return ctx, m, nil
}

// Close implements command.
func (t *modemTool) Close() error {
	if t.cancel != nil {
		t.cancel()
		<-t.done
	}
	return nil
}

// ModemInfoMain is "tokri modem info".
type ModemInfoMain struct{ modemTool }

// Flags implements command.Command.
func (c *ModemInfoMain) Flags(fs *flag.FlagSet) { c.register(fs) }

// Run implements command.
func (c *ModemInfoMain) Run(ctx context.Context) error {
	ctx, m, err := c.open(ctx)
	if err != nil {
		return err
	}
	info, err := m.Info(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("model:     %s %s (%s)\n", info.Manufacturer, info.Model, info.Revision)
	fmt.Printf("IMEI:      %s\n", modem.MaskIMEI(info.IMEI))
	fmt.Printf("signal:    %d/4 bars (CSQ %d, %d dBm)\n", info.Signal.Bars, info.Signal.CSQ, info.Signal.DBm)
	fmt.Printf("network:   %s, operator %q\n", info.Registration, info.Operator)
	fmt.Printf("storage:   %s %d of %d used\n", info.Storage.Mem, info.Storage.Used, info.Storage.Total)
	return nil
}

// SendMain is "tokri send": one SMS, straight through the modem (not the
// agent's outbox), to check a SIM and a number.
type SendMain struct {
	modemTool
	to, text string
	report   bool
}

// Flags implements command.Command.
func (c *SendMain) Flags(fs *flag.FlagSet) {
	c.register(fs)
	fs.StringVar(&c.to, "to", "", "phone `NUMBER`, e.g. +919812345678")
	fs.StringVar(&c.text, "text", "", "message `TEXT` (long text goes in several parts)")
	fs.BoolVar(&c.report, "report", false, "ask the network for a delivery report")
}

// Args implements command.Arguments: --to and --text are required.
func (c *SendMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if c.to == "" || c.text == "" {
		return errors.New("--to and --text are required")
	}
	return nil
}

// Run implements command.
func (c *SendMain) Run(ctx context.Context) error {
	enc, err := pdu.EncodeSubmit(c.to, c.text, pdu.SubmitOptions{Ref: rand.IntN(256), StatusReport: c.report})
	if err != nil {
		return err
	}
	ctx, m, err := c.open(ctx)
	if err != nil {
		return err
	}
	for i, tpdu := range enc.TPDUs {
		mr, err := m.SendPDU(ctx, tpdu)
		if err != nil {
			return fmt.Errorf("part %d of %d: %w", i+1, enc.Segments, err)
		}
		fmt.Printf("part %d/%d sent, reference %d\n", i+1, enc.Segments, mr)
	}
	fmt.Printf("sent to %s: %d segment(s), %s\n", phone.Mask(c.to), enc.Segments, enc.Encoding)
	return nil
}

// USSDMain is "tokri modem ussd": run a USSD code such as a balance check.
type USSDMain struct {
	modemTool
	code string
}

// Flags implements command.Command.
func (c *USSDMain) Flags(fs *flag.FlagSet) {
	c.register(fs)
	fs.StringVar(&c.code, "code", "", "USSD `CODE`, e.g. *123#")
}

// Args implements command.Arguments: --code is required.
func (c *USSDMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if c.code == "" {
		return errors.New("--code is required")
	}
	return nil
}

// Run implements command.
func (c *USSDMain) Run(ctx context.Context) error {
	ctx, m, err := c.open(ctx)
	if err != nil {
		return err
	}
	r, err := m.USSD(ctx, c.code)
	if err != nil {
		return err
	}
	fmt.Println(r.Text)
	return nil
}
