package uplink

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/wire"
)

// Each idle round opens a new connection (central closes idle ones long
// before the next round); from the second on it resumes the session, so
// central sends no certificate, and the pin is checked all the same. The
// key exchange is X25519 alone unless PostQuantum, and the relay's
// connection, through TLSConfig, resumes sync's session too.
func TestTLSRoundsResumeThePinnedSession(t *testing.T) {
	curves := map[bool]tls.CurveID{false: tls.X25519, true: tls.X25519MLKEM768}
	for postQuantum, curve := range curves {
		t.Run("post-quantum "+strconv.FormatBool(postQuantum), func(t *testing.T) {
			testtime.NoLeaks(t)
			clk := testtime.NewClock(t0)
			fake, plain := newFake(t, clk.Now)
			fake.put(item("A", 1, 1, true))
			var (
				mu   sync.Mutex
				seen []tls.ConnectionState
			)
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, *r.TLS)
				mu.Unlock()
				plain.Config.Handler.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			pin := wire.Fingerprint(srv.Certificate().Raw)
			c := newClient(t, newDB(t, clk.Now), srv.URL, clk.Now, func(o *Options) {
				o.PinSHA256, o.PostQuantum = pin, postQuantum
			})
			for range 3 {
				syncNow(t, c)
				c.opts.HTTP.CloseIdleConnections()
			}
			relay := &http.Transport{TLSClientConfig: c.TLSConfig()}
			defer relay.CloseIdleConnections()
			resp, err := (&http.Client{Transport: relay}).Get(srv.URL + "/relay")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()

			mu.Lock()
			defer mu.Unlock()
			var resumed []bool
			for i, cs := range seen {
				if cs.CurveID != curve {
					t.Errorf("request %d: key exchange %v, want %v", i, cs.CurveID, curve)
				}
				resumed = append(resumed, cs.DidResume)
			}
			// The first round's requests share its new session; every
			// request after the first new one resumed is resumed.
			first := slices.Index(resumed, true)
			if len(seen) < 4 || first < 1 || slices.Contains(resumed[first:], false) {
				t.Errorf("resumed per request %v: want the first round new and the rest resumed", resumed)
			}
		})
	}
}
