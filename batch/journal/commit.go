package journal

import (
	"fmt"
	"time"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
)

// Writing and group commit.
//
// Every record is written to the file (one pwrite of the whole line) under
// j.mu before its method returns, so a killed process never loses an
// acknowledged record. Durability against a power cut is by fsync:
// a durable append waits until a sync covers its record. Syncs follow the
// leader/follower scheme: the first waiter becomes the leader and fsyncs
// everything written so far; writers that arrive meanwhile wait, and the
// next leader's single fsync covers all of them. No timer is involved, so
// throughput grows with the number of concurrent writers. Other records are
// synced by the next durable append or by a background sync BatchDelay
// after they were written, whichever comes first.

// append writes r and, if durable, waits until it is on disk. The record
// of an accepted order is retried, and saved to the fallback file if it
// cannot be written (see fallback.go).
func (j *Journal) append(r *record, durable bool) error {
	if j.readOnly {
		return errReadOnly
	}
	if err := r.validate(); err != nil {
		return fmt.Errorf("state file: refusing to write an invalid %s record for %q", r.Op, r.Key)
	}
	if len(r.Message) > maxMessageLen {
		r.Message = truncateUTF8(r.Message, maxMessageLen)
	}
	if r.At.IsZero() { // merged orders keep their time
		r.At = j.opt.Now()
	}
	r.At = journalTime(r.At)
	r.Until = journalTime(r.Until)
	if r.Op == opOrdered {
		return j.appendOrder(r)
	}
	return j.write(r, durable, false)
}

// write writes r once. A write error is sticky: later records fail with
// it, except, when retry is set, a retried one (an accepted order), which
// tries the file again.
func (j *Journal) write(r *record, durable, retry bool) error {
	// Encode outside the lock; under it only the line number is spliced in
	// (and an intent's run id checked: the run cannot change while orders
	// are sent, but if it did the body is encoded again).
	setRun := r.Op == opIntent && r.Run == ""
	if setRun {
		j.mu.Lock()
		r.Run = j.run
		j.mu.Unlock()
	}
	body, err := encodeBody(nil, r)
	if err != nil {
		return err
	}

	j.mu.Lock()
	if err := j.writable(); err != nil && !(retry && err == j.err && !j.syncFailed()) {
		j.mu.Unlock()
		return err
	}
	if setRun && r.Run != j.run {
		r.Run = j.run
		if body, err = encodeBody(nil, r); err != nil {
			j.mu.Unlock()
			return err
		}
	}
	r.Seq = j.seq + 1
	line := appendLine(j.lineBuf[:0], body, r.Seq)
	if len(line) > maxRecordLen {
		j.mu.Unlock()
		return fmt.Errorf("state file: %s record for %q is too long (%d bytes)", r.Op, r.Key, len(line))
	}
	j.lineBuf = line
	if _, err := j.opt.writeAt(j.f, line, j.size); err != nil {
		// Cut off a partial line so the file stays replayable. No intent
		// is written from now on: no new order.
		_ = j.f.Truncate(j.size)
		werr := fmt.Errorf("write state file %s: %w", j.path, fsutil.UnwrapPathError(err))
		j.err = werr
		j.mu.Unlock()
		return werr
	}
	j.seq++
	j.size += int64(len(line))
	j.ledger.apply(r)
	j.written++
	seq := j.written
	j.writtenSeq.Store(seq)
	if !durable && j.timer == nil {
		j.timer = time.AfterFunc(j.opt.BatchDelay, j.backgroundSync)
	}
	j.mu.Unlock()

	if durable {
		return j.syncTo(seq)
	}
	return nil
}

// writable reports why no record can be written now. j.mu must be held.
func (j *Journal) writable() error {
	if j.closed {
		return errClosed
	}
	if j.err != nil {
		return j.err
	}
	j.syncMu.Lock()
	err := j.syncErr
	j.syncMu.Unlock()
	return err
}

// backgroundSync makes the records batched so far durable.
func (j *Journal) backgroundSync() {
	j.mu.Lock()
	j.timer = nil
	seq, closed := j.written, j.closed
	j.mu.Unlock()
	if !closed {
		_ = j.syncTo(seq) // a failure is sticky and reported by the next append
	}
}

// syncTo returns once record seq is on disk, joining or leading a group
// commit.
func (j *Journal) syncTo(seq uint64) error {
	j.syncMu.Lock()
	j.syncers++
	defer func() {
		j.syncers--
		j.syncMu.Unlock()
	}()
	for j.synced < seq {
		if j.syncErr != nil {
			return j.syncErr
		}
		if j.syncing {
			j.syncCond.Wait()
			continue
		}
		if j.fileClosed {
			return errClosed
		}
		j.syncing = true
		var pace time.Duration
		if j.syncers > 1 {
			pace = j.lastSync - time.Since(j.syncEnded)
		}
		j.syncMu.Unlock()
		if pace > 0 {
			// Under load, fsyncs would follow each other back to back, each
			// covering the few records written during the one before. A
			// leader that others wait with, coming within one fsync's time
			// of the last one, waits out the rest of that time first: each
			// fsync covers more records (a third fewer fsyncs measured at
			// --concurrency 64), at the cost of at most one fsync's time of
			// latency. A lone writer never waits.
			j.opt.pace(min(pace, maxSyncPace))
		}
		upTo := j.writtenSeq.Load() // everything written before the fsync starts
		began := time.Now()
		err := j.opt.fsync(j.f)
		ended := time.Now()
		j.syncMu.Lock()
		j.syncing = false
		j.lastSync, j.syncEnded = ended.Sub(began), ended
		if err != nil {
			j.syncErr = fmt.Errorf("fsync state file %s: %w", j.path, err)
		} else if upTo > j.synced {
			j.synced = upTo
		}
		j.syncCond.Broadcast()
	}
	return nil
}

// Sync makes every record written so far durable.
func (j *Journal) Sync() error {
	if j.readOnly {
		return nil
	}
	j.mu.Lock()
	seq, err := j.written, j.writable()
	j.mu.Unlock()
	if err != nil {
		return err
	}
	return j.syncTo(seq)
}

// Close makes every record durable, closes the file and releases the lock.
// Further writes fail with errClosed; Lookup, Each and Stats keep
// answering from memory.
func (j *Journal) Close() error {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return nil
	}
	j.closed = true
	if j.timer != nil {
		j.timer.Stop()
		j.timer = nil
	}
	seq, werr := j.written, j.err
	j.mu.Unlock()
	if j.readOnly {
		return nil
	}

	serr := j.syncTo(seq)
	j.syncMu.Lock()
	for j.syncing {
		j.syncCond.Wait()
	}
	j.fileClosed = true
	j.syncMu.Unlock()
	j.mu.Lock()
	j.closeFallback()
	j.mu.Unlock()
	cerr := j.release()
	for _, err := range []error{werr, serr, cerr} {
		if err != nil {
			return err
		}
	}
	return nil
}

// maxSyncPace bounds the wait of a group commit's leader (see syncTo).
const maxSyncPace = 2 * time.Millisecond

// maxMessageLen bounds the message stored with a record.
const maxMessageLen = 2000

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
