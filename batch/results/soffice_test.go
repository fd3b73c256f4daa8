package results

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/input"
)

// soffice returns the LibreOffice binary, skipping the test when it is not
// installed, except in CI (CI set), where it must be.
func soffice(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		require.Empty(t, os.Getenv("CI"), "CI is set but LibreOffice is missing: %v (install libreoffice-calc-nogui)", err)
		t.Skip("soffice not installed; set CI=true to make this a failure")
	}
	return bin
}

// sofficeConvert runs LibreOffice headless to convert in to the given filter,
// with a private user profile so that it never talks to another running
// instance. It returns the converted file's content.
func sofficeConvert(t *testing.T, bin, in, filter, ext string) []byte {
	t.Helper()
	dir := t.TempDir()
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.Command(bin, "-env:UserInstallation="+profile, "--headless",
		"--convert-to", filter, "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "soffice: %s", out)
	name := strings.TrimSuffix(filepath.Base(in), filepath.Ext(in)) + "." + ext
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err, "soffice produced no %s", name)
	return data
}

// loField is one CSV loField and whether it was quoted: LibreOffice's filter
// option "quote all text cells" quotes text and leaves numbers bare.
type loField struct {
	val    string
	quoted bool
}

// parseQuotedCSV splits CSV into records, keeping whether each loField was
// quoted (encoding/csv forgets that).
func parseQuotedCSV(s string) [][]loField {
	var recs [][]loField
	var rec []loField
	for len(s) > 0 {
		var f loField
		if s[0] == '"' {
			f.quoted = true
			var b strings.Builder
			i := 1
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			f.val, s = b.String(), s[i:]
		} else {
			end := strings.IndexAny(s, ",\r\n")
			if end < 0 {
				end = len(s)
			}
			f.val, s = s[:end], s[end:]
		}
		rec = append(rec, f)
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
		case strings.HasPrefix(s, "\r\n"), strings.HasPrefix(s, "\n"):
			s = strings.TrimPrefix(strings.TrimPrefix(s, "\r"), "\n")
			recs, rec = append(recs, rec), nil
		}
	}
	if rec != nil {
		recs = append(recs, rec)
	}
	return recs
}

// expectedField is how LibreOffice should read back one value we wrote.
func expectedField(c input.Cell) loField {
	if v, ok := cellNumber(c); ok {
		return loField{strconv.FormatFloat(v, 'f', -1, 64), false}
	}
	if b, ok := cellBool(c); ok {
		return loField{strings.ToUpper(strconv.FormatBool(b)), false}
	}
	return loField{c.Value, c.Value != ""}
}

var hrefRe = regexp.MustCompile(`<a href="([^"]*)"`)

func TestWriteResults_LibreOffice(t *testing.T) {
	bin := soffice(t)
	header, rows, sum := samplePortfolio()
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			// The workbook beside its download folder, as a run with
			// --download reports -o results.xlsx leaves them.
			work := t.TempDir()
			t.Chdir(work)
			xlsx := filepath.Join(work, "results.xlsx")
			require.NoError(t, Write("results.xlsx", header, sliceSource(rows), sum, msg.Language(lang)))
			// 44 comma, 34 quote, 76 UTF-8, 1 first line; then quote all text.
			csvData := sofficeConvert(t, bin, xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true", "csv")
			got := parseQuotedCSV(string(csvData))

			var want [][]loField
			var head []loField
			for _, h := range resultsHeader(header, msg.Language(lang)) {
				head = append(head, loField{h, true})
			}
			want = append(want, head)
			for _, r := range rows {
				var rec []loField
				for i := range header {
					rec = append(rec, expectedField(r.row.Cell(i)))
				}
				for i, s := range newRowFormat(msg.Language(lang), sum.Location).texts(r.row.Line, r.res) {
					switch i {
					case colRow: // a number
						rec = append(rec, loField{s, false})
						continue
					case colReportURL: // the link shows its short form
						s = shortLink(s, linkColWidth)
					}
					rec = append(rec, loField{s, s != ""})
				}
				want = append(want, rec)
			}
			require.Len(t, got, len(want), "LibreOffice read:\n%s", csvData)
			for i := range want {
				assert.Equal(t, want[i], got[i], "row %d", i+1)
			}

			// The report URLs and the local files are real links to
			// LibreOffice: exactly the URLs, and for the files the path
			// relative to the workbook (LibreOffice keeps a relative link
			// relative in its HTML), which works wherever the workbook and
			// its download folder are moved together.
			var wantLinks []string
			for _, r := range rows {
				if r.res.ReportURL != "" {
					wantLinks = append(wantLinks, r.res.ReportURL)
				}
				if r.res.File != "" {
					wantLinks = append(wantLinks, filepath.ToSlash(r.res.File))
				}
			}
			var links []string
			for _, m := range hrefRe.FindAllStringSubmatch(string(sofficeConvert(t, bin, xlsx, "html", "html")), -1) {
				links = append(links, html.UnescapeString(m[1]))
			}
			assert.Equal(t, wantLinks, links, "links in LibreOffice's HTML")
		})
	}
}

// TestWriteResults_LibreOfficePrint prints the workbook to PDF with
// LibreOffice and reads the pages back with pdftotext: every page of the
// Results sheet starts with the header row, and the company name repeats
// beside its outcome and order number (TestWriteResults_PrintOpsDesk
// checks the sizes and the overlap).
func TestWriteResults_LibreOfficePrint(t *testing.T) {
	bin := soffice(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		require.Empty(t, os.Getenv("CI"), "CI is set but pdftotext is missing (install poppler-utils)")
		t.Skip("pdftotext not installed")
	}
	header, rows, sum := samplePortfolio()
	for len(rows) < 200 { // several printed pages
		rows = append(rows, rows[len(rows)%9])
	}
	sum.IdentifierColumns = []int{0, 1}
	t.Chdir(t.TempDir())
	require.NoError(t, Write("results.xlsx", header, sliceSource(rows), sum, "en"))
	pdf := filepath.Join(t.TempDir(), "results.pdf")
	require.NoError(t, os.WriteFile(pdf, sofficeConvert(t, bin, "results.xlsx", "pdf", "pdf"), 0o600))
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	require.NoError(t, err)
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	require.Greater(t, len(pages), 2, "the Results sheet takes more than one page")
	var outcomes string
	summaryPages := 0
	for i, page := range pages {
		lines := strings.Split(strings.TrimLeft(page, "\n"), "\n")
		if !strings.Contains(lines[0], "企业名称") {
			summaryPages++
			continue
		}
		assert.Regexp(t, `^\s*企业名称\s+统一社会信用代码`, lines[0], "page %d starts with the header row", i+1)
		if outcomes == "" && strings.Contains(lines[0], "outcome") {
			outcomes = page
		}
	}
	assert.Positive(t, summaryPages, "the Summary prints")
	assert.Regexp(t, `小米科技有限责任公司\s+91110108551385082Q\s+2\s+91110108551385082Q\s+ready\s+200.*RB202503010001`, outcomes,
		"the company, its row, outcome and order on one printed line")
}
