package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/logging"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
)

// DemoMain is "tokri demo": the virtual modem and the agent in one process,
// and a prompt where the newcomer is a shopper's phone.
type DemoMain struct {
	config  string
	catalog string
	data    string
	profile string
	in      io.Reader
	mu      sync.Mutex // guards from and writes to out
	from    string
	out     io.Writer
	// The agent's own USSD callback address and token, for /dial.
	ussdAddr, ussdToken string
	closers             []io.Closer
}

// Flags implements command.Command.
func (c *DemoMain) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.data, "data", "demo-data", "the demo agent's data `DIR` (kept between runs)")
	fs.StringVar(&c.config, "config", "-", "agent config `FILE` (default: built-in defaults)")
	fs.StringVar(&c.catalog, "catalog", "", "catalog CSV to load before starting (sku,name,name_hi,category,unit,price,stock,synonyms)")
	fs.StringVar(&c.profile, "profile", "sim800", "virtual modem model: "+strings.Join(vmodem.ProfileNames(), ", "))
	fs.StringVar(&c.from, "from", "+919812345678", "the phone `NUMBER` you text from")
}

// Run implements command.
func (c *DemoMain) Run(ctx context.Context) error {
	if c.in == nil {
		c.in, c.out = os.Stdin, os.Stdout
	}
	if err := os.MkdirAll(c.data, 0o750); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(c.data, "demo.log"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	c.closers = append(c.closers, logf)
	if c.catalog != "" {
		// The operator's own import: every bad line named, nothing taken
		// from a bad file.
		imp := &verb{spec: catalogSpecs[0], stdout: c.out, stderr: os.Stderr, now: time.Now}
		if err := command.Run(ctx, imp, "tokri catalog import", []string{"--data", c.data, "--config", c.config, c.catalog}); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	link := filepath.Join(c.data, "modem")
	phone, simErr, err := startSim(ctx, vmodem.Config{Link: link, Profile: c.profile, Log: logging.New(logf, "info").With().Str("side", "vmodem").Logger()})
	if err != nil {
		return err
	}
	defer func() {
		cancel()
		<-simErr
	}()
	cfg, err := config.Find(c.config)
	if err != nil {
		return err
	}
	// The agent also takes USSD callbacks, on a free port, for /dial.
	var tok [12]byte
	rand.Read(tok[:])
	c.ussdToken = hex.EncodeToString(tok[:])
	cfg.Modem.Port, cfg.Agent.Data, cfg.USSD.Listen, cfg.USSD.Token = link, c.data, "127.0.0.1:0", c.ussdToken
	sys, err := system.New(system.Options{Config: cfg, Log: logging.New(logf, cfg.Agent.LogLevel)})
	if err != nil {
		return storeBusy(err, c.data)
	}
	c.closers, c.ussdAddr = append(c.closers, sys), sys.USSDAddr
	agentErr := make(chan error, 1)
	go func() { agentErr <- sys.Run(ctx) }()
	defer func() {
		cancel()
		<-agentErr
	}()

	fmt.Fprintf(c.out, `Tokri demo: you are a shopper's phone texting the store's virtual modem.
Type a message and press Enter (try HI, then "2 atta 5kg, 1 oil"). The store's
replies appear as the phone shows them.
  /from NUMBER   text from another phone      /call   give the store a missed call
  /dial [hubtel] dial the store's USSD code *384*7# (Africa's Talking format unless hubtel)
  /quit          end (Ctrl-D too)             logs: %s
In another terminal, the shop's console: bin/tokri console --data %s
  (--lang hi for Hindi, --ascii for a serial console; or bin/tokri orders list --data %s)
`, logf.Name(), c.data, c.data)
	return c.prompt(ctx, phone, agentErr)
}

// prompt reads lines until the end of input, sending each as an SMS.
// What the store sends is shown as it leaves the modem, so an order's
// notifications appear when the operator moves it.
func (c *DemoMain) prompt(ctx context.Context, phone *vmodem.Client, agentErr <-chan error) error {
	lines := readLines(c.in)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchErr := make(chan error, 1)
	go func() { watchErr <- c.watch(ctx, phone) }()

	c.showPrompt()
	for {
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case err := <-agentErr:
			return fmt.Errorf("agent stopped: %w", err)
		case err := <-watchErr:
			return err
		case line, ok = <-lines:
		}
		if !ok {
			fmt.Fprintln(c.out)
			return nil
		}
		line = strings.TrimSpace(line)
		var err error
		switch {
		case line == "":
		case line == "/quit":
			return nil
		case strings.HasPrefix(line, "/from"):
			n := strings.TrimSpace(strings.TrimPrefix(line, "/from"))
			if n == "" {
				fmt.Fprintln(c.out, "usage: /from +919876543210")
				break
			}
			c.mu.Lock()
			c.from = n
			c.mu.Unlock()
		case line == "/call":
			err = phone.Call(ctx, c.sender())
		case line == "/dial" || strings.HasPrefix(line, "/dial "):
			err = c.dial(ctx, strings.TrimSpace(strings.TrimPrefix(line, "/dial")), lines)
		case strings.HasPrefix(line, "/"):
			fmt.Fprintln(c.out, "commands: /from NUMBER, /call, /dial [hubtel], /quit")
		default:
			err = phone.SendSMS(ctx, vmodem.SMS{From: c.sender(), Text: line})
		}
		if err != nil {
			return err
		}
		if line == "" || strings.HasPrefix(line, "/from") || strings.HasPrefix(line, "/dial") || (strings.HasPrefix(line, "/") && line != "/call") {
			c.showPrompt()
		}
	}
}

// dial runs one USSD session against the agent, reading the shopper's
// keys from the prompt's lines until the session ends.
func (c *DemoMain) dial(ctx context.Context, format string, lines <-chan string) error {
	if format == "" {
		format = "africastalking"
	}
	f, ok := gateway.Lookup(format)
	if !ok {
		fmt.Fprintf(c.out, "no format %q: try %s\n", format, strings.Join(gateway.Names(), ", "))
		return nil
	}
	h := &handset{f: f, url: localURL(c.ussdAddr, format, c.ussdToken), phone: c.sender(), code: "*384*7#", out: c.out}
	if err := h.call(ctx, lines); err != nil {
		fmt.Fprintln(c.out, "dial:", err)
	}
	return nil
}

func (c *DemoMain) sender() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.from
}

func (c *DemoMain) showPrompt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, "\n[%s] > ", c.from)
}

// watch prints every SMS the store sends, as a phone would show it, until
// ctx ends.
func (c *DemoMain) watch(ctx context.Context, phone *vmodem.Client) error {
	seq := 0
	for {
		sent, err := phone.WaitSent(ctx, seq, 1, 30*time.Second)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		for _, s := range sent {
			seq = s.Seq
			c.mu.Lock()
			fmt.Fprintf(c.out, "\n--- to %s: %d segment(s), %s ---\n%s\n", s.To, s.Segments, strings.ToUpper(s.Encoding), s.Text)
			c.mu.Unlock()
		}
		if len(sent) > 0 {
			c.showPrompt()
		}
	}
}

// Close implements command.
func (c *DemoMain) Close() error {
	for _, cl := range slices.Backward(c.closers) { // the agent before its log
		cl.Close()
	}
	return nil
}
