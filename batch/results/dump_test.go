package results

import (
	"archive/zip"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// cellTypeNames names excelize's cell types for the dump.
var cellTypeNames = map[excelize.CellType]string{
	excelize.CellTypeUnset:        "unset",
	excelize.CellTypeBool:         "bool",
	excelize.CellTypeDate:         "date",
	excelize.CellTypeError:        "error",
	excelize.CellTypeFormula:      "formula",
	excelize.CellTypeInlineString: "inlineStr",
	excelize.CellTypeNumber:       "number",
	excelize.CellTypeSharedString: "sharedStr",
}

// dumpWorkbook reads a workbook back with excelize and renders what a user
// sees and what matters for safety: per sheet the frozen pane, auto-filter
// and column widths, and per cell its type, raw value, formula and style.
func dumpWorkbook(t *testing.T, path string) []byte {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	var b strings.Builder
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&b, "defined name %s (scope %s) = %s\n", dn.Name, dn.Scope, dn.RefersTo)
	}
	for _, name := range f.GetSheetList() {
		fmt.Fprintf(&b, "== sheet %s\n", name)
		panes, err := f.GetPanes(name)
		require.NoError(t, err)
		if panes.Freeze {
			fmt.Fprintf(&b, "frozen: ySplit=%d topLeft=%s\n", panes.YSplit, panes.TopLeftCell)
		}
		fmt.Fprintf(&b, "print: %s\n", dumpPrint(t, f, name))
		xml := workbookSheetXML(t, path, f, name)
		if m := autoFilterRe.FindSubmatch(xml); m != nil {
			fmt.Fprintf(&b, "autofilter: %s\n", m[1])
		}
		if !colsSorted(xml) {
			fmt.Fprintf(&b, "ERROR: <col> elements not in ascending order\n")
		}
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		ncols := 0
		for _, r := range rows {
			ncols = max(ncols, len(r))
		}
		var widths []string
		for c := 1; c <= ncols; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			w, _ := f.GetColWidth(name, col)
			widths = append(widths, fmt.Sprintf("%s=%g", col, w))
		}
		fmt.Fprintf(&b, "widths: %s\n", strings.Join(widths, " "))
		for r := 1; r <= len(rows); r++ {
			for c := 1; c <= ncols; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, r)
				if line := dumpCell(t, f, name, cell); line != "" {
					fmt.Fprintf(&b, "%s %s\n", cell, line)
				}
			}
		}
	}
	return []byte(b.String())
}

// dumpPrint renders a sheet's print setup: paper, orientation, fitting,
// margins and footer.
func dumpPrint(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	require.NoError(t, err)
	props, err := f.GetSheetProps(sheet)
	require.NoError(t, err)
	m, err := f.GetPageMargins(sheet)
	require.NoError(t, err)
	hf, err := f.GetHeaderFooter(sheet)
	require.NoError(t, err)
	deref := func(p any) string {
		switch v := p.(type) {
		case *int:
			if v != nil {
				return strconv.Itoa(*v)
			}
		case *string:
			if v != nil {
				return *v
			}
		case *bool:
			if v != nil {
				return strconv.FormatBool(*v)
			}
		case *float64:
			if v != nil {
				return strconv.FormatFloat(*v, 'g', -1, 64)
			}
		}
		return "-"
	}
	footer := ""
	if hf != nil {
		footer = hf.OddFooter
	}
	return fmt.Sprintf("size=%s orientation=%s fitToPage=%s fitToWidth=%s fitToHeight=%s margins=%s/%s/%s/%s footer=%q",
		deref(pl.Size), deref(pl.Orientation), deref(props.FitToPage), deref(pl.FitToWidth), deref(pl.FitToHeight),
		deref(m.Left), deref(m.Right), deref(m.Top), deref(m.Bottom), footer)
}

// dumpCell renders one cell, or "" when it is absent.
func dumpCell(t *testing.T, f *excelize.File, sheet, cell string) string {
	typ, err := f.GetCellType(sheet, cell)
	require.NoError(t, err)
	val, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	formula, _ := f.GetCellFormula(sheet, cell)
	styleID, _ := f.GetCellStyle(sheet, cell)
	if typ == excelize.CellTypeUnset && val == "" && formula == "" {
		return ""
	}
	name := cellTypeNames[typ]
	if typ == excelize.CellTypeUnset {
		name = "number" // no t attribute: the default type n
	}
	line := name + " " + strconv.Quote(val)
	if formula != "" {
		line += " formula=" + strconv.Quote(formula)
	}
	if s := describeStyle(f, styleID); s != "" {
		line += " [" + s + "]"
	}
	return line
}

// describeStyle names the parts of a style the results rely on.
func describeStyle(f *excelize.File, id int) string {
	if id == 0 {
		return ""
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return "style?"
	}
	var parts []string
	if st.Font != nil {
		if st.Font.Family != "" {
			parts = append(parts, st.Font.Family)
		}
		if st.Font.Bold {
			parts = append(parts, "bold")
		}
		if st.Font.Underline != "" {
			parts = append(parts, "underline")
		}
		if st.Font.Color != "" {
			parts = append(parts, "font="+st.Font.Color)
		}
	}
	if len(st.Fill.Color) > 0 {
		parts = append(parts, "fill="+strings.Join(st.Fill.Color, ","))
	}
	if st.NumFmt != 0 {
		parts = append(parts, "numfmt="+strconv.Itoa(st.NumFmt))
	}
	if st.Alignment != nil && st.Alignment.WrapText {
		parts = append(parts, "wrap")
	}
	if st.CustomNumFmt != nil {
		parts = append(parts, "numfmt="+strconv.Quote(*st.CustomNumFmt))
	}
	return strings.Join(parts, " ")
}

var autoFilterRe = regexp.MustCompile(`<autoFilter ref="([^"]+)"`)

var colMinRe = regexp.MustCompile(`<col min="(\d+)"`)

// colsSorted reports whether the <col> elements ascend, as Excel requires.
func colsSorted(xml []byte) bool {
	last := 0
	for _, m := range colMinRe.FindAllSubmatch(xml, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		if n <= last {
			return false
		}
		last = n
	}
	return true
}

// workbookSheetXML returns the raw XML of a worksheet, for what excelize has no
// getter for (the auto-filter) or reorders on reading (the columns).
func workbookSheetXML(t *testing.T, path string, f *excelize.File, sheet string) []byte {
	t.Helper()
	idx, err := f.GetSheetIndex(sheet)
	require.NoError(t, err)
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer func() { _ = zr.Close() }()
	want := fmt.Sprintf("xl/worksheets/sheet%d.xml", idx+1)
	for _, zf := range zr.File {
		if zf.Name != want {
			continue
		}
		rc, err := zf.Open()
		require.NoError(t, err)
		defer func() { _ = rc.Close() }()
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		return data
	}
	require.Failf(t, "no worksheet", "%s: no %s in the zip", path, want)
	return nil
}
