package uplink

import (
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
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
	// DailyBytes caps the bytes sent plus received per day (bodies as sent
	// plus header lines); 0 means no cap. A request goes out only if it and
	// the largest reply seen on its path still fit.
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
	var tlsConf *tls.Config
	if o.PinSHA256 != "" {
		var err error
		if tlsConf, err = wire.PinnedTLSConfig(o.PinSHA256); err != nil {
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
			if tlsConf != nil {
				return fmt.Errorf("a pin needs an *http.Transport, not %T: %w", o.HTTP.Transport, ErrOptions)
			}
			return nil // bytes are estimated from what is sent and read
		}
		tr = t.Clone()
	}
	if tlsConf != nil {
		tr.TLSClientConfig = tlsConf
	}
	o.wire = &wireCounter{}
	o.wire.install(tr)
	c := *o.HTTP
	c.Transport = tr
	o.HTTP = &c
	return nil
}
