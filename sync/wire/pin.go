package wire

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"strings"
)

// Fingerprint is the hex SHA-256 of a DER certificate, the form a pin takes
// (`tokri-central serve` prints it for its leaf certificate).
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// PinnedTLSConfig returns a client TLS config that accepts the server only if
// its leaf certificate's SHA-256 is one of pins (hex, colons and case
// ignored). The pin replaces CA verification, so self-signed server
// certificates work; nothing else is trusted. The pin is checked in
// VerifyConnection, which runs on every connection, resumed ones too (with
// the certificate of the session they resume); VerifyPeerCertificate is
// skipped on resumption, so a session cached under another pin would pass.
func PinnedTLSConfig(pins ...string) (*tls.Config, error) {
	var want [][]byte
	for _, p := range pins {
		b, err := hex.DecodeString(strings.ToLower(strings.ReplaceAll(p, ":", "")))
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("pin %q is not a hex SHA-256", p)
		}
		want = append(want, b)
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("no pin given")
	}
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by VerifyConnection below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return ErrPinMismatch
			}
			got := sha256.Sum256(cs.PeerCertificates[0].Raw)
			for _, w := range want {
				if subtle.ConstantTimeCompare(got[:], w) == 1 {
					return nil
				}
			}
			return fmt.Errorf("leaf %s: %w", hex.EncodeToString(got[:]), ErrPinMismatch)
		},
	}, nil
}
