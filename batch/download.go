package batch

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/qccbatch/qccbatch/batch/internal/fsutil"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"

	"github.com/qccbatch/qccbatch/client"
)

// haveFile reports whether the report file recorded for st is on disk with
// the recorded sha256.
func (r *runner) haveFile(st journal.State) bool {
	if st.File == "" || st.SHA256 == "" {
		return false
	}
	sum, err := fileSHA256(st.File)
	return err == nil && sum == st.SHA256
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// download fetches the report of ready company i into the download
// directory. A failure leaves the row ready with the error in its message;
// the next run tries again.
func (r *runner) download(i int) {
	st, _ := r.lookup(i)
	if st.ReportURL == "" || r.haveFile(st) {
		return
	}
	path, sum, err := r.fetchReport(st)
	var pe *client.PlainHTTPError
	if errors.As(err, &pe) { // a bearer link in clear: not without --allow-http-downloads
		r.perCompany[i].note = r.text(msg.DownloadPlainHTTP, pe.Host)
		r.downloadsFailed.Add(1)
		return
	}
	if err != nil {
		r.perCompany[i].note = r.text(msg.DownloadFailed, err)
		r.downloadsFailed.Add(1)
		return
	}
	r.record(i, r.j.Downloaded(st.Key, journal.File{Path: path, SHA256: sum}))
	r.cfg.Progress.Downloaded.Add(1)
}

// fetchReport streams a report to a temporary file, checks that it is what
// it claims to be, and renames it into place.
func (r *runner) fetchReport(st journal.State) (path, sum string, err error) {
	ext := client.Format(st.Format).Ext()
	path = filepath.Join(r.cfg.DownloadDir, reportFileName(st.SearchKey, st.OrderNo, ext))
	tmp, err := os.CreateTemp(r.cfg.DownloadDir, ".qccbatch-download-*.tmp")
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	fetch := func(ctx context.Context) error {
		if err := tmp.Truncate(0); err != nil {
			return err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		h.Reset()
		_, err := r.api.Download(ctx, st.ReportURL, io.MultiWriter(tmp, h), r.cfg.MaxDownload)
		return err
	}
	kind := kindForeign
	if r.onAPIHost(st.ReportURL) {
		kind = kindPoll
	}
	if err = r.send(kind, 0, fetch); err != nil {
		return "", "", err
	}
	if err := checkReport(tmp, ext); err != nil {
		return "", "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", "", err
	}
	if err := tmp.Close(); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", "", err
	}
	if err := fsutil.SyncDir(r.cfg.DownloadDir); err != nil {
		return "", "", err
	}
	return path, hex.EncodeToString(h.Sum(nil)), nil
}

func (r *runner) onAPIHost(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Host, r.cfg.APIHost)
}

// checkReport verifies a downloaded file: a PDF starts with %PDF-, a Word
// report is a zip holding word/document.xml.
func checkReport(f *os.File, ext string) error {
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	switch ext {
	case "pdf":
		head := make([]byte, 5)
		if _, err := f.ReadAt(head, 0); err != nil || !bytes.Equal(head, []byte("%PDF-")) {
			return errors.New("the file is not a PDF (does not start with %PDF-)")
		}
	case "docx":
		zr, err := zip.NewReader(f, size)
		if err != nil {
			return fmt.Errorf("the file is not a Word document: %v", err)
		}
		for _, zf := range zr.File {
			if zf.Name == "word/document.xml" {
				return nil
			}
		}
		return errors.New("the file is not a Word document (no word/document.xml)")
	}
	return nil
}
