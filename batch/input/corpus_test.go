package input

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// -gen-corpus rewrites the crafted files of testdata/input/bad (the others
// come from LibreOffice; see testdata/input/README.md).
var genCorpus = flag.Bool("gen-corpus", false, "regenerate the crafted bad-input files")

func TestGenerateBadCorpus(t *testing.T) {
	if !*genCorpus {
		t.Skip("run with -gen-corpus to regenerate testdata/input/bad")
	}
	dir := filepath.Join("..", "..", "testdata", "input", "bad")
	good, err := os.ReadFile(filepath.Join("..", "..", "testdata", "input", "numbers_lo.xlsx"))
	require.NoError(t, err)

	// A password-protected workbook, as Excel writes it (an OLE container).
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"企业名称"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"华为技术有限公司"})
	require.NoError(t, f.SaveAs(filepath.Join(dir, "password_protected.xlsx"), excelize.Options{Password: "secret"}))

	// The LibreOffice workbook with its worksheet cut in the middle of a row
	// (a well-formed zip whose XML is damaged).
	writeZip(t, filepath.Join(dir, "damaged_sheet.xlsx"), good, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			i := bytes.Index(b, []byte(`<row r="5"`))
			return append(b[:i:i], []byte(`<row r="5"><c r="A5" t="n"><v>4</v></c><c r="B5" t="s"><v>`)...)
		}
		return b
	})
	// A zip that is not a workbook at all.
	writeZip(t, filepath.Join(dir, "zip_not_workbook.xlsx"), good, func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "xl/workbook") {
			return nil
		}
		return b
	})
	// A zip bomb: the worksheet declares 64 GiB.
	writeBomb(t, filepath.Join(dir, "zip_bomb.xlsx"), good)
}

// writeZip copies the zip src to path, passing every entry through edit
// (nil drops the entry).
func writeZip(t *testing.T, path string, src []byte, edit func(string, []byte) []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if b = edit(f.Name, b); b == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
}

// writeBomb copies src but declares the worksheet to expand to 64 GiB.
func writeBomb(t *testing.T, path string, src []byte) {
	t.Helper()
	zr, _ := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		raw, _ := f.OpenRaw()
		b, _ := io.ReadAll(raw)
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 64 << 30
		}
		w, err := zw.CreateRaw(&h)
		require.NoError(t, err)
		w.Write(b)
	}
	zw.Close()
	require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
}
