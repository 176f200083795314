package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tokrihq/tokri/sync/wire"
)

// sync checks the central server: reachable, and the store's id and
// secret accepted (a signed GET /v1/status).
func (r *report) sync(ctx context.Context, o Options) {
	s := o.Config.Sync
	if s.Server == "" {
		r.skip("sync", "no sync.server: the store runs alone")
		return
	}
	secret, err := s.ReadSecret()
	if err != nil {
		r.fail("sync", "secret unreadable: "+err.Error(), fmt.Sprintf("check sync.secret_file exists and %s can read it", o.userName()))
		return
	}
	client := o.HTTP
	if pin := s.Pin(); pin != "" {
		tlsConf, err := wire.PinnedTLSConfig(pin)
		if err != nil {
			r.fail("sync", "sync.pin_sha256: "+err.Error(), "copy the pin exactly as tokri-central printed it")
			return
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = tlsConf
		c := *client
		c.Transport = tr
		client = &c
	}
	req, _, err := wire.NewRequest(ctx, "GET", s.Server, wire.PathStatus, nil, s.StoreID, secret, o.Now())
	if err != nil {
		r.fail("sync", err.Error(), "check sync.server is a URL such as https://central.example.com")
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		r.fail("sync", s.Server+" unreachable: "+err.Error(), "check the mobile data (SIM balance, APN) or the network; the shop keeps taking orders meanwhile")
		return
	}
	_, err = wire.ReadResponse(resp, nil)
	var we *wire.Error
	switch {
	case err == nil:
		r.ok("sync", s.Server+" reachable, store "+s.StoreID+" accepted")
	case errors.As(err, &we) && we.Code == wire.CodeStaleTimestamp:
		r.fail("sync", "the server says this clock is wrong: "+we.Message, "fix the clock (see the clock line); the agent corrects its own from the modem")
	case errors.As(err, &we) && we.Status == http.StatusUnauthorized:
		r.fail("sync", "the server refused store "+s.StoreID+": "+we.Message, "copy store_id and the secret exactly as tokri-central store add printed them")
	default:
		r.fail("sync", "server answered: "+err.Error(), "check sync.server; ask the central server's operator")
	}
}
