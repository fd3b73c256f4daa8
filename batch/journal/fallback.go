package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

// No accepted order is ever lost.
//
// When the record of an order the API accepted cannot be written (a full
// disk, an I/O error), the journal retries the append with backoff for
// Options.WriteRetry; if it still fails, it writes the order to the
// fallback file beside the state file, STATE.pending-orders, and returns an
// *OrderNotRecordedError naming it. The fallback file is created at every
// write-open with a reserve of zero bytes, so that its writes overwrite
// space already allocated and succeed on a full disk. The next open merges
// it before anything else: those companies become pending with their
// order numbers, not uncertain. A clean Close removes a fallback file that
// holds nothing.
//
// From the first failed write on, Intent fails at once: no new order is
// placed by a run whose state file cannot record it.

// fallbackReserve is the size of the zero reserve of the fallback file:
// about 60 orders.
const fallbackReserve = 8 << 10

// defaultWriteRetry is how long an accepted order's record is retried.
const defaultWriteRetry = 10 * time.Second

// fallbackPath is the fallback file of the state file at target.
func fallbackPath(target string) string { return target + ".pending-orders" }

// OrderNotRecordedError reports an order the API accepted whose record could
// not be written to the state file, even after retrying: no further order
// must be placed. Fallback names the file it was saved to instead (the next
// run merges it); when Fallback is empty it could not be saved at all, and
// the order number exists only in this error, which must be shown.
type OrderNotRecordedError struct {
	Path     string // the state file
	Key      Key
	OrderNo  string
	Fallback string // the file holding the order, "" if none could be written
	Err      error  // why the state file could not be written
}

func (e *OrderNotRecordedError) Error() string {
	if e.Fallback != "" {
		return fmt.Sprintf("order %s for %s was placed but the state file %s cannot record it (%v): saved to %s, which the next run merges; "+
			"no more orders are placed", e.OrderNo, e.Key.ID, e.Path, e.Err, e.Fallback)
	}
	return fmt.Sprintf("order %s for %s (format %d) was placed but could not be recorded anywhere (%v): note the number; "+
		"after the run, `qccbatch resolve --key %s --order-no %s %s` records it", e.OrderNo, e.Key.ID, e.Key.Format, e.Err, e.Key.ID, e.OrderNo, e.Path)
}

func (e *OrderNotRecordedError) Unwrap() error { return e.Err }

// readFallback returns the orders saved in a fallback file: checksummed
// ordered records, up to the first line that is not one (the zero reserve).
func readFallback(path string) ([]record, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []record
	br := bufio.NewReader(f)
	for {
		line, _, err := readLine(br)
		var r record
		if line == nil || decodeRecord(line, &r) != nil || r.Op != opOrdered || r.OrderNo == "" {
			return recs, nil
		}
		// r's strings share the read buffer (see decodeFast): copy them.
		recs = append(recs, record{Op: opOrdered, At: r.At, Key: strings.Clone(r.Key), Format: r.Format, OrderNo: strings.Clone(r.OrderNo)})
		if err == io.EOF {
			return recs, nil
		}
	}
}

// mergeFallback records the orders a previous run saved to the fallback
// file, before anything else. An order the ledger already has is skipped.
func (j *Journal) mergeFallback() error {
	recs, err := readFallback(fallbackPath(j.target))
	if err != nil {
		return fmt.Errorf("read %s: %w", fallbackPath(j.target), err)
	}
	for i := range recs {
		r := &recs[i]
		if e := j.ledger.find(Key{r.Key, r.Format}); e != nil && e.orderNo == r.OrderNo {
			continue
		}
		if err := j.append(&record{Op: opOrdered, At: r.At, Key: r.Key, Format: r.Format, OrderNo: r.OrderNo}, false); err != nil {
			return err
		}
	}
	if len(recs) > 0 {
		return j.Sync()
	}
	return nil
}

// mergeFallbackReadOnly applies the fallback file's orders in memory.
func mergeFallbackReadOnly(path string, led *ledger) {
	recs, _ := readFallback(path)
	for i := range recs {
		r := &recs[i]
		if e := led.find(Key{r.Key, r.Format}); e == nil || e.orderNo != r.OrderNo {
			led.apply(r)
		}
	}
}

// openFallback (re)creates the fallback file as a zero reserve. A failure
// is not an error: saving an order then creates the file when it must.
func (j *Journal) openFallback() {
	p := fallbackPath(j.target)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	if _, err := f.WriteAt(make([]byte, fallbackReserve), 0); err != nil || f.Sync() != nil {
		f.Close()
		os.Remove(p)
		return
	}
	j.fallback, j.fallbackSize = f, 0
}

// closeFallback closes the fallback file and removes it if it holds no
// order.
func (j *Journal) closeFallback() {
	if j.fallback == nil {
		return
	}
	j.fallback.Close()
	if j.fallbackSize == 0 {
		os.Remove(fallbackPath(j.target))
	}
	j.fallback = nil
}

// saveFallback writes an accepted order to the fallback file and fsyncs it.
// j.mu must be held.
func (j *Journal) saveFallback(r *record) error {
	if j.fallback == nil {
		f, err := os.OpenFile(fallbackPath(j.target), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		j.fallback, j.fallbackSize = f, 0
	}
	line, err := encodeRecord(nil, &record{Op: opOrdered, At: r.At, Key: r.Key, Format: r.Format, OrderNo: r.OrderNo})
	if err != nil {
		return err
	}
	if _, err := j.fallback.WriteAt(line, j.fallbackSize); err != nil {
		return err
	}
	if err := j.fallback.Sync(); err != nil {
		return err
	}
	j.fallbackSize += int64(len(line))
	return nil
}

// appendOrder writes the record of an accepted order, retrying for
// Options.WriteRetry, and else saves it to the fallback file.
func (j *Journal) appendOrder(r *record) error {
	deadline := time.Now().Add(j.opt.WriteRetry)
	delay := 20 * time.Millisecond
	var err error
	for {
		if err = j.write(r, false, true); err == nil {
			return nil
		}
		if errors.Is(err, ErrClosed) || errors.Is(err, ErrReadOnly) || j.syncFailed() || !time.Now().Before(deadline) {
			break
		}
		time.Sleep(min(delay, time.Until(deadline)))
		delay = min(2*delay, 2*time.Second)
	}
	if errors.Is(err, ErrClosed) || errors.Is(err, ErrReadOnly) {
		return err
	}
	e := &OrderNotRecordedError{Path: j.path, Key: Key{r.Key, r.Format}, OrderNo: r.OrderNo, Err: unwrapWrite(err)}
	j.mu.Lock()
	if ferr := j.saveFallback(r); ferr == nil {
		e.Fallback = fallbackPath(j.target)
	}
	j.mu.Unlock()
	return e
}

// syncFailed reports a failed fsync: what the file holds is unknown since.
func (j *Journal) syncFailed() bool {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	return j.syncErr != nil
}

// unwrapWrite drops the "write state file X" wrapper of a write error.
func unwrapWrite(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
