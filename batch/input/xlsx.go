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
	"unicode/utf8"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Limits that keep a crafted workbook (a zip bomb) from exhausting memory or
// time. Parts that are held in memory are small in genuine files; the
// worksheet is streamed and bounded by Excel's own row and column limits.
const (
	maxMetaPart     = 32 << 20  // workbook.xml, relationships
	maxSharedPart   = 1 << 30   // sharedStrings.xml, streamed
	maxSharedText   = 256 << 20 // the decoded shared-string table, held in memory
	maxSharedCount  = 1 << 25   // shared strings (4 bytes of offset each)
	maxSheetPart    = 8 << 30   // one worksheet, streamed
	maxExcelRows    = 1 << 20   // 1,048,576
	maxExcelColumns = 1 << 14   // 16,384 (XFD)
)

// xlsxSheet is one worksheet of a workbook, in workbook order.
type xlsxSheet struct {
	Name, Part string
	Hidden     bool
}

// workbook is an open xlsx file: its worksheets in workbook order, its
// shared strings, and whether it asks to be recalculated on opening.
type workbook struct {
	path     string
	zr       *zip.ReadCloser
	files    map[string]*zip.File // by lower-case name
	sheets   []xlsxSheet
	sst      *sharedStrings
	fullCalc bool // <calcPr fullCalcOnLoad="1"/>: cached formula results may be placeholders
	date1904 bool // <workbookPr date1904="1"/>: date serials count days from 1904-01-01 (older Mac Excel)
}

// openWorkbook opens the workbook at p, lists its worksheets and loads its
// shared strings. Transitional and Strict OOXML are both read.
func openWorkbook(p string) (*workbook, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, inputErr(p, msg.M(msg.InDamagedZip, err), err)
	}
	wb := &workbook{path: p, zr: zr}
	if err := wb.load(); err != nil {
		zr.Close()
		return nil, err
	}
	return wb, nil
}

func (wb *workbook) load() error {
	p := wb.path
	wb.files = make(map[string]*zip.File, len(wb.zr.File))
	var total uint64
	for _, f := range wb.zr.File {
		wb.files[strings.ToLower(f.Name)] = f
		total += f.UncompressedSize64
	}
	if total > maxSheetPart+maxSharedPart {
		return inputErr(p, msg.M(msg.InZipBomb, total), nil)
	}
	wbPart := "xl/workbook.xml"
	var root relationships
	if err := readXMLPart(wb.files, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPart = resolvePart("", r.Target)
			}
		}
	}
	var wx workbookXML
	if err := readXMLPart(wb.files, wbPart, &wx); err != nil {
		return inputErr(p, msg.M(msg.InNoWorkbookPart, err), err)
	}
	wb.fullCalc = wx.CalcPr.FullCalcOnLoad == "1" || wx.CalcPr.FullCalcOnLoad == "true"
	wb.date1904 = wx.WorkbookPr.Date1904 == "1" || wx.WorkbookPr.Date1904 == "true"
	var rels relationships
	relsPart := path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels")
	if err := readXMLPart(wb.files, relsPart, &rels); err != nil {
		return inputErr(p, msg.M(msg.InDamagedRels, err), err)
	}
	sheets, sst := workbookSheets(wx, rels, path.Dir(wbPart))
	if len(sheets) == 0 {
		return inputErr(p, msg.M(msg.InNoWorksheet), nil)
	}
	wb.sheets = sheets
	if sst == "" {
		sst = path.Join(path.Dir(wbPart), "sharedStrings.xml")
	}
	strs, err := readSharedStrings(wb.files[strings.ToLower(sst)], maxSharedText)
	var le *limitError
	if errors.As(err, &le) {
		return inputErr(p, le.Msg(), err)
	}
	if err != nil {
		return inputErr(p, msg.M(msg.InDamagedShared, err), err)
	}
	wb.sst = strs
	return nil
}

// openSheet positions a reader on the first row of worksheet s.
func (wb *workbook) openSheet(s xlsxSheet) (*xlsxSource, error) {
	p := wb.path
	f := wb.files[strings.ToLower(s.Part)]
	if f == nil {
		return nil, inputErr(p, msg.M(msg.InNoSheetPart, s.Name, s.Part), nil)
	}
	if f.UncompressedSize64 > maxSheetPart {
		return nil, inputErr(p, msg.M(msg.InSheetZipBomb, s.Name, f.UncompressedSize64), nil)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, inputErr(p, msg.M(msg.InDamaged, err), err)
	}
	sr := newSheetReader(bufio.NewReaderSize(rc, 64<<10), wb.sst)
	sr.fullCalc = wb.fullCalc
	return &xlsxSource{part: rc, sheet: sr, Sheet: s.Name}, nil
}

func (wb *workbook) close() error { return wb.zr.Close() }

// xlsxSource streams the rows of one worksheet.
type xlsxSource struct {
	part  io.ReadCloser
	sheet *sheetReader
	Sheet string // the worksheet read
}

func (x *xlsxSource) read() (Row, error) { return x.sheet.read() }

// close closes the worksheet part (not the workbook).
func (x *xlsxSource) close() error { return x.part.Close() }

// findSheet finds the worksheet named want: exact, then ignoring case and
// surrounding space.
func findSheet(sheets []xlsxSheet, want string) (xlsxSheet, error) {
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
	return xlsxSheet{}, errText(msg.InSheetNotFound, want, sheetNames(sheets))
}

// sheetNames lists the worksheet names, quoted, for an error line.
func sheetNames(sheets []xlsxSheet) string {
	names := make([]string, len(sheets))
	for i, s := range sheets {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	return strings.Join(names, ", ")
}

// candidateSheets are the worksheets searched for a header when no sheet
// is named: the visible ones, or every one if all are hidden.
func candidateSheets(sheets []xlsxSheet) []xlsxSheet {
	var vis []xlsxSheet
	for _, s := range sheets {
		if !s.Hidden {
			vis = append(vis, s)
		}
	}
	if len(vis) == 0 {
		return sheets
	}
	return vis
}

type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// workbookXML is what is read of workbook.xml. Elements and attributes are
// matched by local name, so Strict OOXML (purl.oclc.org namespaces) reads
// as Transitional does; r:id is the only "id" attribute of <sheet>.
type workbookXML struct {
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"id,attr"`
	} `xml:"sheets>sheet"`
	CalcPr struct {
		FullCalcOnLoad string `xml:"fullCalcOnLoad,attr"`
	} `xml:"calcPr"`
	WorkbookPr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
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
		return errText(msg.InPartMissing, name)
	}
	if f.UncompressedSize64 > maxMetaPart {
		return errText(msg.InPartZipBomb, name, f.UncompressedSize64)
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
// <si>, rich-text runs joined, phonetic runs (<rPh>) left out. More than
// limit bytes of text, or a string longer than maxCellChars, is a
// *limitError.
func readSharedStrings(f *zip.File, limit int) (*sharedStrings, error) {
	t := &sharedStrings{}
	if f == nil {
		return t, nil
	}
	if f.UncompressedSize64 > maxSharedPart {
		return nil, errText(msg.InSharedZipBomb, f.Name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The text is shorter than the XML that holds it: reserve that much
	// once (untouched capacity costs address space, not memory).
	t.data = make([]byte, 0, min(f.UncompressedSize64, uint64(limit)))
	t.off = append(t.off, 0)
	s := newXMLScanner(rc)
	var (
		rt    richText
		start int
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
			if len(t.off) > maxSharedCount {
				return nil, limitErr(msg.InSharedCount, maxSharedCount)
			}
			t.off = append(t.off, uint32(len(t.data)))
		case s.is(tokStart, "si"):
			start, rt = len(t.data), richText{}
		case rt.text(s):
			if len(t.data)+len(s.text) > limit {
				return nil, limitErr(msg.InSharedText, limit>>20)
			}
			if len(t.data)-start+len(s.text) > 7*maxCellChars { // _xHHHH_ is 7 bytes for 1 character
				return nil, cellTooLong(errText(msg.InWhereSharedString, len(t.off)-1))
			}
			t.data = appendCharData(t.data, s)
		case s.is(tokEnd, "si"):
			if u := unescapeOOXML(t.data[start:]); len(u) != len(t.data)-start {
				t.data = append(t.data[:start], u...)
			}
			if n := len(t.data) - start; n > maxCellChars && utf8.RuneCount(t.data[start:]) > maxCellChars {
				return nil, cellTooLong(errText(msg.InWhereSharedString, len(t.off)-1))
			}
			if len(t.off) > maxSharedCount {
				return nil, limitErr(msg.InSharedCount, maxSharedCount)
			}
			t.off = append(t.off, uint32(len(t.data)))
		}
	}
}

// richText is the state machine of a string item, shared (<si>) or inline
// (<is>): its text is that of its <t> elements, rich-text runs (<r><t>)
// joined, phonetic runs (<rPh><t>) left out. The zero value starts an item.
type richText struct {
	inT     bool
	phDepth int
}

// text advances the state on the token of s and reports whether that token
// is text of the string.
func (rt *richText) text(s *xmlScanner) bool {
	switch {
	case s.kind == tokText:
		return rt.inT && rt.phDepth == 0
	case s.is(tokStart, "rPh"):
		rt.phDepth++
	case s.is(tokEnd, "rPh"):
		rt.phDepth--
	case s.is(tokStart, "t"):
		rt.inT = !s.selfClose
	case s.is(tokEnd, "t"):
		rt.inT = false
	}
	return false
}

// appendCharData appends the current text token, decoded.
func appendCharData(dst []byte, s *xmlScanner) []byte {
	if s.cdata {
		return append(dst, s.text...)
	}
	return appendText(dst, s.text)
}
