package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// USSDURLMain is `tokri-central ussd url`: the callback URL to give the
// aggregator for a store.
type USSDURLMain struct {
	Stdout io.Writer
	flags  storageFlags
	store  string
	format string
	base   string
	st     server.Storage
}

func (m *USSDURLMain) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("ussd url", flag.ContinueOnError)
	m.flags.register(fs)
	fs.StringVar(&m.store, "store", "", "store ID")
	fs.StringVar(&m.format, "format", "", "aggregator format: "+strings.Join(gateway.Names(), ", "))
	fs.StringVar(&m.base, "base", "https://central.example", "central's public base URL, as the aggregator reaches it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !wire.ValidStoreID(m.store) {
		return errors.New("--store STORE_ID is required")
	}
	if _, ok := gateway.Lookup(m.format); !ok {
		return fmt.Errorf("--format must be one of %s", strings.Join(gateway.Names(), ", "))
	}
	return nil
}

func (m *USSDURLMain) Run(ctx context.Context) (err error) {
	if m.st, err = m.flags.open(ctx); err != nil {
		return err
	}
	secret, err := m.st.Secret(ctx, m.store)
	if err != nil {
		return fmt.Errorf("store %s: %w", m.store, err)
	}
	fmt.Fprintln(m.Stdout, strings.TrimRight(m.base, "/")+relay.CallbackPath(m.format, m.store, relay.CallbackToken(secret, m.store)))
	return nil
}

func (m *USSDURLMain) Close() error { return closeStorage(m.st) }
