package wire

import "time"

// Paths of the version 1 API.
const (
	PathStatus  = "/v1/status"  // GET: who am I, server time, catalog version
	PathOutbox  = "/v1/outbox"  // POST: a batch of outbox records (orders, state changes, stock)
	PathCatalog = "/v1/catalog" // GET: catalog delta since a version, paged by cursor
)

// Request headers carrying the signature, and the response header with the
// server's clock so that an agent with a wrong clock can correct itself.
const (
	HeaderStore     = "X-Tokri-Store"
	HeaderTimestamp = "X-Tokri-Timestamp" // unix seconds, decimal
	HeaderNonce     = "X-Tokri-Nonce"     // 16 random bytes, hex
	HeaderSignature = "X-Tokri-Signature" // hex HMAC-SHA256 of StringToSign
	HeaderTime      = "X-Tokri-Time"      // response: server unix seconds
)

// Limits both ends hold to.
const (
	// MaxSkew is how far a request's timestamp may be from the server's
	// clock; nonces are remembered for twice this long.
	MaxSkew = 5 * time.Minute
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
