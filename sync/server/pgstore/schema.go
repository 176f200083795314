package pgstore

// schema creates the tables if missing. SKUs sort with the "C" collation so
// that the delta order (version, sku) matches the byte order the cursor and
// the bbolt backend use.
const schema = `
CREATE TABLE IF NOT EXISTS central_stores (
	id                 text PRIMARY KEY,
	secret             text NOT NULL,
	created            timestamptz NOT NULL,
	version            bigint NOT NULL DEFAULT 0,
	categories         jsonb NOT NULL DEFAULT '[]',
	categories_version bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS central_records (
	store    text NOT NULL REFERENCES central_stores(id),
	key      text NOT NULL,
	seq      bigint NOT NULL,
	kind     text NOT NULL,
	body     json NOT NULL,
	at       timestamptz NOT NULL,
	received timestamptz NOT NULL,
	PRIMARY KEY (store, key)
);
CREATE TABLE IF NOT EXISTS central_orders (
	store      text NOT NULL REFERENCES central_stores(id),
	id         text NOT NULL,
	created_at timestamptz NOT NULL,
	data       jsonb NOT NULL,
	PRIMARY KEY (store, id)
);
CREATE TABLE IF NOT EXISTS central_items (
	store   text NOT NULL REFERENCES central_stores(id),
	sku     text COLLATE "C" NOT NULL,
	version bigint NOT NULL,
	data    jsonb NOT NULL,
	PRIMARY KEY (store, sku)
);
CREATE INDEX IF NOT EXISTS central_items_delta ON central_items (store, version, sku);
CREATE TABLE IF NOT EXISTS central_nonces (
	store text NOT NULL,
	nonce text NOT NULL,
	used  timestamptz NOT NULL,
	PRIMARY KEY (store, nonce)
);
CREATE INDEX IF NOT EXISTS central_nonces_used ON central_nonces (used);
`

// tables lists the tables, children first, for Reset.
var tables = []string{"central_nonces", "central_records", "central_orders", "central_items", "central_stores"}
