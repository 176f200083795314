package wire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// signPrefix names the scheme inside the signed string, so a signature made
// for anything else can never verify here.
const signPrefix = "TOKRI1-HMAC-SHA256"

var (
	storeIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	nonceRe   = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)
	sigRe     = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	tsRe      = regexp.MustCompile(`^[0-9]{1,19}$`)
)

// b64 is the encoding of nonces and signatures: unpadded base64url, whose
// characters never clash with the '.' between the parts of the header.
var b64 = base64.RawURLEncoding

// ValidStoreID says whether id is a usable store ID: 1 to 64 of a-z, 0-9,
// '_' and '-', starting with a letter or digit.
func ValidStoreID(id string) bool { return storeIDRe.MatchString(id) }

// GenerateSecret makes a new store secret: 32 random bytes, hex.
func GenerateSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// NewNonce makes a request nonce: 16 random bytes, unpadded base64url.
func NewNonce() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return b64.EncodeToString(b[:])
}

// BodyDigest is the hex SHA-256 of a body exactly as sent (after gzip).
func BodyDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Auth is the signature of one request, as carried in its headers.
type Auth struct {
	Store     string
	Timestamp int64 // unix seconds
	Nonce     string
	Signature string // unpadded base64url
}

// StringToSign is the text the HMAC covers. uri is the request URI as sent
// (path and raw query, e.g. "/v1/catalog?since=3").
func StringToSign(method, uri, store string, ts int64, nonce, bodyDigest string) string {
	return strings.Join([]string{signPrefix, method, uri, store, strconv.FormatInt(ts, 10), nonce, bodyDigest}, "\n")
}

// Sign computes the signature for a request with the store's secret.
func Sign(secret, method, uri, store string, ts int64, nonce string, body []byte) Auth {
	sum := signature(secret, method, uri, store, ts, nonce, body)
	return Auth{Store: store, Timestamp: ts, Nonce: nonce, Signature: b64.EncodeToString(sum)}
}

// signature is the raw HMAC that Sign encodes and Verify compares.
func signature(secret, method, uri, store string, ts int64, nonce string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(StringToSign(method, uri, store, ts, nonce, BodyDigest(body))))
	return mac.Sum(nil)
}

// SignRequest signs r, whose body as sent is body, with a fresh nonce and
// the time now, and sets the signature headers.
func SignRequest(r *http.Request, body []byte, store, secret string, now time.Time) {
	a := Sign(secret, r.Method, r.URL.RequestURI(), store, now.Unix(), NewNonce(), body)
	a.SetHeaders(r.Header)
}

// SetHeaders writes a into h as the Authorization header.
func (a Auth) SetHeaders(h http.Header) {
	h.Set(HeaderAuth, AuthScheme+" "+a.Store+"."+strconv.FormatInt(a.Timestamp, 10)+"."+a.Nonce+"."+a.Signature)
}

// ParseAuth reads the Authorization header and checks its form (not the
// signature itself).
func ParseAuth(h http.Header) (Auth, error) {
	scheme, cred, ok := strings.Cut(h.Get(HeaderAuth), " ")
	if !ok || !strings.EqualFold(scheme, AuthScheme) {
		return Auth{}, fmt.Errorf("header %s: not %s credentials: %w", HeaderAuth, AuthScheme, ErrMissingAuth)
	}
	parts := strings.Split(cred, ".")
	if len(parts) != 4 {
		return Auth{}, fmt.Errorf("header %s: want store.timestamp.nonce.signature: %w", HeaderAuth, ErrMissingAuth)
	}
	a := Auth{Store: parts[0], Nonce: parts[2], Signature: parts[3]}
	var err error
	switch {
	case !ValidStoreID(a.Store):
		return Auth{}, fmt.Errorf("header %s: store: %w", HeaderAuth, ErrMissingAuth)
	case !tsRe.MatchString(parts[1]):
		return Auth{}, fmt.Errorf("header %s: timestamp: %w", HeaderAuth, ErrMissingAuth)
	case !nonceRe.MatchString(a.Nonce):
		return Auth{}, fmt.Errorf("header %s: nonce: %w", HeaderAuth, ErrMissingAuth)
	case !sigRe.MatchString(a.Signature):
		return Auth{}, fmt.Errorf("header %s: signature: %w", HeaderAuth, ErrMissingAuth)
	}
	if a.Timestamp, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return Auth{}, fmt.Errorf("header %s: timestamp: %w", HeaderAuth, ErrMissingAuth)
	}
	return a, nil
}

// Verify checks a against the store's secret and the request as received,
// and that its timestamp is within MaxSkew of now. It does not check the
// nonce for replay: the server does that after Verify succeeds, so that
// unsigned requests cannot fill its nonce memory.
func (a Auth) Verify(secret, method, uri string, body []byte, now time.Time) error {
	got, err := b64.DecodeString(a.Signature)
	if err != nil {
		return ErrBadSignature
	}
	if !hmac.Equal(got, signature(secret, method, uri, a.Store, a.Timestamp, a.Nonce, body)) {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(a.Timestamp, 0)); d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("timestamp off by %s: %w", d.Round(time.Second), ErrStale)
	}
	return nil
}
