package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
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

// readFallback returns the orders saved in a fallback file (checksummed
// ordered records) and its damaged lines: every line that is not one, but
// the zero reserve after the last record. A line torn while it was written
// is damaged too: the order it held may be lost, so it is never skipped
// silently.
func readFallback(path string) (recs []record, bad []DroppedLine, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, maxRecordLen+1)
	reserve := 0 // the line where the zero reserve started, 0 before it
	for lineNo := 1; ; lineNo++ {
		line, n, rerr := readLine(br)
		if n == 0 && rerr == io.EOF {
			break
		}
		if rerr != nil && rerr != io.EOF {
			return nil, nil, rerr
		}
		if isNULs(line) {
			if reserve == 0 {
				reserve = lineNo
			}
			continue
		}
		var r record
		derr := errNoNewline
		if line != nil && rerr == nil {
			derr = decodeRecord(line, &r)
		}
		switch {
		case derr != nil:
			bad = append(bad, DroppedLine{Line: lineNo, Reason: derr.Error(), Key: guessKey(line)})
		case r.Op != opOrdered || r.OrderNo == "":
			bad = append(bad, DroppedLine{Line: lineNo, Reason: "not an order's record", Key: Key{strings.Clone(r.Key), r.Format}})
		default:
			// r's strings share the read buffer (see decodeFast): copy them.
			recs = append(recs, record{Op: opOrdered, At: r.At, Key: strings.Clone(r.Key), Format: r.Format, OrderNo: strings.Clone(r.OrderNo)})
		}
		if reserve != 0 { // a line after zero bytes: they were no reserve
			bad = append(bad, DroppedLine{Line: reserve, Reason: "zero bytes"})
			reserve = 0
		}
		if rerr == io.EOF {
			break
		}
	}
	slices.SortFunc(bad, func(a, b DroppedLine) int { return a.Line - b.Line })
	return recs, bad, nil
}

// fallbackError refuses a fallback file with damaged lines.
func fallbackError(path, state string, bad []DroppedLine) *CorruptError {
	return &CorruptError{Path: path, Line: bad[0].Line, Reason: bad[0].Reason, State: state}
}

// mergeFallback records the orders a previous run saved to the fallback
// file, before anything else, and makes them durable. An order the ledger
// already has is skipped. A fallback file with a damaged line is refused
// (*CorruptError naming `qccbatch repair`) after its valid orders are
// merged, and kept as it is: only once every order number in it is durable
// in the state file does the caller replace it (openFallback).
func (j *Journal) mergeFallback() error {
	p := fallbackPath(j.target)
	recs, bad, err := readFallback(p)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
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
		if err := j.Sync(); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return fallbackError(p, j.path, bad)
	}
	return nil
}

// mergeFallbackReadOnly applies the fallback file's valid orders in memory.
func mergeFallbackReadOnly(path string, led *ledger) {
	recs, _, _ := readFallback(path)
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
		if errors.Is(err, errClosed) || errors.Is(err, errReadOnly) || j.syncFailed() || !time.Now().Before(deadline) {
			break
		}
		time.Sleep(min(delay, time.Until(deadline)))
		delay = min(2*delay, 2*time.Second)
	}
	if errors.Is(err, errClosed) || errors.Is(err, errReadOnly) {
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
