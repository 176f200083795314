package wire

import (
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
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
// certificates work; nothing else is trusted.
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
		InsecureSkipVerify: true, // replaced by VerifyPeerCertificate below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return ErrPinMismatch
			}
			got := sha256.Sum256(raw[0])
			for _, w := range want {
				if subtle.ConstantTimeCompare(got[:], w) == 1 {
					return nil
				}
			}
			return fmt.Errorf("leaf %s: %w", hex.EncodeToString(got[:]), ErrPinMismatch)
		},
	}, nil
}
