package uplink

import (
	"cmp"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/sync/wire"
)

// Defaults for a store on a metered 2G link.
const (
	DefaultInterval   = 2 * time.Hour // a commit wakes a round; see config.DefaultSyncInterval
	DefaultMinBackoff = 5 * time.Second
	DefaultMaxBackoff = 15 * time.Minute
	DefaultBatch      = 100
	DefaultTimeout    = 2 * time.Minute
)

// Options configure a Client. DB, Server, StoreID and Secret are required.
type Options struct {
	DB      *store.DB
	Server  string // base URL, e.g. "https://central.example.com"
	StoreID string
	Secret  string
	// PinSHA256 is the hex SHA-256 of the server's leaf certificate; when
	// set it replaces CA verification (see wire.PinnedTLSConfig).
	PinSHA256 string
	// PostQuantum keeps Go's default key exchange, which adds ML-KEM-768
	// to X25519; see tlsConfig for why the agent leaves it out by default.
	PostQuantum bool
	// DailyBytes caps the bytes sent plus received per day at the IP
	// level, sync's and those of the connections given to CountConn; 0
	// means no cap. A request goes out only if it and the largest reply
	// seen on its path still fit.
	DailyBytes int64
	// Location draws the budget's day boundary. Default UTC.
	Location *time.Location
	Log      zerolog.Logger
	Now      func() time.Time // default time.Now
	// HTTP is the client requests go through; default one with Timeout
	// and, if PinSHA256 is set, the pin. A given client with a pin must
	// have an *http.Transport (or nil), which is cloned.
	HTTP *http.Client
	// wire counts the bytes on the transport's connections; nil when
	// HTTP's transport is not an *http.Transport.
	wire *wireCounter
	// tls is the transport's TLS config, whose session cache the agent's
	// other links to central share; nil with wire.
	tls *tls.Config
	// Interval is the wait between rounds while all is well.
	Interval time.Duration
	// Wake, when not nil, starts a round early while the link is up: the
	// store's SyncSignal, so an order leaves as soon as it commits.
	Wake <-chan struct{}
	// MinBackoff and MaxBackoff bound the wait after failed rounds.
	MinBackoff, MaxBackoff time.Duration
	// Batch is the number of records per push; at most wire.MaxPushRecords.
	Batch int
	// PageItems is the number of catalog items asked for per page.
	PageItems int
	// Timeout bounds one request when HTTP is nil.
	Timeout time.Duration
	// Rand is the jitter source, uniform in [0, 1). Default math/rand/v2.
	Rand func() float64
	// Beats, when set, gets Run's heartbeat: waiting between rounds is
	// healthy, a request that outlives Timeout by a minute is not.
	Beats *heartbeat.Board
}

func (o *Options) setDefaults() error {
	var probs []string
	if o.DB == nil {
		probs = append(probs, "no DB")
	}
	if u, err := url.Parse(o.Server); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		probs = append(probs, fmt.Sprintf("server %q is not an http(s) URL", o.Server))
	}
	o.Server = strings.TrimRight(o.Server, "/")
	if !wire.ValidStoreID(o.StoreID) {
		probs = append(probs, fmt.Sprintf("store ID %q is not valid", o.StoreID))
	}
	if o.Secret == "" {
		probs = append(probs, "no secret")
	}
	if o.DailyBytes < 0 {
		probs = append(probs, "negative daily byte budget")
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s: %w", strings.Join(probs, "; "), ErrOptions)
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(DefaultMaxBackoff, o.MinBackoff)
	}
	if o.Batch <= 0 || o.Batch > wire.MaxPushRecords {
		o.Batch = min(DefaultBatch, wire.MaxPushRecords)
	}
	if o.PageItems <= 0 || o.PageItems > wire.MaxPageItems {
		o.PageItems = wire.DefaultPageItems
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	return o.setHTTP()
}

func (o *Options) setHTTP() error {
	var pinned *tls.Config
	if o.PinSHA256 != "" {
		var err error
		if pinned, err = wire.PinnedTLSConfig(o.PinSHA256); err != nil {
			return fmt.Errorf("%w: %w", err, ErrOptions)
		}
	}
	var tr *http.Transport
	switch {
	case o.HTTP == nil:
		o.HTTP = &http.Client{Timeout: o.Timeout}
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case o.HTTP.Transport == nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	default:
		t, ok := o.HTTP.Transport.(*http.Transport)
		if !ok {
			if pinned != nil {
				return fmt.Errorf("a pin needs an *http.Transport, not %T: %w", o.HTTP.Transport, ErrOptions)
			}
			return nil // bytes are estimated from what is sent and read
		}
		tr = t.Clone()
	}
	o.tls = tlsConfig(cmp.Or(pinned, tr.TLSClientConfig), o.PostQuantum)
	tr.TLSClientConfig = o.tls
	o.wire = &wireCounter{}
	o.wire.install(tr)
	c := *o.HTTP
	c.Transport = tr
	o.HTTP = &c
	return nil
}

// tlsConfig is base (nil: verify as usual) with what an idle round's
// handshake costs cut down, on a link paid by the byte (bench-idle).
//
// A session cache, so a round after the first resumes the last one's
// session and central sends no certificate: a CA's chain of 3-5 KB a
// round otherwise, about 90 B with a self-signed Ed25519 certificate
// (the ticket the agent sends back stands in its place). Central's
// tickets live up to 7 days and its ticket keys turn daily, longer than
// any interval. The pin holds on resumed connections (see
// wire.PinnedTLSConfig).
//
// X25519 alone unless postQuantum. Go's default adds ML-KEM-768, whose
// key from the agent and ciphertext from central cost 2.5 KB at the IP
// level on every connection, resumed or not: 30 KB a day at the 2 h
// interval, as much as all the rest of an idle day's sync. It guards
// against traffic recorded now and decrypted by a quantum computer years
// on; what crosses here is a store's orders and catalog, whose worth
// lasts months, and the same orders cross GSM as SMS. The pin and the
// certificate's signature are not post-quantum either way. A store whose
// link is not paid by the byte can turn it on.
func tlsConfig(base *tls.Config, postQuantum bool) *tls.Config {
	c := &tls.Config{}
	if base != nil {
		c = base.Clone()
	}
	if c.ClientSessionCache == nil {
		c.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	}
	if !postQuantum && c.CurvePreferences == nil {
		c.CurvePreferences = []tls.CurveID{tls.X25519}
	}
	return c
}
