package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// The local socket is serve's answer to the commands that need the store
// file while serve holds it (the bbolt file has one user at a time): it
// sits in the data directory, readable only by central's own user, and
// says only what those commands print.

// localSocket is the local socket's name in the data directory.
const localSocket = "central.sock"

// errNoServe means no serve answers on the data directory's socket.
var errNoServe = errors.New("no serve answers on the local socket")

// tokenReply is the answer to GET /v1/ussd/token/{store}.
type tokenReply struct {
	Token string `json:"token,omitempty"`
	Error string `json:"error,omitempty"`
}

// serveLocal answers on DIR/central.sock until ctx ends. The socket file
// left by a serve that died is replaced: this serve holds the store file,
// so no other serve is using it.
func serveLocal(dir string, st server.Storage, log zerolog.Logger) (stop func(), err error) {
	path := filepath.Join(dir, localSocket)
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("local socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("local socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/ussd/token/{store}", func(w http.ResponseWriter, r *http.Request) {
		store := r.PathValue("store")
		w.Header().Set("Content-Type", "application/json")
		secret, err := st.Secret(r.Context(), store)
		if !wire.ValidStoreID(store) || err != nil {
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(tokenReply{Error: fmt.Sprintf("no store %q", store)})
			return
		}
		json.NewEncoder(w).Encode(tokenReply{Token: relay.CallbackToken(secret, store)})
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn().Err(err).Msg("local socket stopped")
		}
	}()
	return func() {
		hs.Close()
		<-done
		os.Remove(path)
	}, nil
}

// askToken asks the serve running on dir for store's callback token.
func askToken(ctx context.Context, dir, store string) (string, error) {
	path := filepath.Join(dir, localSocket)
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://central/v1/ussd/token/"+store, nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errNoServe, err)
	}
	defer resp.Body.Close()
	var rep tokenReply
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		return "", fmt.Errorf("the running serve answered %s", resp.Status)
	}
	if rep.Error != "" || rep.Token == "" {
		return "", fmt.Errorf("store %s: %s", store, rep.Error)
	}
	return rep.Token, nil
}
