package store

import (
	"bytes"
	"fmt"
	"time"
)

// IntakeAndHandle is Intake followed by Handle with fn in the same
// transaction, when the PDU made an inbound message ready and no earlier
// message waits to be handled (so none is answered out of turn): one
// commit, two fdatasyncs, where the two calls cost two. handled says
// whether fn ran and committed. When fn fails, the PDU is committed
// alone, as Intake does, and waits as pending for Handle; the error from
// fn is not returned, as the handling loop meets it again. An error means
// nothing was committed and the modem must keep its copy.
func (db *DB) IntakeAndHandle(raw []byte, receivedAt time.Time, fn func(tx *Tx, in Inbound) error) (res IntakeResult, handled bool, err error) {
	p := parseRaw(raw, receivedAt)
	var tried bool
	err = db.Update(func(t *Tx) error {
		var err error
		handled, tried = false, false
		if res, err = db.intakeTx(t.tx, p); err != nil || !res.Ready() || !onlyPending(t, res.ID) {
			return err
		}
		tried = true
		if err := db.handleTx(t, res.ID, fn); err != nil {
			return err
		}
		handled = true
		return nil
	})
	if err != nil && tried {
		// fn failed; take the PDU in on its own.
		res, err = db.Intake(raw, receivedAt)
		return res, false, err
	}
	if err != nil {
		return IntakeResult{}, false, fmt.Errorf("intake pdu: %w", err)
	}
	db.logIntake(res, p.msg, p.derr)
	return res, handled, nil
}

// onlyPending says whether id is the one inbound waiting to be handled.
func onlyPending(t *Tx, id uint64) bool {
	c := t.tx.Bucket(bucketPending).Cursor()
	k, _ := c.First()
	if k == nil || !bytes.Equal(k, u64(id)) {
		return false
	}
	k, _ = c.Next()
	return k == nil
}
