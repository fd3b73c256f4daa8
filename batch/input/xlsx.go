package input

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits that keep a crafted workbook (a zip bomb) from exhausting memory or
// time. Parts that are held in memory are small in genuine files; the
// worksheet is streamed and bounded by Excel's own row and column limits.
const (
	maxMetaPart     = 32 << 20 // workbook.xml, relationships
	maxSharedPart   = 1 << 30  // sharedStrings.xml, held in memory as strings
	maxSheetPart    = 8 << 30  // one worksheet, streamed
	maxExcelRows    = 1 << 20  // 1,048,576
	maxExcelColumns = 1 << 14  // 16,384 (XFD)
)

// xlsxSheet is one worksheet of a workbook, in workbook order.
type xlsxSheet struct {
	Name, Part string
	Hidden     bool
}

// xlsxSource streams the rows of one worksheet.
type xlsxSource struct {
	zr    *zip.ReadCloser
	part  io.ReadCloser
	sheet *sheetReader
	Sheet string // the worksheet read
}

// openXLSX opens the workbook at p and positions a reader on the worksheet
// named sheet (the first visible worksheet when empty).
func openXLSX(p, sheet string) (*xlsxSource, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, inputErr(p, fmt.Sprintf("not a readable xlsx workbook (damaged zip: %v); open it in Excel and save it again", err), err)
	}
	src := &xlsxSource{zr: zr}
	if err := src.open(p, sheet); err != nil {
		src.close()
		return nil, err
	}
	return src, nil
}

func (x *xlsxSource) open(p, want string) error {
	files := make(map[string]*zip.File, len(x.zr.File))
	var total uint64
	for _, f := range x.zr.File {
		files[strings.ToLower(f.Name)] = f
		total += f.UncompressedSize64
	}
	if total > maxSheetPart+maxSharedPart {
		return inputErr(p, fmt.Sprintf("refusing a zip bomb: the workbook expands to %d bytes", total), nil)
	}
	wbPart := "xl/workbook.xml"
	var root relationships
	if err := readXMLPart(files, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPart = resolvePart("", r.Target)
			}
		}
	}
	var wb workbookXML
	if err := readXMLPart(files, wbPart, &wb); err != nil {
		return inputErr(p, "not an xlsx workbook (no readable workbook part: "+err.Error()+")", err)
	}
	var rels relationships
	relsPart := path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels")
	if err := readXMLPart(files, relsPart, &rels); err != nil {
		return inputErr(p, "damaged xlsx workbook (workbook relationships: "+err.Error()+")", err)
	}
	sheets, sst := workbookSheets(wb, rels, path.Dir(wbPart))
	s, err := pickSheet(sheets, want)
	if err != nil {
		return inputErr(p, err.Error(), nil)
	}
	x.Sheet = s.Name
	if sst == "" {
		sst = path.Join(path.Dir(wbPart), "sharedStrings.xml")
	}
	strs, err := readSharedStrings(files[strings.ToLower(sst)])
	if err != nil {
		return inputErr(p, "damaged xlsx workbook (shared strings: "+err.Error()+")", err)
	}
	f := files[strings.ToLower(s.Part)]
	if f == nil {
		return inputErr(p, fmt.Sprintf("damaged xlsx workbook: worksheet %q has no part %s", s.Name, s.Part), nil)
	}
	if f.UncompressedSize64 > maxSheetPart {
		return inputErr(p, fmt.Sprintf("refusing a zip bomb: worksheet %q expands to %d bytes", s.Name, f.UncompressedSize64), nil)
	}
	rc, err := f.Open()
	if err != nil {
		return inputErr(p, "damaged xlsx workbook: "+err.Error(), err)
	}
	x.part = rc
	x.sheet = newSheetReader(bufio.NewReaderSize(rc, 64<<10), strs)
	return nil
}

func (x *xlsxSource) read() (Row, error) { return x.sheet.read() }

func (x *xlsxSource) close() error {
	if x.part != nil {
		x.part.Close()
	}
	return x.zr.Close()
}

// pickSheet finds the worksheet named want (exact, then ignoring case and
// surrounding space), or the first visible one when want is empty.
func pickSheet(sheets []xlsxSheet, want string) (xlsxSheet, error) {
	names := make([]string, len(sheets))
	for i, s := range sheets {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	if len(sheets) == 0 {
		return xlsxSheet{}, errors.New("the workbook has no worksheet")
	}
	if want == "" {
		for _, s := range sheets {
			if !s.Hidden {
				return s, nil
			}
		}
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s.Name == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s.Name), strings.TrimSpace(want)) {
			return s, nil
		}
	}
	return xlsxSheet{}, fmt.Errorf("sheet %q not found; the workbook has: %s", want, strings.Join(names, ", "))
}

type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

// workbookSheets lists the worksheets (not chart sheets) in workbook order
// with their part names, and returns the shared-strings part if declared.
func workbookSheets(wb workbookXML, rels relationships, dir string) (sheets []xlsxSheet, sst string) {
	target := map[string]string{}
	for _, r := range rels.Rel {
		switch {
		case strings.HasSuffix(r.Type, "/worksheet"):
			target[r.ID] = resolvePart(dir, r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sst = resolvePart(dir, r.Target)
		}
	}
	for _, s := range wb.Sheets {
		if t, ok := target[s.RID]; ok {
			sheets = append(sheets, xlsxSheet{Name: s.Name, Part: t, Hidden: s.State == "hidden" || s.State == "veryHidden"})
		}
	}
	return sheets, sst
}

// resolvePart turns a relationship target into a zip entry name.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/")
}

// readXMLPart decodes a small part with encoding/xml.
func readXMLPart(files map[string]*zip.File, name string, v any) error {
	f := files[strings.ToLower(name)]
	if f == nil {
		return fmt.Errorf("%s is missing", name)
	}
	if f.UncompressedSize64 > maxMetaPart {
		return fmt.Errorf("%s expands to %d bytes, refusing a zip bomb", name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, maxMetaPart)).Decode(v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

// sharedStrings is the shared-string table, packed: one byte slice and
// the offsets into it. A million names take their text and 4 bytes each,
// and the garbage collector has no pointers to scan.
type sharedStrings struct {
	data []byte
	off  []uint32 // string i is data[off[i]:off[i+1]]
}

func (t *sharedStrings) len() int {
	if len(t.off) == 0 {
		return 0
	}
	return len(t.off) - 1
}

func (t *sharedStrings) get(i int) string { return string(t.data[t.off[i]:t.off[i+1]]) }

// readSharedStrings loads the shared-string table: the plain text of every
// <si>, rich-text runs joined, phonetic runs (<rPh>) left out.
func readSharedStrings(f *zip.File) (*sharedStrings, error) {
	t := &sharedStrings{}
	if f == nil {
		return t, nil
	}
	if f.UncompressedSize64 > maxSharedPart {
		return nil, fmt.Errorf("refusing a zip bomb: %s expands to %d bytes", f.Name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The text is shorter than the XML that holds it: reserve that much
	// once (untouched capacity costs address space, not memory).
	t.data = make([]byte, 0, f.UncompressedSize64)
	t.off = append(t.off, 0)
	s := newXMLScanner(rc)
	var (
		inT     bool
		phDepth int
		start   int
	)
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch {
		case s.kind == tokEOF:
			return t, nil
		case s.is(tokStart, "sst"):
			if n, ok := attrInt(s.attrs, "uniqueCount"); ok && n > 0 {
				t.off = make([]uint32, 1, min(n, 1<<24)+1)
			}
		case s.is(tokStart, "si") && s.selfClose:
			t.off = append(t.off, uint32(len(t.data)))
		case s.is(tokStart, "si"):
			start, inT, phDepth = len(t.data), false, 0
		case s.is(tokStart, "rPh"):
			phDepth++
		case s.is(tokEnd, "rPh"):
			phDepth--
		case s.is(tokStart, "t"):
			inT = !s.selfClose
		case s.is(tokEnd, "t"):
			inT = false
		case s.kind == tokText && inT && phDepth == 0:
			t.data = appendCharData(t.data, s)
		case s.is(tokEnd, "si"):
			if u := unescapeOOXML(t.data[start:]); len(u) != len(t.data)-start {
				t.data = append(t.data[:start], u...)
			}
			t.off = append(t.off, uint32(len(t.data)))
		}
	}
}

// appendCharData appends the current text token, decoded.
func appendCharData(dst []byte, s *xmlScanner) []byte {
	if s.cdata {
		return append(dst, s.text...)
	}
	return appendText(dst, s.text)
}
