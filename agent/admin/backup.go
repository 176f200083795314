package admin

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/tokrihq/tokri/agent/store"
)

// getBackup streams a consistent copy of the store (one read transaction)
// for "tokri backup" while the agent runs and holds the file.
func (s *Server) getBackup(w http.ResponseWriter, r *http.Request) {
	err := s.svc.db.View(func(tx *store.Tx) error {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(tx.Bolt().Size(), 10))
		_, err := tx.Bolt().WriteTo(w)
		return err
	})
	if err != nil {
		// The length was promised: the client sees a short copy and fails.
		s.log.Warn().Err(err).Msg("backup stream")
	}
}

// Backup writes a consistent copy of the running agent's store to w.
func (c *Client) Backup(ctx context.Context, w io.Writer) error {
	return c.do(ctx, http.MethodGet, "/v1/backup", nil, "", w)
}
