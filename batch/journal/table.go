package journal

import (
	"hash/maphash"
	"strings"
)

// The ledger's table of companies: entries by value in chunks, and slots,
// an open-addressing hash table of entry numbers (see ledger).
//
// Kept against the library (BenchmarkLib_Table: insert n companies, then
// look each up, against a map[Key]int32 beside the same chunks; benchstat
// of 5 interleaved runs on the loaded 2-core build machine): the time is
// the same (100,000: 203 ms against 210 ms; 1,000,000: 4.9 s against
// 5.2 s, both within noise: creating the entries dominates), but the
// memory is not: the whole ledger of bare entries keeps 123 B per company
// against 165 B at 100,000 companies, 120 B against 196 B at 1,000,000
// (+34 %, +63 %; the map's slots hold a 24-byte Key and grow by doubling,
// the table's hold 4 bytes). The ledger of a million ready companies with
// downloaded reports keeps 193 B per company (BenchmarkJournal_LedgerMemory);
// with the map it would keep about 270 B, over the SPEC's 200. So the
// table stays.

// chunkLen is the number of entries per chunk: big enough to cost nothing
// per entry, small enough that the last chunk's spare room does not count.
const chunkLen = 1024

func newLedger() *ledger {
	return &ledger{seed: maphash.MakeSeed()}
}

// len returns the number of companies.
func (l *ledger) len() int { return l.n }

// at returns entry i.
func (l *ledger) at(i int) *entry { return &l.chunks[i/chunkLen][i%chunkLen] }

// hash returns the slot hash of a company.
func (l *ledger) hash(id string, format int) uint64 {
	return maphash.String(l.seed, id) ^ uint64(format)*0x9e3779b97f4a7c15
}

// find returns the entry of k, nil if none.
func (l *ledger) find(k Key) *entry {
	if len(l.slots) == 0 {
		return nil
	}
	mask := uint64(len(l.slots) - 1)
	for i := l.hash(k.ID, k.Format) & mask; ; i = (i + 1) & mask {
		s := l.slots[i]
		if s == 0 {
			return nil
		}
		if e := l.at(int(s - 1)); int(e.format) == k.Format && e.id == k.ID {
			return e
		}
	}
}

// insert puts entry i in the table, which has room for it.
func (l *ledger) insert(slots []int32, e *entry, i int) {
	mask := uint64(len(slots) - 1)
	h := l.hash(e.id, int(e.format)) & mask
	for slots[h] != 0 {
		h = (h + 1) & mask
	}
	slots[h] = int32(i + 1)
}

// grow doubles the table when it would be more than 3/4 full.
func (l *ledger) grow() {
	if 4*(l.n+1) <= 3*len(l.slots) {
		return
	}
	slots := make([]int32, max(2*len(l.slots), 1024))
	for i := 0; i < l.n; i++ {
		l.insert(slots, l.at(i), i)
	}
	l.slots = slots
}

// each calls fn with every entry, in first-seen order, until it returns
// false.
func (l *ledger) each(fn func(*entry) bool) {
	for i := 0; i < l.n; i++ {
		if !fn(l.at(i)) {
			return
		}
	}
}

// get returns the entry of k, creating a not_ordered one.
func (l *ledger) get(k Key) *entry {
	if e := l.find(k); e != nil {
		return e
	}
	if k.Format < 0 || k.Format > 255 {
		panic("journal: report format out of range") // validate allows 1 and 2
	}
	if l.n%chunkLen == 0 {
		l.chunks = append(l.chunks, new([chunkLen]entry))
	}
	l.grow()
	e := l.at(l.n)
	*e = entry{id: strings.Clone(k.ID), format: uint8(k.Format)}
	l.insert(l.slots, e, l.n)
	l.n++
	return e
}
