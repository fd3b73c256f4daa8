//go:build linux

package input

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Benchmarks of reading a portfolio (go test -bench Input -benchtime 1x):
// they report rows/s and the peak resident memory of the read itself
// (VmHWM, reset after the file is generated), for 100k and 1M rows, so
// that memory independent of the row count is visible.

func BenchmarkInputXLSX(b *testing.B) { benchInput(b, "xlsx", writeBenchXLSX) }
func BenchmarkInputCSV(b *testing.B)  { benchInput(b, "csv", writeBenchCSV) }

func benchInput(b *testing.B, ext string, write func(testing.TB, string, int)) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "p."+ext)
			write(b, p, n)
			resetPeakRSS()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				in, err := Open(p, Options{})
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				for {
					r, err := in.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					if in.Identifier(r).Value == "" {
						b.Fatalf("row %d without identifier", r.Line)
					}
					rows++
				}
				in.Close()
				if rows != n {
					b.Fatalf("%d rows, want %d", rows, n)
				}
			}
			report(b, n, start)
		})
	}
}

func report(b *testing.B, n int, start time.Time) {
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
	// Rows per second of CPU time (user+system, all threads, GC included):
	// on a shared machine the wall clock says more about the neighbours.
	if cpu := cpuTime() - cpuAtReset; cpu > 0 {
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "rows/cpu-s")
	}
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peakRSS-MB")
	}
}

// resetPeakRSS resets the kernel's high-water mark of resident memory
// (Linux: writing 5 to clear_refs), after a GC so the generator's garbage
// is returned.
func resetPeakRSS() {
	debug.FreeOSMemory()
	cpuAtReset = cpuTime()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

var cpuAtReset time.Duration

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns VmHWM in bytes, or 0 where it is not available.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// benchRow returns the values of row i: 序号, 企业名称, 统一社会信用代码,
// 注册资本, 备注. Every company is distinct.
func benchRow(i int) (name, code string) {
	first := fmt.Sprintf("91440300%09d", i)
	// The reader does not check the check character; any will do.
	return fmt.Sprintf("测试企业%07d有限公司", i), first + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[i%31])
}

func writeBenchCSV(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("\ufeff序号,企业名称,统一社会信用代码,注册资本（万元）,备注\r\n")
	for i := range n {
		name, code := benchRow(i)
		fmt.Fprintf(w, "%d,%s,%s,%d.5,第%d批\r\n", i+1, name, code, i%9000+100, i%7)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// writeBenchXLSX writes a workbook shaped like one Excel saves: text in
// the shared-string table, numbers inline, cell references and styles on
// every cell.
func writeBenchXLSX(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	part := func(name, body string) {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)

	// Shared strings: 5 headers, 7 remarks, then name and code of each row.
	w, _ := zw.Create("xl/sharedStrings.xml")
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, 3*n+5, 2*n+12)
	for _, s := range []string{"序号", "企业名称", "统一社会信用代码", "注册资本（万元）", "备注"} {
		fmt.Fprintf(bw, "<si><t>%s</t></si>", s)
	}
	for i := range 7 {
		fmt.Fprintf(bw, "<si><t>第%d批</t></si>", i)
	}
	for i := range n {
		name, code := benchRow(i)
		fmt.Fprintf(bw, "<si><t>%s</t></si><si><t>%s</t></si>", name, code)
	}
	bw.WriteString("</sst>")
	bw.Flush()

	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	bw = bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="1" t="s"><v>3</v></c><c r="E1" s="1" t="s"><v>4</v></c></row>`)
	for i := range n {
		r := i + 2
		fmt.Fprintf(bw, `<row r="%d" spans="1:5"><c r="A%d" s="2"><v>%d</v></c><c r="B%d" s="1" t="s"><v>%d</v></c><c r="C%d" s="1" t="s"><v>%d</v></c><c r="D%d" s="3"><v>%d.5</v></c><c r="E%d" s="1" t="s"><v>%d</v></c></row>`,
			r, r, i+1, r, 12+2*i, r, 13+2*i, r, i%9000+100, r, 5+i%7)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	bw.Flush()
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
}
