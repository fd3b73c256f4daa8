package batch

import (
	"hash/maphash"
	"sync"

	"github.com/qccbatch/qccbatch/batch/journal"
)

// orderNos indexes the order numbers of the state file and of this run, so
// that a number the API gives to a second company is caught before it is
// recorded: two companies never share one report. It keeps 64-bit hashes
// (of the number, and of the company that holds it), not the strings: a
// million orders cost tens of megabytes, not a copy of the ledger. Two
// numbers of the same hash are as likely as two equal 64-bit random
// numbers; the state file is scanned only to name the holder.
//
// The index is built at the first answer with an order number, so a run
// that places none pays nothing. It holds each company's current order
// (the orders replaced before this run are not in a run's ledger).
type orderNos struct {
	mu    sync.Mutex
	seed  maphash.Seed
	owner map[uint64]uint64 // hash of an order number -> hash of its company
}

func (o *orderNos) keyHash(k journal.Key) uint64 {
	var h maphash.Hash
	h.SetSeed(o.seed)
	h.WriteString(k.ID)
	h.WriteByte(0)
	h.WriteByte(byte(k.Format))
	return h.Sum64()
}

// claim records order number no for company k and reports whether another
// company already holds it: then the number stays with its holder.
func (o *orderNos) claim(j *journal.Journal, no string, k journal.Key) (taken bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.owner == nil {
		o.seed = maphash.MakeSeed()
		o.owner = make(map[uint64]uint64)
		j.EachOrderNo(func(no string, k journal.Key) bool {
			o.owner[maphash.String(o.seed, no)] = o.keyHash(k)
			return true
		})
	}
	n, kh := maphash.String(o.seed, no), o.keyHash(k)
	if held, ok := o.owner[n]; ok && held != kh {
		return true
	}
	o.owner[n] = kh
	return false
}

// holder returns the company of the state file whose order number is no,
// false if none (another company of this run, not yet recorded).
func holder(j *journal.Journal, no string, k journal.Key) (journal.Key, bool) {
	var found journal.Key
	ok := false
	j.EachOrderNo(func(n string, hk journal.Key) bool {
		if n == no && hk != k {
			found, ok = hk, true
		}
		return !ok
	})
	return found, ok
}
