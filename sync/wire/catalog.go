package wire

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Item is one catalog item as the server sends it. JSON names match the
// agent's catalog.Item field names case-insensitively.
type Item struct {
	SKU      string   `json:"sku"`
	Name     string   `json:"name"`
	NameHi   string   `json:"nameHi,omitempty"`
	Category string   `json:"category"`
	Unit     string   `json:"unit,omitempty"`
	Price    int64    `json:"price"` // paise
	Stock    int      `json:"stock"`
	Active   bool     `json:"active"`
	Synonyms []string `json:"synonyms,omitempty"`
}

// Category is a catalog category with its display order.
type Category struct {
	Name  string `json:"name"`
	Order int    `json:"order"`
}

// CatalogResponse answers GET /v1/catalog: one page of the items changed
// after the requested version, oldest change first.
//
// While More is true the agent applies Items, keeps Cursor (persisting it, so
// a cut link resumes where it stopped) and asks again with it. When More is
// false the delta is complete: the agent applies the page, sets its catalog
// version to Version and forgets the cursor. Categories, when present, is the
// store's whole category list and replaces the agent's.
type CatalogResponse struct {
	Version    uint64     `json:"version"`
	Items      []Item     `json:"items"`
	Categories []Category `json:"categories,omitempty"`
	Cursor     string     `json:"cursor,omitempty"`
	More       bool       `json:"more"`
}

// Cursor is the position in a catalog delta: the version the delta started
// from, and the (version, SKU) of the last item delivered. Items are ordered
// by the version of their last change, then SKU, so an item changed again
// while a delta is being paged moves behind the cursor and is delivered again
// at its new version; none is skipped. Agents treat the string form as
// opaque.
type Cursor struct {
	Since   uint64
	Version uint64
	SKU     string
}

// String encodes c for CatalogResponse.Cursor and the cursor query parameter.
func (c Cursor) String() string {
	raw := strconv.FormatUint(c.Since, 10) + ":" + strconv.FormatUint(c.Version, 10) + ":" + c.SKU
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor decodes a cursor made by Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("cursor: %w", ErrBadCursor)
	}
	parts := strings.SplitN(string(raw), ":", 3)
	if len(parts) != 3 {
		return Cursor{}, fmt.Errorf("cursor has %d fields, want 3: %w", len(parts), ErrBadCursor)
	}
	since, err1 := strconv.ParseUint(parts[0], 10, 64)
	ver, err2 := strconv.ParseUint(parts[1], 10, 64)
	if err1 != nil || err2 != nil || ver < since {
		return Cursor{}, fmt.Errorf("cursor versions: %w", ErrBadCursor)
	}
	return Cursor{Since: since, Version: ver, SKU: parts[2]}, nil
}

// CatalogURI is the request URI of GET /v1/catalog: with a cursor the delta
// resumes from it (since is then ignored); limit 0 means DefaultPageItems.
func CatalogURI(since uint64, cursor string, limit int) string {
	q := url.Values{}
	q.Set("since", strconv.FormatUint(since, 10))
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return PathCatalog + "?" + q.Encode()
}
