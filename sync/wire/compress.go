package wire

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

// Gzip compresses b for a request or response body.
func Gzip(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // level is valid
	zw.Write(b)                                              // writes to a bytes.Buffer cannot fail
	zw.Close()
	return buf.Bytes()
}

// Gunzip decompresses b, refusing output past limit bytes.
func Gunzip(b []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("gunzip past %d bytes: %w", limit, ErrTooLarge)
	}
	return out, nil
}

// Decode undoes a Content-Encoding ("" or "identity" or "gzip").
func Decode(contentEncoding string, b []byte) ([]byte, error) {
	switch contentEncoding {
	case "", "identity":
		return b, nil
	case "gzip":
		return Gunzip(b, MaxDecodedBytes)
	default:
		return nil, fmt.Errorf("content encoding %q not supported", contentEncoding)
	}
}

// ReadLimited reads all of r, failing with ErrTooLarge past limit bytes.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}
