package batch

import (
	"hash/maphash"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// codedNames holds, for each row that has a valid code and a name as
// well, a 128-bit hash of the name's key and the row's company: 24 bytes a
// row, in a slice (a map of a million such names cost 80 MB and 3 s of a
// million-row plan), looked up at the end only for the names of name-only
// companies, usually few or none.
type codedNames []codedName

type codedName struct {
	h  [2]uint64
	ci int32
}

// nameSeeds are the seeds of the name hash, fixed for the process.
var nameSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func nameHash(key string) [2]uint64 {
	return [2]uint64{maphash.String(nameSeeds[0], key), maphash.String(nameSeeds[1], key)}
}

// add records that a coded row naming company ci has the name key.
func (c *codedNames) add(key []byte, ci int32) {
	*c = append(*c, codedName{[2]uint64{maphash.Bytes(nameSeeds[0], key), maphash.Bytes(nameSeeds[1], key)}, ci})
}

// byName returns, for the name keys of the name-only companies, the
// companies coded rows give with that name: at most two distinct ones (one
// is a match, two an ambiguity).
func (c codedNames) byName(companies []Company) map[[2]uint64][2]int32 {
	out := map[[2]uint64][2]int32{}
	for _, co := range companies {
		if co.Kind == identifier.KindName {
			out[nameHash(co.Key)] = [2]int32{-1, -1}
		}
	}
	if len(out) == 0 {
		return nil
	}
	for _, e := range c {
		got, ok := out[e.h]
		switch {
		case !ok:
		case got[0] < 0:
			out[e.h] = [2]int32{e.ci, -1}
		case got[0] != e.ci && got[1] < 0:
			out[e.h] = [2]int32{got[0], e.ci}
		}
	}
	for h, got := range out {
		if got[0] < 0 {
			delete(out, h)
		}
	}
	return out
}

// joinNames makes each name-only row the company of the coded rows that
// give the same name (its name key, the NFKC fold), so that a company a
// book names once by code and once by name alone is ordered once. A name
// that coded rows give with two different codes is ambiguous: its
// name-only rows are invalid (never ordered), and their message names the
// codes.
func (p *Portfolio) joinNames(names codedNames) {
	if len(names) == 0 {
		return
	}
	coded := names.byName(p.Companies)
	if len(coded) == 0 {
		return
	}
	// to[i]: the company that company i becomes (-1: its rows are invalid);
	// i itself when it stays.
	to := make([]int32, len(p.Companies))
	joined := false
	for i, c := range p.Companies {
		to[i] = int32(i)
		if c.Kind != identifier.KindName {
			continue
		}
		got, ok := coded[nameHash(c.Key)]
		if !ok {
			continue
		}
		joined = true
		if got[1] >= 0 {
			to[i] = -1
			continue
		}
		to[i] = got[0]
	}
	if !joined {
		return
	}
	if p.rowName == nil {
		p.rowName = map[int]string{}
	}
	// The companies that stay, in their order, and their new indexes.
	newIndex := make([]int32, len(p.Companies))
	kept := p.Companies[:0:0]
	for i, c := range p.Companies {
		if to[i] == int32(i) {
			newIndex[i] = int32(len(kept))
			kept = append(kept, c)
		}
	}
	for row, ci := range p.RowCompany {
		if ci < 0 || to[ci] == ci {
			continue
		}
		c := p.Companies[ci]
		p.rowName[row] = c.Key
		if t := to[ci]; t >= 0 {
			p.RowCompany[row] = newIndex[t]
			kept[newIndex[t]].Rows++
			if int32(row) == c.FirstRow {
				p.Duplicates++ // its first row now repeats the coded row's company
			}
			continue
		}
		if int32(row) != c.FirstRow {
			p.Duplicates-- // an invalid row is no duplicate
		}
		got := coded[nameHash(c.Key)]
		a, b := p.Companies[got[0]], p.Companies[got[1]]
		m := msg.M(msg.IDAmbiguousName, c.SearchKey, a.SearchKey, p.RowLine[a.FirstRow], b.SearchKey, p.RowLine[b.FirstRow])
		if old, ok := p.RowMessage[row]; ok { // a warning of the valid row it was (a review date)
			if r, ok := p.RowReason[row]; ok {
				if p.WarningByReason[r]--; p.WarningByReason[r] <= 0 {
					delete(p.WarningByReason, r)
				}
			}
			m = msg.Join(msg.StopJoin, m, old)
		}
		p.RowCompany[row] = -1
		p.RowReason[row] = msg.ReasonAmbiguousName
		p.RowMessage[row] = m
		p.InvalidByReason[msg.ReasonAmbiguousName]++
	}
	for row, ci := range p.RowCompany {
		if ci >= 0 {
			if _, moved := p.rowName[row]; !moved {
				p.RowCompany[row] = newIndex[ci]
			}
		}
	}
	p.Companies = kept
}

// rowMatches reports whether id, the identifier the second read finds on
// data row row, is still what pass 1 read there.
func (p *Portfolio) rowMatches(row int, id identifier.ID) bool {
	if key, ok := p.rowName[row]; ok {
		return !id.Invalid && id.Kind == identifier.KindName && id.Key == key
	}
	ci := p.RowCompany[row]
	if ci < 0 {
		return id.Invalid
	}
	return !id.Invalid && id.Key == p.Companies[ci].Key
}
