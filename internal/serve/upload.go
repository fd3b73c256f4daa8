package serve

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// inputExts are the portfolio files the reader takes.
var inputExts = map[string]bool{".xlsx": true, ".csv": true, ".txt": true}

// errTooLarge is an upload past --max-upload.
var errTooLarge = errors.New("too large")

// receiveUpload streams the multipart request's "file" part to a file in
// dir named by the server (name + the upload's extension, when allowed) and
// returns the other fields (short values only) and the uploaded name. The
// body is capped by http.MaxBytesReader: nothing past the cap is read, and
// the file is never held in memory.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, dir, name string, exts map[string]bool) (fields map[string]string, orig, stored string, err error) {
	limit := s.opt.MaxUpload + 1<<20 // the form's other fields on top
	if r.ContentLength > limit {
		return nil, "", "", errTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", "", fmt.Errorf("want a multipart/form-data upload with a file field: %v", err)
	}
	fields = map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "", uploadErr(err)
		}
		if part.FormName() != "file" {
			v, err := io.ReadAll(io.LimitReader(part, 4<<10))
			if err != nil {
				return nil, "", "", uploadErr(err)
			}
			fields[part.FormName()] = strings.TrimSpace(string(v))
			continue
		}
		if stored != "" {
			return nil, "", "", errors.New("one file per upload")
		}
		orig = filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		ext := strings.ToLower(filepath.Ext(orig))
		if !exts[ext] {
			return nil, "", "", fmt.Errorf("unsupported file type %q: use an .xlsx workbook or a .csv/.txt file", ext)
		}
		stored = name + ext
		if err := writePart(filepath.Join(dir, stored), part, s.opt.MaxUpload); err != nil {
			return nil, "", "", uploadErr(err)
		}
	}
	if stored == "" {
		return nil, "", "", errors.New("no file in the upload (the multipart field is named file)")
	}
	return fields, orig, stored, nil
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
		return errTooLarge
	}
	return err
}

// writePart copies one part to path, at most max bytes.
func writePart(path string, part *multipart.Part, max int64) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(part, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > max {
		err = errTooLarge
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// uploadStatus is the status of a failed upload.
func uploadStatus(err error) int {
	if errors.Is(err, errTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}
