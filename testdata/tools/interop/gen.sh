#!/bin/sh
# Regenerates the interop corpus (testdata/input/interop) and the LibreOffice
# due-diligence book (testdata/input/realbook). See README.md beside this file.
#
#   sh testdata/tools/interop/gen.sh            # everything, from the repository root
#   sh testdata/tools/interop/gen.sh manifest   # only the shown/ CSVs and manifest.json
#
# Needs (Debian 12): python3-openpyxl python3-xlsxwriter libreoffice-calc-nogui
# gnumeric libexcel-writer-xlsx-perl libxlsxwriter-dev gcc r-cran-openxlsx,
# node+npm (xlsx, exceljs installed into $NPM_DIR, outside the repository),
# Go with the module cache holding excelize v2.11.1 and tealeg/xlsx v3.3.13.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=$ROOT/testdata/input/interop
BOOK=$ROOT/testdata/input/realbook
NPM_DIR=${NPM_DIR:-/tmp/interop-npm}
PY=/usr/bin/python3            # Debian's, for python3-openpyxl / python3-xlsxwriter
TMP=$(mktemp -d /tmp/interop-gen.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$OUT" "$OUT/shown" "$BOOK/src" "$BOOK/shown"
LO_PLAIN="-env:UserInstallation=file://$TMP/lo-plain"
if [ "${1:-}" != manifest ]; then
rm -f "$OUT"/*.xlsx "$OUT"/*.csv "$OUT"/*.txt "$OUT"/shown/*.csv

# --- writers -----------------------------------------------------------------
$PY "$HERE/write_openpyxl.py" "$OUT/openpyxl.xlsx"
$PY "$HERE/write_xlsxwriter.py" "$OUT/xlsxwriter.xlsx"
$PY "$HERE/write_xlsxwriter.py" "$OUT/xlsxwriter_cached.xlsx" cached
$PY "$HERE/write_xlsxwriter.py" "$OUT/xlsxwriter_empty_first_sheet.xlsx" cached emptyfirst
$PY "$HERE/write_xlsxwriter.py" "$OUT/xlsxwriter_instructions_first.xlsx" cached instructions

if [ ! -d "$NPM_DIR/node_modules/exceljs" ] || [ ! -d "$NPM_DIR/node_modules/xlsx" ]; then
  mkdir -p "$NPM_DIR"
  (cd "$NPM_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund xlsx@0.18.5 exceljs@4.4.0 >/dev/null)
fi
NODE_PATH=$NPM_DIR/node_modules node "$HERE/write_sheetjs.js" "$OUT/sheetjs.xlsx"
NODE_PATH=$NPM_DIR/node_modules node "$HERE/write_exceljs.js" "$OUT/exceljs.xlsx"
NODE_PATH=$NPM_DIR/node_modules node "$HERE/write_exceljs.js" "$OUT/exceljs_noresult.xlsx" noresult

gorun() { # gorun DIR MODULE@VERSION OUT: run DIR/main.go in a throwaway module
  d=$TMP/go-$1; mkdir -p "$d"
  sed '/^\/\/go:build ignore/d' "$HERE/$1/main.go" >"$d/main.go"
  (cd "$d" && printf 'module interop%s\n\ngo 1.26\n' "$1" >go.mod && go get "$2" >/dev/null 2>&1 && go mod tidy >/dev/null 2>&1 || true
   cd "$d" && go run . "$HERE/portfolio.json" "$3")
}
gorun excelize github.com/xuri/excelize/v2@v2.11.1 "$OUT/excelize.xlsx"
gorun tealeg github.com/tealeg/xlsx/v3@v3.3.13 "$OUT/tealeg.xlsx"

perl "$HERE/write_perl.pl" "$HERE/portfolio.json" "$OUT/perl.xlsx"
cc -o "$TMP/lxw" "$HERE/write_libxlsxwriter.c" -lxlsxwriter
"$TMP/lxw" "$OUT/libxlsxwriter.xlsx"
Rscript "$HERE/write_openxlsx.R" "$OUT/openxlsx_r.xlsx" >/dev/null

# LibreOffice and Gnumeric convert sources written by make_sources.py.
python3 "$HERE/make_sources.py" "$TMP"
soffice "$LO_PLAIN" --headless --convert-to xlsx --outdir "$TMP" "$TMP/portfolio.fods" >/dev/null 2>&1
mv "$TMP/portfolio.xlsx" "$OUT/libreoffice.xlsx"
# openpyxl's file opened and saved again by LibreOffice: the formula gets its value.
cp "$OUT/openpyxl.xlsx" "$TMP/libreoffice_resaved_openpyxl.xlsx"
mkdir -p "$TMP/resave"
soffice "$LO_PLAIN" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$TMP/resave" "$TMP/libreoffice_resaved_openpyxl.xlsx" >/dev/null 2>&1
mv "$TMP/resave/libreoffice_resaved_openpyxl.xlsx" "$OUT/"
ssconvert "$TMP/portfolio.gnumeric" "$OUT/gnumeric.xlsx" 2>/dev/null
ssconvert "$TMP/number.gnumeric" "$OUT/gnumeric_number.xlsx" 2>/dev/null

# --- hand-edited variants and CSV flavours -----------------------------------
python3 "$HERE/variants.py" "$OUT/xlsxwriter_cached.xlsx" "$OUT"
python3 "$HERE/make_csv.py" "$OUT"

# --- the LibreOffice due-diligence book ----------------------------------------
python3 "$HERE/make_realbook.py" "$BOOK/src/realbook.fods"
soffice "$LO_PLAIN" --headless --convert-to xlsx --outdir "$BOOK" "$BOOK/src/realbook.fods" >/dev/null 2>&1

chmod 644 "$OUT"/*.xlsx "$BOOK"/*.xlsx
fi

# --- what a spreadsheet program shows ----------------------------------------
# LibreOffice, set to recalculate every formula on load (as Excel does for a
# formula without a value and for a workbook marked fullCalcOnLoad), saves
# every sheet as CSV "as shown". A second, default profile (never recalculate)
# shows what LibreOffice shows out of the box.
mkdir -p "$TMP/lo-recalc/user" "$TMP/shown" "$TMP/shown-default"
cat >"$TMP/lo-recalc/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
CSVOPT='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
soffice "-env:UserInstallation=file://$TMP/lo-recalc" --headless --convert-to "$CSVOPT" --outdir "$TMP/shown" "$OUT"/*.xlsx "$BOOK"/*.xlsx >/dev/null 2>&1
soffice "$LO_PLAIN" --headless --convert-to "$CSVOPT" --outdir "$TMP/shown-default" "$OUT"/*.xlsx "$BOOK"/*.xlsx >/dev/null 2>&1

# --- manifest (checks every file against the portfolio and what LibreOffice shows)
python3 "$HERE/make_manifest.py" "$OUT" "$BOOK" "$TMP/shown" "$TMP/shown-default"
