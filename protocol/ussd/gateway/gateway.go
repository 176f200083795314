// Package gateway reads and answers the HTTP callbacks of USSD aggregators
// (the companies that rent out dialled codes), one small file per format,
// turning each into a ussd.Request and a ussd.Reply back into what that
// aggregator wants. Adding an aggregator is adding one file that
// registers its Format.
//
// A Format also builds the callbacks its aggregator would send, so the
// terminal handset (tokri dial), the end-to-end tests and the bench drive
// a server exactly as the aggregator does.
package gateway

import (
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
	// NewRequest builds the callback the aggregator sends to url for req;
	// inputs are all the shopper typed in the session so far, req.Input
	// last (Africa's Talking sends them all each time).
	NewRequest(ctx context.Context, url string, req ussd.Request, inputs []string) (*http.Request, error)
	// ReadReply reads the answer to such a callback.
	ReadReply(resp *http.Response) (ussd.Reply, error)
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

// readAll reads a reply body, bounded.
func readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read ussd reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("ussd reply: %s: %.80s", resp.Status, b)
	}
	return b, nil
}
