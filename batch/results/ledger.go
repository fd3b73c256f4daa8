package results

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// LedgerHeader names the columns of the ledger (`qccbatch ledger`): of its
// file, its JSON keys and its table.
var LedgerHeader = []string{"order_no", "search_key", "format", "requested_at", "ordered_at", "run", "outcome", "report_status", "completed_at", "file", "sha256"}

// Ledger is what `qccbatch ledger -o` writes: every order request, and the
// invoice totals of the workbook's second sheet.
type Ledger struct {
	Rows    [][]string // one per order request, a text per LedgerHeader column
	Invoice []InvoiceLine
}

// InvoiceLine is one line of the Invoice sheet: the orders of a month in a
// report format, as the vendor's monthly invoice lists them.
type InvoiceLine struct {
	Month, Format string // "2026-11", "pdf"
	Orders        int    // orders with a number
	Uncertain     int    // requests without one: possibly charged
	Failed        int    // orders whose report failed
}

// ledger sheet names and the Invoice sheet's header.
const (
	ordersSheet  = "Orders"
	invoiceSheet = "Invoice"
)

var invoiceHeader = []any{"month", "format", "orders", "possibly charged", "failed"}

// WriteLedger writes l to path, as Write writes the results (atomically,
// mode 0600, every cell formula-safe): a .csv holds the orders, a .xlsx the
// orders on one sheet and the invoice totals on a second.
func WriteLedger(path string, l Ledger) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".xlsx" && ext != ".csv" {
		return fmt.Errorf("ledger file %s: the name must end in .xlsx or .csv", path)
	}
	return writeFile(path, func(w io.Writer) error {
		if ext == ".csv" {
			return writeLedgerCSV(w, l.Rows)
		}
		return writeLedgerXLSX(w, l)
	})
}

// writeLedgerCSV writes the orders as CSV, every cell through safeText.
func writeLedgerCSV(w io.Writer, rows [][]string) error {
	cw, err := newCSVWriter(w)
	if err != nil {
		return err
	}
	if err := cw.write(LedgerHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.write(r); err != nil {
			return err
		}
	}
	return cw.flush()
}

// writeLedgerXLSX writes the Orders sheet (header frozen, auto-filter) and
// the Invoice sheet, every cell through setSafeRow.
func writeLedgerXLSX(w io.Writer, l Ledger) error {
	x := excelize.NewFile()
	defer x.Close()
	text, err := newTextStyle(x)
	if err != nil {
		return err
	}
	if err := x.SetSheetName("Sheet1", ordersSheet); err != nil {
		return err
	}
	vals := make([]any, len(LedgerHeader))
	for k, h := range LedgerHeader {
		vals[k] = h
	}
	if err := setSafeRow(x, ordersSheet, 1, vals, text); err != nil {
		return err
	}
	for i, r := range l.Rows {
		vals = vals[:0]
		for _, v := range r {
			vals = append(vals, v)
		}
		if err := setSafeRow(x, ordersSheet, i+2, vals, text); err != nil {
			return err
		}
	}
	if err := x.SetPanes(ordersSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if len(l.Rows) > 0 {
		last, err := excelize.CoordinatesToCellName(len(LedgerHeader), len(l.Rows)+1)
		if err != nil {
			return err
		}
		if err := x.AutoFilter(ordersSheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	if _, err := x.NewSheet(invoiceSheet); err != nil {
		return err
	}
	if err := setSafeRow(x, invoiceSheet, 1, invoiceHeader, text); err != nil {
		return err
	}
	for i, t := range l.Invoice {
		if err := setSafeRow(x, invoiceSheet, i+2, []any{t.Month, t.Format, t.Orders, t.Uncertain, t.Failed}, text); err != nil {
			return err
		}
	}
	return x.Write(w)
}
