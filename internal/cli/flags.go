package cli

import (
	"github.com/spf13/pflag"

	"github.com/qccbatch/qccbatch/batch/identifier"
	"github.com/qccbatch/qccbatch/batch/input"
	"github.com/qccbatch/qccbatch/client"
)

// The flag groups several commands share, each declared once with one help
// text and one default (restic's opts.AddFlags(f *pflag.FlagSet) is the
// model).

// inputFlags say how to read a portfolio: run, validate and export.
type inputFlags struct {
	sheet, column, nameColumn, encoding string
	headerRow                           int
	allowBadChecksum                    bool
}

// AddFlags declares the input flags on f.
func (o *inputFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.sheet, "sheet", "", "worksheet to read [the first sheet with a known header]")
	f.StringVar(&o.column, "column", "", "header or column letter of the code column (credit code or registration number) [auto-detected]")
	f.StringVar(&o.nameColumn, "name-column", "", "header or column letter of the company-name column, used where the code cell is empty [auto-detected]")
	f.IntVar(&o.headerRow, "header-row", 0, "the header is on this sheet row [the first of the first 30 rows with a known header]")
	f.StringVar(&o.encoding, "encoding", "", "CSV encoding: utf-8, gbk (gb18030) or utf-16 [detected]")
	f.BoolVar(&o.allowBadChecksum, "allow-bad-checksum", false, "order credit codes whose check character is wrong (early pilot codes)")
}

// read returns the input options.
func (o *inputFlags) read() input.Options {
	return input.Options{Sheet: o.sheet, Column: o.column, NameColumn: o.nameColumn, HeaderRow: o.headerRow, Encoding: o.encoding}
}

// classify returns the identifier options.
func (o *inputFlags) classify() identifier.Options {
	return identifier.Options{AllowBadChecksum: o.allowBadChecksum}
}

// outputFlags say how to write results: --lang and --format.
type outputFlags struct {
	lang, format string
}

// AddFlags declares the output flags on f; formatHelp says what --format
// means for the command, defaultFormat is its default ("" = decided later).
func (o *outputFlags) AddFlags(f *pflag.FlagSet, formatHelp, defaultFormat string) {
	f.StringVar(&o.lang, "lang", "zh", "language of everything written: headers, outcome labels, messages: zh or en")
	f.StringVar(&o.format, "format", defaultFormat, formatHelp)
}

// check validates the output flags and returns the report format.
// addLangFlag adds --lang to a command whose only output is for people
// (status, resolve, repair, ledger); checkLang checks it.
func addLangFlag(f *pflag.FlagSet, lang *string) {
	f.StringVar(lang, "lang", "zh", "language of the sentences written: zh or en")
}

func (o *outputFlags) check() (client.Format, error) {
	if err := checkLang(o.lang); err != nil {
		return 0, err
	}
	if o.format == "" {
		return 0, nil
	}
	f, err := client.ParseFormat(o.format)
	if err != nil {
		return 0, usagef("--format: %v", err)
	}
	return f, nil
}
