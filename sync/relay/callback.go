package relay

import (
	"context"
	"net/http"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
)

// CallbackPattern is where aggregators call central, as a ServeMux pattern.
const CallbackPattern = "POST /ussd/{format}/{store}/{token}"

// CallbackPath is the path of store's callback URL in format.
func CallbackPath(format, store, token string) string {
	return "/ussd/" + format + "/" + store + "/" + token
}

// Callbacks serves aggregators' callbacks at CallbackPattern: the token
// must be the store's (else 404, and nothing is relayed), each step goes
// to the store's agent, and while the agent is away the shopper gets END
// with one line telling them to SMS the store, in the shop's language.
func (h *Hub) Callbacks(log zerolog.Logger) http.Handler {
	log = log.With().Str("component", "ussd-callbacks").Logger()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := gateway.Lookup(r.PathValue("format"))
		store, token := r.PathValue("store"), r.PathValue("token")
		if !ok || !h.tokenOK(r.Context(), store, token) {
			log.Warn().Str("store", store).Msg("ussd callback refused: unknown format, store or token")
			http.NotFound(w, r)
			return
		}
		step := func(ctx context.Context, req ussd.Request) (ussd.Reply, error) {
			if req.Kind == ussd.End && !h.Connected(store) {
				return ussd.Close(""), nil // a notification nobody waits for
			}
			return h.Step(ctx, store, req)
		}
		gateway.Handler(f, step, func(error) string {
			c := h.Contact(store)
			return ussd.Away(c.Lang, c.Number)
		}, log).ServeHTTP(w, r)
	})
}

func (h *Hub) tokenOK(ctx context.Context, store, token string) bool {
	secret, err := h.opts.Secret(ctx, store)
	return err == nil && CheckToken(secret, store, token)
}
