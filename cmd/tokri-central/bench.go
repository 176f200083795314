package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/loadgen"
	"github.com/tokrihq/tokri/sync/server/pgstore"
	"github.com/tokrihq/tokri/sync/server/storetest"
	"github.com/tokrihq/tokri/sync/wire"
)

// BenchMain is `tokri-central bench`: a server on loopback over a fresh
// storage, and many simulated agents pushing and pulling against it.
type BenchMain struct {
	Stdout, Stderr io.Writer
	storageCommand
	agents   int
	items    int
	duration time.Duration
	tmp      string
}

func (m *BenchMain) Flags(fs *flag.FlagSet) {
	m.flags.register(fs)
	fs.IntVar(&m.agents, "agents", 1000, "simulated agents, one store each")
	fs.IntVar(&m.items, "items", 50, "catalog items per store")
	fs.DurationVar(&m.duration, "duration", 10*time.Second, "how long to run")
}

// Args implements command.Arguments: --agents must be positive.
func (m *BenchMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if m.agents <= 0 {
		return errors.New("--agents must be positive")
	}
	return nil
}

func (m *BenchMain) Run(ctx context.Context) (err error) {
	backend := "bbolt"
	if m.flags.DB != "" {
		backend = "postgres"
	} else if m.flags.Data == "" {
		if m.tmp, err = os.MkdirTemp("", "tokri-central-bench"); err != nil {
			return err
		}
		m.flags.Data = m.tmp
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if pg, ok := m.st.(*pgstore.Store); ok {
		fmt.Fprintln(m.Stderr, "bench: emptying the PostgreSQL tables first")
		if err := pg.Reset(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stderr, "bench: creating %d stores with %d items each on %s\n", m.agents, m.items, backend)
	items := storetest.Items(m.items)
	agents := make([]loadgen.Agent, m.agents)
	run := fmt.Sprintf("%x", time.Now().UnixNano())[8:]
	for i := range agents {
		sec, err := wire.GenerateSecret()
		if err != nil {
			return err
		}
		agents[i] = loadgen.Agent{Store: fmt.Sprintf("bench-%s-%04d", run, i), Secret: sec}
		if err := m.st.AddStore(ctx, agents[i].Store, sec, time.Now()); err != nil {
			return err
		}
		if _, err := m.st.ImportCatalog(ctx, agents[i].Store, items, server.CategoriesOf(items)); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		// Every simulated agent dials from loopback: the caps that guard
		// a real server against one address are raised to the agents, or
		// the bench would measure the cap's refusals.
		limits := server.Limits{MaxConns: 2 * m.agents, MaxConnsPerIP: 2 * m.agents}
		done <- server.New(server.Options{Storage: m.st, Log: zerolog.Nop(), Limits: limits}).Run(sctx, ln, nil)
	}()
	res, err := loadgen.Run(ctx, loadgen.Options{URL: "http://" + ln.Addr().String(), Agents: agents, Duration: m.duration})
	stop()
	if serr := <-done; err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backend %s, %d agents: %s\n", backend, m.agents, res)
	if res.FirstError != "" {
		fmt.Fprintf(m.Stdout, "first error: %s\n", res.FirstError)
	}
	return nil
}

func (m *BenchMain) Close() error {
	err := m.storageCommand.Close()
	if m.tmp != "" {
		os.RemoveAll(m.tmp)
	}
	return err
}
