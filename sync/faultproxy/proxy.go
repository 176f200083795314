package faultproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// maxBody bounds what the proxy buffers of one request or response.
const maxBody = 64 << 20

// Proxy is an http.Handler that forwards to a target and applies the
// faults its Decider picks. The zero value is not usable; call New.
type Proxy struct {
	transport *http.Transport
	log       zerolog.Logger

	mu     sync.Mutex // guards following
	target *url.URL
	decide Decider
	n      int
	counts map[Kind]int
}

// New returns a proxy forwarding to target (a base URL such as
// "http://127.0.0.1:8080"); target may be "" until SetTarget is called,
// and until then every request gets 502.
func New(target string, log zerolog.Logger) (*Proxy, error) {
	p := &Proxy{
		transport: &http.Transport{
			DisableCompression:  true, // pass the client's encoding through untouched
			MaxIdleConnsPerHost: 4,
		},
		log:    log.With().Str("component", "faultproxy").Logger(),
		counts: make(map[Kind]int),
	}
	if err := p.SetTarget(target); err != nil {
		return nil, err
	}
	return p, nil
}

// SetTarget points the proxy at another server; requests already on
// their way finish against the old one.
func (p *Proxy) SetTarget(target string) error {
	var u *url.URL
	if target != "" {
		var err error
		if u, err = url.Parse(target); err != nil {
			return fmt.Errorf("parse proxy target: %w", err)
		}
	}
	p.mu.Lock()
	p.target = u
	p.mu.Unlock()
	p.transport.CloseIdleConnections()
	return nil
}

// SetDecider sets how faults are chosen from now on; nil passes everything.
func (p *Proxy) SetDecider(d Decider) {
	p.mu.Lock()
	p.decide = d
	p.mu.Unlock()
}

// Counts reports how many requests got each kind of fault so far.
func (p *Proxy) Counts() map[Kind]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := make(map[Kind]int, len(p.counts))
	for k, v := range p.counts {
		m[k] = v
	}
	return m
}

// Close drops the proxy's idle connections to the server.
func (p *Proxy) Close() { p.transport.CloseIdleConnections() }

func (p *Proxy) next(r *http.Request) (Fault, *url.URL) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	var f Fault
	if p.decide != nil {
		f = p.decide(p.n, r)
	}
	p.counts[f.Kind]++
	return f, p.target
}

// abort closes the client's connection without a (complete) response;
// net/http recovers this panic quietly.
func abort() { panic(http.ErrAbortHandler) }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		abort() // the client itself broke off
	}
	f, target := p.next(r)
	log := p.log.Debug().Str("method", r.Method).Str("path", r.URL.Path).Stringer("fault", f.Kind)
	if f.Delay > 0 {
		log = log.Dur("delay", f.Delay)
	}
	log.Msg("request")
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			abort()
		}
	}
	if target == nil {
		http.Error(w, "no server behind the proxy", http.StatusBadGateway)
		return
	}
	switch f.Kind {
	case Drop:
		abort()
	case CutRequest:
		if len(body) == 0 {
			abort()
		}
		n := min(max(f.Bytes, 0), int64(len(body)-1))
		_, err := p.forward(r, target, body, n)
		if err == nil {
			p.log.Warn().Msg("server answered a cut request")
		}
		abort()
	}
	resp, err := p.forward(r, target, body, -1)
	if err != nil {
		http.Error(w, "server unreachable", http.StatusBadGateway)
		return
	}
	if f.Kind == Duplicate {
		if resp, err = p.forward(r, target, body, -1); err != nil {
			abort()
		}
	}
	copyHeader(w.Header(), resp.Header)
	w.Header().Set("Content-Length", fmt.Sprint(len(resp.body)))
	switch f.Kind {
	case DropResponse:
		abort()
	case CutResponse:
		w.WriteHeader(resp.StatusCode)
		n := min(max(f.Bytes, 0), int64(len(resp.body)-1))
		if n > 0 {
			w.Write(resp.body[:n])
		}
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		abort()
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(resp.body)
}

type response struct {
	StatusCode int
	Header     http.Header
	body       []byte
}

var errCut = errors.New("request cut by the fault proxy")

// cutReader yields n bytes and then fails, which makes the transport
// abandon the request half sent.
type cutReader struct {
	r *bytes.Reader
	n int64
}

func (c *cutReader) Read(b []byte) (int, error) {
	if c.n <= 0 {
		return 0, errCut
	}
	if int64(len(b)) > c.n {
		b = b[:c.n]
	}
	n, err := c.r.Read(b)
	c.n -= int64(n)
	return n, err
}

// forward sends the request to target and reads the whole response; with
// cut >= 0 only cut body bytes go out before the request is broken off.
func (p *Proxy) forward(r *http.Request, target *url.URL, body []byte, cut int64) (response, error) {
	u := *target
	u.Path = singleJoin(target.Path, r.URL.Path)
	u.RawQuery = r.URL.RawQuery
	var rd io.Reader = bytes.NewReader(body)
	if cut >= 0 {
		rd = &cutReader{r: bytes.NewReader(body), n: cut}
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), rd)
	if err != nil {
		return response{}, fmt.Errorf("build upstream request: %w", err)
	}
	copyHeader(out.Header, r.Header)
	out.ContentLength = int64(len(body))
	out.GetBody = nil // never let the transport replay on its own
	if len(body) == 0 {
		out.Body = http.NoBody
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		return response{}, fmt.Errorf("forward %s: %w", r.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return response{}, fmt.Errorf("read upstream response: %w", err)
	}
	return response{StatusCode: resp.StatusCode, Header: resp.Header, body: b}, nil
}

func singleJoin(a, b string) string {
	switch {
	case a == "" || a == "/":
		return b
	case len(b) > 0 && b[0] == '/' && a[len(a)-1] == '/':
		return a + b[1:]
	case len(b) > 0 && b[0] != '/' && a[len(a)-1] != '/':
		return a + "/" + b
	}
	return a + b
}

// hopHeaders belong to one connection and are not forwarded.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Content-Length": true,
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if hopHeaders[k] {
			continue
		}
		dst[k] = append([]string(nil), vs...)
	}
}
