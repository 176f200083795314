package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/atomicfile"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/wire"
)

// USSDURLMain is `tokri-central ussd url`: the callback URL to give the
// aggregator for a store.
type USSDURLMain struct {
	Stdout io.Writer
	oneStoreCommand
	format string
	base   string
}

func (m *USSDURLMain) Flags(fs *flag.FlagSet) {
	m.register(fs)
	fs.StringVar(&m.format, "format", "", "aggregator format: "+strings.Join(gateway.Names(), ", "))
	fs.StringVar(&m.base, "base", "https://central.example", "central's public base `URL`, as the aggregator reaches it")
}

// Args implements command.Arguments: --store and --format are required.
func (m *USSDURLMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if !wire.ValidStoreID(m.store) {
		return errors.New("--store STORE_ID is required")
	}
	if _, ok := gateway.Lookup(m.format); !ok {
		return fmt.Errorf("--format must be one of %s", strings.Join(gateway.Names(), ", "))
	}
	return nil
}

// Run reads the store's secret from the store file or, while serve holds
// that file, asks serve over its local socket.
func (m *USSDURLMain) Run(ctx context.Context) (err error) {
	var token string
	switch err := m.open(ctx); {
	case errors.Is(err, ErrInUse):
		var askErr error
		if token, askErr = askToken(ctx, m.flags.Data, m.store); errors.Is(askErr, errNoServe) {
			return err // held by something other than serve: say so
		} else if askErr != nil {
			return askErr
		}
	case err != nil:
		return err
	default:
		secret, err := m.st.Secret(ctx, m.store)
		if err != nil {
			return fmt.Errorf("store %s: %w", m.store, err)
		}
		token = relay.CallbackToken(secret, m.store)
	}
	fmt.Fprintln(m.Stdout, strings.TrimRight(m.base, "/")+relay.CallbackPath(m.format, m.store, token))
	return nil
}

// numbersFile keeps the SMS number and language each store's agent last
// gave.
const numbersFile = "ussd-numbers.json"

// keepContacts loads the saved numbers and languages into hub and saves
// them again whenever a store gives a new one. A file from before
// languages were kept (store -> number) still loads.
func keepContacts(hub *relay.Hub, path string, log zerolog.Logger) {
	if b, err := os.ReadFile(path); err == nil {
		var saved map[string]json.RawMessage
		if err := json.Unmarshal(b, &saved); err != nil {
			log.Warn().Err(err).Str("file", path).Msg("stores' SMS numbers unreadable; starting without")
		}
		for s, raw := range saved {
			var c relay.Contact
			if err := json.Unmarshal(raw, &c); err != nil {
				if err := json.Unmarshal(raw, &c.Number); err != nil {
					log.Warn().Err(err).Str("store", s).Msg("store's saved SMS number unreadable; skipped")
					continue
				}
			}
			hub.SetContact(s, c)
		}
	}
	var mu sync.Mutex
	hub.SetOnContact(func(string, relay.Contact) {
		mu.Lock()
		defer mu.Unlock()
		b, err := json.Marshal(hub.Contacts())
		if err == nil {
			err = atomicfile.Write(path, b, 0o600)
		}
		if err != nil {
			log.Warn().Err(err).Msg("save stores' SMS numbers")
		}
	})
}
