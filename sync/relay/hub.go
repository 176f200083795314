package relay

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/sync/wire"
)

// Errors of the central end.
var (
	// ErrNotConnected means the store's agent has no connection open.
	ErrNotConnected = errors.New("relay: store not connected")
	// ErrGone means the connection ended before the agent answered.
	ErrGone = errors.New("relay: connection ended")
)

// HubOptions configure a Hub.
type HubOptions struct {
	// Secret returns a store's secret; an error refuses the store.
	Secret func(ctx context.Context, store string) (string, error)
	Log    zerolog.Logger
	Now    func() time.Time
	// StepTimeout bounds the wait for one screen (aggregators give up
	// after about 15 s). Default 10 s.
	StepTimeout time.Duration
	// PingEvery is how often central pings an idle connection, to keep
	// the mobile NATs on its way from forgetting it. Default
	// DefaultPingEvery.
	PingEvery time.Duration
	// OnContact, if set, is told when a store gives a new SMS number or
	// language, to keep them for after a restart (SetContact gives them
	// back).
	OnContact func(store string, c Contact)
}

// DefaultPingEvery is central's ping interval unless set. A carrier's NAT
// drops a TCP mapping idle for longer than its timeout, and then a USSD
// dial finds the agent away until it notices and reconnects (a new TLS
// connection, a few KB). Those timeouts are hours on paper (RFC 5382 asks
// for two) but minutes on some mobile networks: 270 s is what keeps a
// connection alive on the shortest we know of, where 9 minutes did not.
// A ping is one TLS record of about 70 B and the agent's ACK, 174 B at
// the IP level with the headers: 320 a day, 54 KB, which with sync's
// idle rounds (30 KB) makes an idle day 84 KB. Where the stores'
// carriers keep mappings longer, a longer interval costs less: 6 minutes
// makes the day 71 KB (tokri-central serve --relay-ping).
const DefaultPingEvery = 270 * time.Second

// helloWait bounds the wait for an agent's first frame.
const helloWait = 30 * time.Second

// pongEvery is the ping interval for an agent that does not ask for
// PingEvery (see HeaderPing), which goes silent after 80 s and pongs.
const pongEvery = 25 * time.Second

// Contact is what a store's agent says of the shop when it connects, for
// the line shoppers read while it is away: the number to text and the
// shop's language.
type Contact struct {
	Number string        `json:"number,omitempty"`
	Lang   protocol.Lang `json:"lang,omitempty"`
}

// Hub is central's end: the agents' connections, one per store.
type Hub struct {
	opts HubOptions
	log  zerolog.Logger

	mu       sync.Mutex // guards following
	conns    map[string]*hubConn
	contacts map[string]Contact // what each store last said
	closed   bool
}

// NewHub returns a Hub.
func NewHub(opts HubOptions) *Hub {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.StepTimeout == 0 {
		opts.StepTimeout = 10 * time.Second
	}
	if opts.PingEvery == 0 {
		opts.PingEvery = DefaultPingEvery
	}
	return &Hub{opts: opts, log: opts.Log.With().Str("component", "relay-hub").Logger(), conns: map[string]*hubConn{}, contacts: map[string]Contact{}}
}

// hubConn is one agent's connection.
type hubConn struct {
	store string
	conn  net.Conn
	c     codec
	every time.Duration // between pings
	pongs bool          // the agent answers each ping

	wmu sync.Mutex // serialises writes

	mu      sync.Mutex // guards following
	nextID  uint64
	pending map[uint64]chan frame
	gone    bool
}

// ServeHTTP takes an agent's GET /v1/relay: checks the signature as sync
// does, switches protocols, and serves the connection until it ends.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.Header.Get("Upgrade") != Protocol {
		http.Error(w, "relay wants GET with Upgrade: "+Protocol, http.StatusBadRequest)
		return
	}
	a, err := wire.ParseAuth(r.Header)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	secret, err := h.opts.Secret(r.Context(), a.Store)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if err := a.Verify(secret, r.Method, r.URL.RequestURI(), nil, h.opts.Now()); err != nil {
		http.Error(w, "unauthorized: "+err.Error(), http.StatusUnauthorized)
		return
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot switch protocols", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	noKeepAlive(conn)
	nonce := wire.NewNonce()
	hc := &hubConn{store: a.Store, conn: conn, pending: map[uint64]chan frame{}, every: h.opts.PingEvery,
		c: codec{key: sessionKey(secret, a.Nonce, nonce), out: fromCentral, in: fromAgent, r: brw.Reader, w: conn}}
	ping := fmt.Sprintf("%s: %d\r\n", HeaderPing, int(hc.every/time.Second))
	if r.Header.Get(HeaderPing) == "" {
		hc.every, hc.pongs, ping = pongEvery, true, ""
	}
	fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: %s\r\nConnection: Upgrade\r\n%s: %s\r\n%s\r\n", Protocol, HeaderNonce, nonce, ping)
	if err := brw.Flush(); err != nil {
		return
	}
	h.serve(hc)
}

// serve waits for the hello, makes hc the store's connection, and reads
// its frames until it ends.
func (h *Hub) serve(hc *hubConn) {
	log := h.log.With().Str("store", hc.store).Logger()
	hc.conn.SetReadDeadline(time.Now().Add(helloWait))
	f, err := hc.c.read()
	if err != nil || f.Type != typeHello {
		log.Warn().Err(err).Msg("relay connection refused: no valid hello")
		return
	}
	said := Contact{Number: f.Number, Lang: f.Lang}
	ok, changed := h.register(hc, said)
	if !ok {
		return
	}
	if changed && h.opts.OnContact != nil {
		h.opts.OnContact(hc.store, h.Contact(hc.store))
	}
	log.Info().Msg("agent connected for ussd")
	defer func() {
		h.unregister(hc)
		log.Info().Msg("agent disconnected")
	}()
	stop := make(chan struct{})
	defer close(stop)
	go h.ping(hc, stop)
	// An agent that asked for the interval answers no ping, so its
	// connection may be silent for hours: a dead one ends when a ping's
	// write fails, or when the agent, missing pings, connects again. One
	// that pongs is dead after three pings unanswered.
	hc.conn.SetReadDeadline(time.Time{})
	for {
		if hc.pongs {
			hc.conn.SetReadDeadline(time.Now().Add(3 * hc.every))
		}
		f, err := hc.c.read()
		if err != nil {
			if errors.Is(err, ErrBadFrame) {
				log.Warn().Err(err).Msg("relay connection dropped")
			}
			return
		}
		switch f.Type {
		case typeReply:
			hc.mu.Lock()
			ch := hc.pending[f.ID]
			delete(hc.pending, f.ID)
			hc.mu.Unlock()
			if ch != nil {
				ch <- f
			}
		case typePing:
			if hc.write(frame{Type: typePong}) != nil {
				return
			}
		}
	}
}

func (h *Hub) ping(hc *hubConn, stop <-chan struct{}) {
	t := time.NewTicker(hc.every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if hc.write(frame{Type: typePing}) != nil {
				hc.conn.Close()
				return
			}
		}
	}
}

// noKeepAlive turns the kernel's keep-alives off on conn, under TLS too:
// the pings already keep it alive and check it, and each probe and its
// ACK cost a mobile data pack 104 B more.
func noKeepAlive(conn net.Conn) {
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = tc.NetConn()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetKeepAlive(false)
	}
}

func (hc *hubConn) write(f frame) error {
	hc.wmu.Lock()
	defer hc.wmu.Unlock()
	hc.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return hc.c.write(f)
}

// register makes hc the store's connection, closing the one before;
// changed says the store gave a new number or language (an agent that
// gives none keeps what central knew).
func (h *Hub) register(hc *hubConn, said Contact) (ok, changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false, false
	}
	if old := h.conns[hc.store]; old != nil {
		old.conn.Close()
	}
	h.conns[hc.store] = hc
	c := h.contacts[hc.store]
	if said.Number != "" && c.Number != said.Number {
		c.Number, changed = said.Number, true
	}
	if said.Lang != "" && c.Lang != said.Lang {
		c.Lang, changed = said.Lang, true
	}
	h.contacts[hc.store] = c
	return true, changed
}

// unregister forgets hc and fails the steps waiting on it.
func (h *Hub) unregister(hc *hubConn) {
	h.mu.Lock()
	if h.conns[hc.store] == hc {
		delete(h.conns, hc.store)
	}
	h.mu.Unlock()
	hc.mu.Lock()
	hc.gone = true
	for id, ch := range hc.pending {
		close(ch)
		delete(hc.pending, id)
	}
	hc.mu.Unlock()
}

// Connected says whether store's agent has a connection open.
func (h *Hub) Connected(store string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns[store] != nil
}

// Contact is what store's agent last said of the shop; empty if nothing.
func (h *Hub) Contact(store string) Contact {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.contacts[store]
}

// SetOnContact sets HubOptions.OnContact; call it before serving.
func (h *Hub) SetOnContact(fn func(store string, c Contact)) { h.opts.OnContact = fn }

// Contacts are what the stores said, by store.
func (h *Hub) Contacts() map[string]Contact {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.contacts)
}

// SetContact records what store said (from a saved list, at start).
func (h *Hub) SetContact(store string, c Contact) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.contacts[store] = c
}

// Step relays req to store's agent and returns its screen.
func (h *Hub) Step(ctx context.Context, store string, req ussd.Request) (ussd.Reply, error) {
	h.mu.Lock()
	hc := h.conns[store]
	h.mu.Unlock()
	if hc == nil {
		return ussd.Reply{}, ErrNotConnected
	}
	ch := make(chan frame, 1)
	hc.mu.Lock()
	if hc.gone {
		hc.mu.Unlock()
		return ussd.Reply{}, ErrNotConnected
	}
	hc.nextID++
	id := hc.nextID
	hc.pending[id] = ch
	hc.mu.Unlock()
	forget := func() {
		hc.mu.Lock()
		delete(hc.pending, id)
		hc.mu.Unlock()
	}
	if err := hc.write(frame{Type: typeStep, ID: id, Req: &req}); err != nil {
		forget()
		hc.conn.Close()
		return ussd.Reply{}, fmt.Errorf("relay step: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.StepTimeout)
	defer cancel()
	select {
	case f, ok := <-ch:
		switch {
		case !ok:
			return ussd.Reply{}, ErrGone
		case f.Err != "":
			return ussd.Reply{}, fmt.Errorf("agent: %s", f.Err)
		case f.Rep == nil:
			return ussd.Reply{}, fmt.Errorf("%w: reply without a screen", ErrBadFrame)
		}
		return *f.Rep, nil
	case <-ctx.Done():
		forget()
		return ussd.Reply{}, fmt.Errorf("relay step: %w", ctx.Err())
	}
}

// Close ends every connection; new ones are refused.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, hc := range h.conns {
		hc.conn.Close()
	}
}
