// Package gateway reads and answers the HTTP callbacks of USSD aggregators
// (the companies that rent out dialled codes), one small file per format,
// turning each into a ussd.Request and a ussd.Reply back into what that
// aggregator wants. Adding an aggregator is adding one file that
// registers its Format.
//
// A Format also builds the callbacks its aggregator would send, and a
// Call sends them, so the terminal handset (tokri dial), the end-to-end
// tests and the bench drive a server exactly as the aggregator does.
package gateway

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/protocol/ussd"
)

// Format is one aggregator's callback format.
type Format interface {
	// Name is the format's name in URLs and configs ("africastalking").
	Name() string
	// Read parses one callback. A notification that wants no screen (the
	// session ended) comes back with Kind ussd.End.
	Read(r *http.Request) (ussd.Request, error)
	// Write answers a callback with rep.
	Write(w http.ResponseWriter, req ussd.Request, rep ussd.Reply)
	// Callback is the body and content type of the callback the
	// aggregator POSTs for req; inputs are all the shopper typed in the
	// session so far, req.Input last (Africa's Talking sends them all
	// each time).
	Callback(req ussd.Request, inputs []string) (body []byte, contentType string, err error)
	// ParseReply reads the body of the answer to such a callback.
	ParseReply(body []byte) (ussd.Reply, error)
}

var formats = map[string]Format{}

// register adds a format; each format's file calls it from init.
func register(f Format) { formats[f.Name()] = f }

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	f, ok := formats[name]
	return f, ok
}

// Names lists the formats, sorted.
func Names() []string {
	var n []string
	for k := range formats {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// ErrBadCallback means a callback lacks a field every step has.
var ErrBadCallback = errors.New("gateway: bad callback")

// maxBody bounds a callback's body: a few short fields.
const maxBody = 16 << 10

// Stepper answers one step of a session.
type Stepper func(ctx context.Context, req ussd.Request) (ussd.Reply, error)

// Handler serves f's callbacks: each is read, answered by step, and
// written back. When step fails the shopper gets END with fallback(err)
// (the error itself goes to the log, never to the handset).
func Handler(f Format, step Stepper, fallback func(error) string, log zerolog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		req, err := f.Read(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rep, err := step(r.Context(), req)
		if err != nil {
			log.Warn().Err(err).Str("format", f.Name()).Str("kind", req.Kind.String()).Msg("ussd step failed")
			text := ""
			if fallback != nil {
				text = fallback(err)
			}
			rep = ussd.Close(text)
		}
		f.Write(w, req, rep)
	})
}

// Call is one shopper's session sent as its Format's aggregator sends it, so
// the terminal handset, the bench and the tests drive a server through
// one client instead of each building the callbacks itself.
type Call struct {
	Format Format
	URL    string
	Client *http.Client // http.DefaultClient when nil
	// Who dials what: Session, Phone, Code, Network. Each step sets the rest.
	ussd.Request
	inputs []string
}

// Dial starts the session over and returns the first screen.
func (c *Call) Dial(ctx context.Context) (ussd.Reply, error) {
	c.inputs = nil
	c.Kind, c.Input, c.Seq = ussd.Begin, "", 0
	return c.send(ctx)
}

// Press sends what the shopper typed and returns the next screen.
func (c *Call) Press(ctx context.Context, in string) (ussd.Reply, error) {
	c.inputs = append(c.inputs, in)
	c.Kind, c.Input, c.Seq = ussd.Continue, in, len(c.inputs)
	return c.send(ctx)
}

// HangUp sends the network's end-of-session notification.
func (c *Call) HangUp(ctx context.Context) error {
	c.Kind = ussd.End
	_, err := c.send(ctx)
	return err
}

func (c *Call) send(ctx context.Context) (ussd.Reply, error) {
	body, contentType, err := c.Format.Callback(c.Request, c.inputs)
	if err != nil {
		return ussd.Reply{}, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return ussd.Reply{}, err
	}
	r.Header.Set("Content-Type", contentType)
	resp, err := cmp.Or(c.Client, http.DefaultClient).Do(r)
	if err != nil {
		return ussd.Reply{}, err
	}
	defer resp.Body.Close()
	if body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody)); err != nil {
		return ussd.Reply{}, fmt.Errorf("read ussd reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return ussd.Reply{}, &StatusError{Code: resp.StatusCode, Body: string(body)}
	}
	return c.Format.ParseReply(body)
}

// StatusError is a callback answered with a status other than 200, as a
// wrong token or path is (404).
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("ussd reply: %d %s: %.80s", e.Code, http.StatusText(e.Code), e.Body)
}
