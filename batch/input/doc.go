// Package input reads the rows of a customer portfolio: an .xlsx workbook
// (streamed with its own small XML scanner, whatever wrote it: Excel, WPS,
// LibreOffice, Gnumeric, openpyxl, XlsxWriter, Strict OOXML …) or a .csv or
// .txt file (UTF-8 with or without BOM, GB18030/GBK or UTF-16, comma, tab
// or semicolon, CR, LF or CRLF line ends, an Excel "sep=" line).
//
// Open finds the header (the first row among the first 30 that
// holds a known header, or Options.HeaderRow) on the first worksheet that
// has one, and the code and name columns; Reader.Next streams the data
// rows and Reader.Identifier picks each row's identifier cell. Cells keep
// their type, so numbers stay numbers and a formula without a result is
// CellFormulaUncalculated. Every unusable file is an *Error, found before
// anything is ordered.
//
// Of qccbatch the package imports only the message catalogue (batch/msg),
// for its errors; package identifier classifies the cells it returns.
package input
