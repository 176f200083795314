package wire

import "time"

// Paths of the version 1 API.
const (
	PathStatus  = "/v1/status"  // GET: who am I, server time, catalog version
	PathOutbox  = "/v1/outbox"  // POST: a batch of outbox records (orders, state changes, stock)
	PathCatalog = "/v1/catalog" // GET: catalog delta since a version, paged by cursor
)

// The request header carrying the signature, and the response header with
// the server's clock so that an agent with a wrong clock can correct
// itself. The signature travels in the standard Authorization header, one
// header instead of four, which also keeps shared caches from storing any
// answer (RFC 9111 section 3.5).
const (
	// HeaderAuth is "Tokri <store>.<unix seconds>.<nonce>.<signature>":
	// the nonce is 16 random bytes and the signature the HMAC-SHA256 of
	// StringToSign, both unpadded base64url.
	HeaderAuth = "Authorization"
	AuthScheme = "Tokri"
	// HeaderTime is HTTP's Date: the server's clock in whole seconds.
	HeaderTime = "Date"
)

// Limits both ends hold to.
const (
	// MaxSkew is how far a request's timestamp may be from the server's
	// clock; nonces are remembered for twice this long.
	MaxSkew = 5 * time.Minute
	// IdleClose is how long the server keeps a connection with no
	// request open by default; sync rounds further apart each open a new
	// one (and pay its handshake).
	IdleClose = time.Minute
	// MaxBodyBytes caps a request body as sent (compressed).
	MaxBodyBytes = 4 << 20
	// MaxDecodedBytes caps a body after gunzip, against compression bombs.
	MaxDecodedBytes = 32 << 20
	// MaxPushRecords caps the records in one POST /v1/outbox.
	MaxPushRecords = 500
	// DefaultPageItems and MaxPageItems bound one catalog page.
	DefaultPageItems = 200
	MaxPageItems     = 1000
)

// StatusResponse answers GET /v1/status.
type StatusResponse struct {
	Store          string    `json:"store"`
	ServerTime     time.Time `json:"serverTime"`
	CatalogVersion uint64    `json:"catalogVersion"`
}
