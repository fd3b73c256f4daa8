package serve

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// handleResults is GET /api/runs/{run}/results.xlsx or .csv.
func (s *Server) handleResults(w http.ResponseWriter, r *http.Request) {
	rn := s.getRun(r.PathValue("run"))
	if rn == nil {
		apiError(w, http.StatusNotFound, "no such run")
		return
	}
	ext := filepath.Ext(r.URL.Path) // .xlsx or .csv: the routes have no other
	rn.mu.Lock()
	done := rn.state == stateDone
	rn.mu.Unlock()
	if !done {
		apiError(w, http.StatusConflict, "the run has not ended: the results are written when it ends")
		return
	}
	b := s.book(rn.Book)
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	s.record(userOf(r), "download", "run", rn.ID, "file", "results"+ext)
	b.mu.Lock()
	defer b.mu.Unlock()
	s.sendFile(w, r, b.results(ext), downloadName(b.meta.Name, "-results"+ext))
}

// handleLedger is GET /api/books/{id}/ledger.xlsx: the ledger workbook with
// its Invoice sheet, as `qccbatch ledger -o FILE.xlsx` writes it.
func (s *Server) handleLedger(w http.ResponseWriter, r *http.Request) {
	b := s.book(r.PathValue("id"))
	if b == nil {
		apiError(w, http.StatusNotFound, "no such book")
		return
	}
	if s.opt.LedgerWorkbook == nil {
		apiError(w, http.StatusNotImplemented, "no ledger writer")
		return
	}
	if _, err := os.Stat(b.state()); err != nil {
		apiError(w, http.StatusNotFound, "this book has no state file yet: nothing was ordered")
		return
	}
	tmp, err := os.MkdirTemp(b.dir, "ledger-")
	if err != nil {
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "ledger.xlsx")
	if err := s.opt.LedgerWorkbook(b.state(), out, langOf(r)); err != nil {
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	s.record(userOf(r), "download", "book", b.meta.ID, "file", "ledger.xlsx")
	s.sendFile(w, r, out, downloadName(b.meta.Name, "-ledger.xlsx"))
}

// sendFile sends path as an attachment named name.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, path, name string) {
	f, err := os.Open(path)
	if err != nil {
		apiError(w, http.StatusNotFound, "not written yet")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		apiError(w, http.StatusInternalServerError, msg.Render(err, msg.For(langOf(r))))
		return
	}
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+pathEscape(name))
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// downloadName is the uploaded name's stem with suffix.
func downloadName(orig, suffix string) string {
	stem := strings.TrimSuffix(orig, filepath.Ext(orig))
	if stem == "" {
		stem = "book"
	}
	return stem + suffix
}

// pathEscape percent-encodes a file name for Content-Disposition (RFC 5987).
func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}
