package input

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// riskHeaders are the headers recognised as the risk-rating column when
// Options.RiskColumn is empty, in order of preference (matched like the
// identifier headers).
var riskHeaders = []string{"风险等级", "风险评级", "客户风险等级", "洗钱风险等级", "risk", "risk rating"}

// Extras are the columns beside the identifier that steer a back-book
// refresh and the split of the results: -1 where there is none.
type Extras struct {
	Risk, Due, Split int
}

// FindExtras finds the risk-rating, review-date and split columns of
// header for opt (see Options.RiskColumn). A named column that is not
// there is an *Error naming the headers seen; path is for it.
func FindExtras(path string, header []string, opt Options) (Extras, error) {
	x := Extras{Risk: -1, Due: -1, Split: -1}
	for _, c := range []struct {
		name string
		at   *int
	}{{opt.RiskColumn, &x.Risk}, {opt.DueColumn, &x.Due}, {opt.SplitBy, &x.Split}} {
		if c.name == "" {
			continue
		}
		i, err := namedColumn(header, c.name)
		if err != nil {
			return x, inputErr(path, problemOf(err), err)
		}
		*c.at = i
	}
	if opt.RiskColumn == "" {
		x.Risk = firstHeader(header, riskHeaders)
	}
	return x, nil
}

// Text returns the trimmed text of a cell (a number as it is stored).
func (c Cell) Text() string { return strings.TrimFunc(c.Value, IsTrimmed) }

// dateForms are the written dates a review-date cell may hold:
// 2026-03-31, 2026/3/31, 2026.3.31, 2026年3月31日 (time of day ignored).
var dateForms = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$`)

// Date reads a review date: an Excel date (a serial number of the 1900
// date system), or text such as 2026-03-31, 2026/3/31, 2026年3月31日 or
// 20260331 (eight digits, as core-banking exports write it). ok is
// false for a cell that holds no such date; a blank cell is blank.
func (c Cell) Date() (d time.Time, blank, ok bool) { return c.DateIn(false) }

// DateIn is Date for a workbook whose serial numbers count days from
// 1904-01-01 when date1904 is set (Reader.Date1904): the same serial is
// then 1,462 days later than in the 1900 system.
func (c Cell) DateIn(date1904 bool) (d time.Time, blank, ok bool) {
	s := c.Text()
	if s == "" && c.Type != CellFormulaUncalculated {
		return time.Time{}, true, false
	}
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" { // 20260331, as core-banking exports write dates
		return ymd(s[:4], s[4:6], s[6:])
	}
	if c.Type == CellNumber {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 || f > 2958465 { // 1900-01-01 .. 9999-12-31
			return time.Time{}, false, false
		}
		// Excel's day 1 is 1900-01-01, and it counts a 29 February 1900
		// that never was: serials from 61 on are one day ahead.
		days := int(math.Floor(f))
		if date1904 { // day 0 is 1904-01-01, and no phantom leap day
			return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days), false, true
		}
		base := time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
		if days >= 61 {
			days--
		}
		return base.AddDate(0, 0, days), false, true
	}
	m := dateForms.FindStringSubmatch(strings.ReplaceAll(s, "　", " "))
	if m == nil {
		return time.Time{}, false, false
	}
	return ymd(m[1], m[2], m[3])
}

// ymd is the date of year, month and day in digits; ok is false for one
// that does not exist (2026-02-30) or is before 1900.
func ymd(year, month, day string) (d time.Time, blank, ok bool) {
	y, _ := strconv.Atoi(year)
	mo, _ := strconv.Atoi(month)
	dd, _ := strconv.Atoi(day)
	t := time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC)
	if y < 1900 || t.Year() != y || int(t.Month()) != mo || t.Day() != dd {
		return time.Time{}, false, false
	}
	return t, false, true
}
