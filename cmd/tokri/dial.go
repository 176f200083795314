package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
)

// DialMain is "tokri dial": a USSD handset in the terminal. It calls a
// callback URL as an aggregator would, in its format: central's
// (tokri-central ussd url) or the agent's own ([ussd] listen).
type DialMain struct {
	settings
	url    string
	format string
	phone  string
	code   string
	in     io.Reader
	out    io.Writer
}

// Flags implements command.Command.
func (c *DialMain) Flags(fs *flag.FlagSet) {
	c.register(fs, false)
	fs.StringVar(&c.url, "url", "", "callback `URL` (tokri-central ussd url); default: the agent's [ussd] listen")
	fs.StringVar(&c.format, "format", "africastalking", "aggregator format: "+strings.Join(gateway.Names(), ", "))
	fs.StringVar(&c.phone, "phone", "+919812345678", "the phone `NUMBER` you dial from")
}

// Args implements command.Arguments: the code to dial, *384*7# unless
// given.
func (c *DialMain) Args(args []string) error {
	c.code = "*384*7#"
	switch len(args) {
	case 0:
	case 1:
		c.code = args[0]
	default:
		return fmt.Errorf("unexpected argument %q", args[1])
	}
	if _, ok := gateway.Lookup(c.format); !ok {
		return fmt.Errorf("--format must be one of %s", strings.Join(gateway.Names(), ", "))
	}
	return nil
}

// Run implements command.
func (c *DialMain) Run(ctx context.Context) error {
	if c.in == nil {
		c.in, c.out = os.Stdin, os.Stdout
	}
	if c.url == "" {
		cfg, err := c.load()
		if err != nil {
			return err
		}
		if cfg.USSD.Listen == "" {
			return errors.New("no --url and no [ussd] listen in the config: pass --url from 'tokri-central ussd url'")
		}
		c.url = localURL(cfg.USSD.Listen, c.format, cfg.USSD.Token)
	}
	f, _ := gateway.Lookup(c.format)
	h := &handset{f: f, url: c.url, phone: c.phone, code: c.code, out: c.out}
	return h.call(ctx, readLines(c.in))
}

// readLines sends each line of r, then closes when r ends.
func readLines(r io.Reader) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// Close implements command.
func (c *DialMain) Close() error { return nil }

// localURL is the agent's own callback URL for a listen address.
func localURL(listen, format, token string) string {
	host := listen
	if strings.HasPrefix(host, ":") || strings.HasPrefix(host, "0.0.0.0:") {
		host = "127.0.0.1" + host[strings.LastIndex(host, ":"):]
	}
	return "http://" + host + "/ussd/" + format + "/" + token
}

// handset is one phone dialling a code: it shows each screen in a box and
// sends what is typed, as the aggregator would.
type handset struct {
	f                gateway.Format
	url, phone, code string
	out              io.Writer
}

// call runs one session: dial, then a screen per line typed, until END,
// "q" (hang up) or the end of input.
func (h *handset) call(ctx context.Context, lines <-chan string) error {
	var b [8]byte
	rand.Read(b[:])
	call := &gateway.Call{Format: h.f, URL: h.url, Client: &http.Client{Timeout: 20 * time.Second},
		Request: ussd.Request{Session: "dial-" + hex.EncodeToString(b[:]), Phone: h.phone, Code: h.code}}
	fmt.Fprintf(h.out, "Dialling %s from %s (%s). Type a choice and Enter; q hangs up.\n", h.code, h.phone, h.f.Name())
	rep, err := call.Dial(ctx)
	// An agent just started may not listen yet: try again for a while.
	for tries := 0; errors.Is(err, syscall.ECONNREFUSED) && tries < 50 && ctx.Err() == nil; tries++ {
		time.Sleep(100 * time.Millisecond)
		rep, err = call.Dial(ctx)
	}
	for err == nil {
		fmt.Fprint(h.out, box(rep.Text))
		if rep.End {
			return nil
		}
		fmt.Fprint(h.out, "> ")
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case line, ok = <-lines:
		}
		line = strings.TrimSpace(line)
		if !ok || line == "q" {
			call.HangUp(ctx) // the network's release; no screen
			fmt.Fprintln(h.out, "Hung up.")
			return nil
		}
		rep, err = call.Press(ctx, line)
	}
	return fmt.Errorf("dial: %w", err)
}

// boxWidth is about what a feature phone shows on a line.
const boxWidth = 28

// box draws a screen as a handset shows it: lines wrapped to boxWidth.
func box(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		for utf8.RuneCountInString(l) > boxWidth {
			r := []rune(l)
			cut := boxWidth
			for i := boxWidth; i > boxWidth/2; i-- {
				if r[i] == ' ' {
					cut = i
					break
				}
			}
			lines = append(lines, string(r[:cut]))
			l = strings.TrimLeft(string(r[cut:]), " ")
		}
		lines = append(lines, l)
	}
	var b strings.Builder
	b.WriteString("┌" + strings.Repeat("─", boxWidth+2) + "┐\n")
	for _, l := range lines {
		b.WriteString("│ " + l + strings.Repeat(" ", boxWidth-utf8.RuneCountInString(l)) + " │\n")
	}
	b.WriteString("└" + strings.Repeat("─", boxWidth+2) + "┘\n")
	return b.String()
}
