package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/wire"
)

// BenchIdleMain is "tokri bench-idle": what an idle agent costs its mobile
// data pack, counted at the IP level. The agent ("tokri run" on a virtual
// modem) and tokri-central run as processes in a network namespace of
// their own, where nothing else uses the loopback interface, set to a
// mobile link's MTU; /proc/net/dev's lo counters then hold every IP packet
// between them, both ways (lo counts a packet once, as sent): IP and TCP
// headers, TCP and TLS handshakes, closes, keep-alives. Beside them stands
// the agent's own count, the one its daily data cap spends.
type BenchIdleMain struct {
	rounds     int
	interval   time.Duration
	relayPings int
	relayPing  time.Duration
	central    string
	catalog    string
	keep       bool
	pq         bool
	out        io.Writer
}

// netnsEnv marks the process unshare started in the new namespace.
const netnsEnv = "TOKRI_BENCH_IDLE_NETNS"

// Flags implements command.Command.
func (c *BenchIdleMain) Flags(fs *flag.FlagSet) {
	fs.IntVar(&c.rounds, "rounds", 3, "idle sync rounds counted")
	// Central closes a connection idle for a minute, so rounds 65 s apart
	// each open a new one, as rounds at the default interval always do.
	fs.DurationVar(&c.interval, "interval", 65*time.Second, "between sync rounds")
	// A ping costs the same at any interval: count a few, soon, and scale
	// them to central's default interval.
	fs.IntVar(&c.relayPings, "relay-pings", 8, "central's pings of the idle USSD relay connection counted")
	fs.DurationVar(&c.relayPing, "relay-ping", 15*time.Second, "between central's pings while counting")
	fs.StringVar(&c.central, "central", "", "tokri-central `BINARY` (default: beside this one)")
	fs.StringVar(&c.catalog, "catalog", "examples/kirana.csv", "catalog CSV central holds")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (logs, stores)")
	fs.BoolVar(&c.pq, "post-quantum", false, "the agent's TLS key exchange adds ML-KEM-768 ([sync] post_quantum)")
}

// Args implements command.Arguments.
func (c *BenchIdleMain) Args(args []string) error {
	switch {
	case len(args) > 0:
		return fmt.Errorf("unexpected argument %q", args[0])
	case c.rounds <= 0 || c.relayPings <= 0 || c.relayPing < time.Second:
		return errors.New("--rounds and --relay-pings must be positive, --relay-ping at least 1s")
	case c.interval < 5*time.Second:
		return errors.New("--interval must be at least 5s, the shortest sync.interval the agent takes")
	}
	return nil
}

// Close implements command.
func (c *BenchIdleMain) Close() error { return nil }

// Run implements command.
func (c *BenchIdleMain) Run(ctx context.Context) error {
	if c.out == nil {
		c.out = os.Stdout
	}
	if os.Getenv(netnsEnv) == "" {
		return c.unshare(ctx)
	}
	return c.measure(ctx)
}

// unshare runs this command again in a new network namespace, or says why
// it cannot (unshare needs root, or user namespaces).
func (c *BenchIdleMain) unshare(ctx context.Context) error {
	fmt.Fprintln(c.out, "idle agent: mobile data at the IP level (tokri run and tokri-central in a network namespace of their own, lo at MTU 1500, a packet a segment)")
	if out, err := exec.CommandContext(ctx, "unshare", "--net", "true").CombinedOutput(); err != nil {
		why := strings.TrimSpace(string(out))
		if why == "" {
			why = err.Error()
		}
		fmt.Fprintf(c.out, "  skipped: unshare --net: %s; the connection-level figure (BenchmarkIdleRound) stands alone\n", why)
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "unshare", "--net", "--", exe, "bench-idle",
		"--rounds", fmt.Sprint(c.rounds), "--interval", c.interval.String(), "--relay-pings", fmt.Sprint(c.relayPings), "--relay-ping", c.relayPing.String(),
		"--central", c.central, "--catalog", c.catalog, fmt.Sprintf("--keep=%t", c.keep), fmt.Sprintf("--post-quantum=%t", c.pq))
	cmd.Env = append(os.Environ(), netnsEnv+"=1")
	cmd.Stdout, cmd.Stderr = c.out, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) } // it stops its agent and central
	cmd.WaitDelay = 30 * time.Second
	return cmd.Run()
}

// measure runs in the new namespace: central, then an agent that only
// syncs, then one that holds the USSD relay open.
func (c *BenchIdleMain) measure(ctx context.Context) error {
	// One segment a packet, as on a mobile link: lo otherwise passes the
	// kernel's large segments on whole, counting their headers once.
	if out, err := exec.CommandContext(ctx, "ip", "link", "set", "lo", "mtu", "1500", "gso_max_segs", "1", "up").CombinedOutput(); err != nil {
		return fmt.Errorf("bring lo up: %v: %s", err, out)
	}
	dir, err := benchDir("tokri-bench-idle-", c.keep, c.out)
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	}
	sync, stop, err := c.startCentral(ctx, dir)
	if err != nil {
		return err
	}
	defer stop()

	syncRun, err := c.runAgent(ctx, filepath.Join(dir, "sync"), sync+"interval = \""+c.interval.String()+"\"\n\n[ussd]\nrelay = false\n",
		func(cl *admin.Client) (idleCount, error) {
			from, err := markNow(ctx, cl)
			if err != nil {
				return idleCount{}, err
			}
			for range c.rounds {
				if err := nextRound(ctx, cl, c.interval+time.Minute); err != nil {
					return idleCount{}, err
				}
			}
			return countSince(ctx, cl, from)
		})
	if err != nil {
		return err
	}
	relayRun, err := c.runAgent(ctx, filepath.Join(dir, "relay"), sync+"interval = \"24h\"\n",
		func(cl *admin.Client) (idleCount, error) {
			// The first round's connection closes when central finds it
			// idle for a minute; the relay's alone is counted after that.
			select {
			case <-ctx.Done():
				return idleCount{}, ctx.Err()
			case <-time.After(c.interval):
			}
			if err := quiet(ctx, 3*time.Second, time.Minute); err != nil {
				return idleCount{}, err
			}
			from, err := markNow(ctx, cl)
			if err != nil {
				return idleCount{}, err
			}
			select { // a whole number of ping intervals holds that many pings
			case <-ctx.Done():
				return idleCount{}, ctx.Err()
			case <-time.After(time.Duration(c.relayPings) * c.relayPing):
			}
			return countSince(ctx, cl, from)
		})
	if err != nil {
		return err
	}
	if relayRun.ip.packets == 0 {
		return errors.New("the USSD relay's connection carried nothing: not connected? (keep the directory with --keep and read relay/agent.log)")
	}

	perHour := float64(time.Hour) / float64(uplink.DefaultInterval)
	round := float64(syncRun.ip.bytes) / float64(c.rounds)
	counted := float64(syncRun.agent) / float64(c.rounds)
	how := fmt.Sprintf("each on a new connection as at the %v default interval", uplink.DefaultInterval)
	if c.interval <= wire.IdleClose {
		how = "on a kept-alive connection, which central closes after a minute idle: shorter than the default interval's"
	}
	fmt.Fprintf(c.out, "  sync, %d idle rounds %v apart, %s:\n", c.rounds, c.interval, how)
	fmt.Fprintf(c.out, "    IP level       %6.0f B/round (%.1f packets)   %5.1f KB/idle hour   %6.1f KB/idle day\n",
		round, float64(syncRun.ip.packets)/float64(c.rounds), round*perHour/1024, round*perHour*24/1024)
	fmt.Fprintf(c.out, "    agent's count  %6.0f B/round                  %5.1f KB/idle hour   %6.1f KB/idle day   (the data cap's: %.0f%% of the IP level)\n",
		counted, counted*perHour/1024, counted*perHour*24/1024, 100*counted/round)
	pings, perDay := float64(c.relayPings), float64(24*time.Hour/relay.DefaultPingEvery)
	ping, pingCounted := float64(relayRun.ip.bytes)/pings, float64(relayRun.agent)/pings
	fmt.Fprintf(c.out, "  USSD relay, its idle connection (no keep-alives) for %d of central's pings, as at the %v default:\n", c.relayPings, relay.DefaultPingEvery)
	fmt.Fprintf(c.out, "    IP level       %6.0f B/ping (%.1f packets)    %5.1f KB/idle hour   %6.1f KB/idle day\n",
		ping, float64(relayRun.ip.packets)/pings, ping*perDay/24/1024, ping*perDay/1024)
	fmt.Fprintf(c.out, "    agent's count  %6.0f B/ping                   %5.1f KB/idle hour   %6.1f KB/idle day   (%.0f%% of the IP level)\n",
		pingCounted, pingCounted*perDay/24/1024, pingCounted*perDay/1024, 100*pingCounted/ping)
	fmt.Fprintf(c.out, "  an idle day, sync and relay: %.1f KB at the IP level, %.1f KB by the agent's count\n",
		(round*perHour*24+ping*perDay)/1024, (counted*perHour*24+pingCounted*perDay)/1024)
	fmt.Fprintf(c.out, "  (TLS key exchange %s; rounds after the first resume its session, so no certificate is sent: a CA's chain adds its size only to the first connection after either end starts)\n",
		map[bool]string{false: "X25519", true: "X25519MLKEM768"}[c.pq])
	return nil
}

// idleCount is what an idle stretch cost: on lo, and by the agent's count.
type idleCount struct {
	ip    loBytes
	agent int64
}

// startCentral makes a store and its TLS certificate, starts tokri-central
// serving it, and returns the agent's [sync] section (without interval).
func (c *BenchIdleMain) startCentral(ctx context.Context, dir string) (sync string, stop func(), err error) {
	bin := c.central
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", nil, err
		}
		bin = filepath.Join(filepath.Dir(exe), "tokri-central")
	}
	data := filepath.Join(dir, "central")
	const storeID = "bench-idle"
	out, err := exec.CommandContext(ctx, bin, "store", "add", "--data", data, storeID).Output()
	if err != nil {
		return "", nil, fmt.Errorf("%s store add: %w", bin, err)
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	secret := lines[len(lines)-1]
	if out, err := exec.CommandContext(ctx, bin, "catalog", "import", "--data", data, "--store", storeID, c.catalog).CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("%s catalog import: %v: %s", bin, err, out)
	}
	cert, key, pin, err := selfSigned(dir)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p, err := startLogged(filepath.Join(dir, "central.log"), nil, bin, "serve", "--addr", addr, "--data", data, "--tls-cert", cert, "--tls-key", key,
		"--relay-ping", c.relayPing.String())
	if err != nil {
		return "", nil, err
	}
	for start := time.Now(); ; {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			break
		}
		if time.Since(start) > 30*time.Second {
			p.stop()
			return "", nil, fmt.Errorf("tokri-central did not listen on %s (log: %s): %w", addr, p.logPath, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	sync = fmt.Sprintf("\n[sync]\nserver = \"https://%s\"\nstore_id = %q\nsecret = %q\npin_sha256 = %q\npost_quantum = %t\n", addr, storeID, secret, pin, c.pq)
	return sync, p.stop, nil
}

// runAgent starts an agent in dir on a virtual modem with extra config,
// waits for its first sync round (the catalog), and has count measure.
func (c *BenchIdleMain) runAgent(ctx context.Context, dir, extra string, count func(*admin.Client) (idleCount, error)) (idleCount, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return idleCount{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	link := filepath.Join(dir, "modem")
	_, simErr, err := startSim(ctx, vmodem.Config{Link: link, Profile: "sim800", Log: zerolog.Nop()})
	if err != nil {
		return idleCount{}, err
	}
	defer func() { cancel(); <-simErr }()
	agent, err := startAgent(dir, link, extra)
	if err != nil {
		return idleCount{}, err
	}
	defer agent.stop()
	cl := admin.Dial(filepath.Join(dir, "data", admin.SocketName))
	if err := firstRound(ctx, cl); err != nil {
		return idleCount{}, fmt.Errorf("%w (log: %s)", err, agent.logPath)
	}
	n, err := count(cl)
	if err != nil {
		return idleCount{}, fmt.Errorf("%w (log: %s)", err, agent.logPath)
	}
	return n, nil
}

// firstRound waits for the agent's first successful sync round.
func firstRound(ctx context.Context, cl *admin.Client) error {
	return pollSync(ctx, time.Minute, cl, func(s *admin.SyncStatus) bool { return !s.LastSuccess.IsZero() })
}

// nextRound waits for the agent's next sync round after the one its status
// shows now, and fails if it failed.
func nextRound(ctx context.Context, cl *admin.Client, timeout time.Duration) error {
	st, err := cl.Status(ctx)
	if err != nil || st.Sync == nil {
		return fmt.Errorf("agent status: %v", err)
	}
	last := st.Sync.LastAttempt
	var lastErr string
	err = pollSync(ctx, timeout, cl, func(s *admin.SyncStatus) bool {
		lastErr = s.LastError
		return s.LastAttempt.After(last)
	})
	if err == nil && lastErr != "" {
		err = fmt.Errorf("sync round failed: %s", lastErr)
	}
	return err
}

// pollSync asks the agent's status until done holds of its sync part.
func pollSync(ctx context.Context, timeout time.Duration, cl *admin.Client, done func(*admin.SyncStatus) bool) error {
	deadline := time.Now().Add(timeout)
	for {
		st, err := cl.Status(ctx)
		if err == nil && st.Sync != nil && done(st.Sync) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no sync round within %v (status: %v)", timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// quiet waits until lo has carried nothing for d.
func quiet(ctx context.Context, d, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	last, err := readLo()
	for err == nil {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
		var now loBytes
		if now, err = readLo(); err == nil && now == last {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("lo never quiet for %v", d)
		}
		last = now
	}
	return err
}

// markNow reads lo's counters and the agent's count now.
func markNow(ctx context.Context, cl *admin.Client) (idleCount, error) {
	lo, err := readLo()
	if err != nil {
		return idleCount{}, err
	}
	n, err := agentBytes(ctx, cl)
	return idleCount{ip: lo, agent: n}, err
}

// countSince is what lo and the agent's count add up to since from.
func countSince(ctx context.Context, cl *admin.Client, from idleCount) (idleCount, error) {
	now, err := markNow(ctx, cl)
	return idleCount{ip: loBytes{now.ip.bytes - from.ip.bytes, now.ip.packets - from.ip.packets}, agent: now.agent - from.agent}, err
}

// agentBytes is the agent's count of sync bytes today, both ways: what
// its daily data cap spends.
func agentBytes(ctx context.Context, cl *admin.Client) (int64, error) {
	st, err := cl.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("agent status: %w", err)
	}
	if st.Sync == nil {
		return 0, errors.New("agent status: no sync")
	}
	return st.Sync.BytesSentToday + st.Sync.BytesReceivedToday, nil
}

// loBytes are lo's transmit counters: every packet on it, once.
type loBytes struct{ bytes, packets int64 }

// readLo reads lo's line of /proc/net/dev: eight receive fields, then
// transmit bytes and packets.
func readLo() (loBytes, error) {
	b, err := os.ReadFile("/proc/net/dev")
	if err != nil {
		return loBytes{}, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) != "lo" {
			continue
		}
		var rx [8]int64
		var tx loBytes
		if _, err := fmt.Sscan(rest, &rx[0], &rx[1], &rx[2], &rx[3], &rx[4], &rx[5], &rx[6], &rx[7], &tx.bytes, &tx.packets); err != nil {
			return loBytes{}, fmt.Errorf("/proc/net/dev: lo: %w", err)
		}
		return tx, nil
	}
	return loBytes{}, errors.New("/proc/net/dev: no lo")
}

// selfSigned writes a certificate for 127.0.0.1 and its key to dir and
// returns their paths and the certificate's pin.
func selfSigned(dir string) (cert, key, pin string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "tokri-central"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		return "", "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", "", "", err
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return "", "", "", err
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", "", err
	}
	return cert, key, wire.Fingerprint(der), nil
}
