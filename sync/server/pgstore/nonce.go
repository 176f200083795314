package pgstore

import (
	"context"
	"fmt"
	"time"
)

// UseNonce inserts the use in one statement: a new row, or a row whose last
// use is at or before since, counts as fresh; a conflicting recent row makes
// the statement change nothing. The primary key serialises servers that race
// on one nonce. central_nonces has no foreign key to central_stores: the
// store was just read to check the signature, and the check would cost every
// request a lookup.
func (s *Store) UseNonce(ctx context.Context, store, nonce string, now, since time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO central_nonces (store, nonce, used) VALUES ($1, $2, $3)
		ON CONFLICT (store, nonce) DO UPDATE SET used = EXCLUDED.used WHERE central_nonces.used <= $4`,
		store, nonce, now.UTC(), since.UTC())
	if err != nil {
		return false, fmt.Errorf("use nonce of %s: %w", store, err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *Store) ForgetNonces(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM central_nonces WHERE used <= $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("forget nonces: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
