#!/usr/bin/env python3
"""Writes testdata/input/interop/manifest.json and the shown/ CSVs, checking
every file against the portfolio and against what LibreOffice shows.

Usage: make_manifest.py OUTDIR BOOKDIR SHOWN_RECALC SHOWN_DEFAULT

SHOWN_RECALC and SHOWN_DEFAULT hold LibreOffice's CSV of every sheet
(NAME-SHEET.csv), saved "as shown" with recalculation on load always and
with the default (never), as gen.sh makes them.

The xlsx inspection below is a small reference reader: it finds parts
through the relationships, ignores namespace prefixes and URIs (so x: and
Strict files read), counts rows and cells without r, and reads shared,
inline and rich strings (without phonetic runs). Standard library only.
"""
import csv
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CODE_HEADERS = {"统一社会信用代码"}
NAME_HEADERS = {"企业名称", "客户名称"}
TOTALS = {"合计", "小计", "总计", "汇总", "备注", "说明"}
USCC_CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# --- identifiers (GB 32100-2015 and GS15-2006), for the expected reading ------
def uscc_valid(c):
    if len(c) != 18 or any(ch not in USCC_CH for ch in c):
        return False
    r = 31 - sum(USCC_CH.index(ch) * w for ch, w in zip(c, USCC_W)) % 31
    return USCC_CH[0 if r == 31 else r] == c[17]


def gs15_valid(c):
    if len(c) != 15 or not c.isdigit():
        return False
    p = 10
    for ch in c[:14]:
        s = (p + int(ch)) % 10 or 10
        p = s * 2 % 11
    return str((11 - p) % 10) == c[14]


def classify_text(shown, name):
    folded = unicodedata.normalize("NFKC", shown).strip().upper()
    if folded == "":
        if name.strip() in TOTALS:
            return {"kind": "invalid", "reason": "totals_row"}
        return {"kind": "name", "key": name}
    if folded in TOTALS:
        return {"kind": "invalid", "reason": "totals_row"}
    if uscc_valid(folded):
        return {"kind": "uscc", "key": folded}
    if gs15_valid(folded):
        return {"kind": "regno", "key": folded}
    raise SystemExit("unexpected identifier %r" % shown)


# --- a small xlsx reader --------------------------------------------------------
def local(tag):
    return tag.rsplit("}", 1)[-1]


def attr(el, name):
    """An attribute by local name, whatever its namespace."""
    for k, v in el.attrib.items():
        if local(k) == name:
            return v
    return None


def children(el, name):
    return [c for c in el if local(c.tag) == name]


def text_of(si):
    """Text of a shared string item or inline <is>: <t>, or the <t> of each
    run <r>; phonetic runs <rPh> are not part of the value."""
    out = []
    for c in si:
        if local(c.tag) == "t":
            out.append(c.text or "")
        elif local(c.tag) == "r":
            out.extend(t.text or "" for t in children(c, "t"))
    return "".join(out)


def col_index(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Book:
    def __init__(self, path):
        self.z = zipfile.ZipFile(path)
        self.names = set(self.z.namelist())
        rels = self.rels("")
        wb_path = [t for ty, t in rels if ty.endswith("/officeDocument")][0]
        wb = self.xml(wb_path)
        self.workbook_ns = wb.tag[1:].split("}")[0] if wb.tag.startswith("{") else ""
        self.workbook_prefixed = re.search(rb"<(\w+):workbook\b", self.z.read(wb_path)) is not None
        self.conformance = attr(wb, "conformance")
        wbrels = dict((rid, t) for rid, (ty, t) in self.rels_by_id(wb_path).items())
        self.sst = []
        for rid, (ty, t) in self.rels_by_id(wb_path).items():
            if ty.endswith("/sharedStrings"):
                self.sst = [text_of(si) for si in self.xml(t) if local(si.tag) == "si"]
        self.sheets = []
        for sheets in children(wb, "sheets"):
            for s in children(sheets, "sheet"):
                self.sheets.append((attr(s, "name"), wbrels[attr(s, "id")]))
        calc = [c for c in wb if local(c.tag) == "calcPr"]
        self.full_calc_on_load = bool(calc) and attr(calc[0], "fullCalcOnLoad") in ("1", "true")

    def xml(self, name):
        return ET.fromstring(self.z.read(name))

    def rels_by_id(self, part):
        d, b = posixpath.split(part)
        rp = posixpath.join(d, "_rels", b + ".rels")
        out = {}
        if rp not in self.names:
            return out
        for r in self.xml(rp):
            t = r.get("Target")
            t = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(d, t))
            out[r.get("Id")] = (r.get("Type"), t)
        return out

    def rels(self, part):
        return list(self.rels_by_id(part).values())

    def cells(self, sheet_part):
        """{(row, col): cell} with row 1-based and col 0-based."""
        ws = self.xml(sheet_part)
        out = {}
        row_no = 0
        for sd in children(ws, "sheetData"):
            for row in children(sd, "row"):
                row_no = int(attr(row, "r") or row_no + 1)
                col = -1
                for c in children(row, "c"):
                    ref = attr(c, "r")
                    col = col_index(ref) if ref else col + 1
                    t = attr(c, "t") or "n"
                    f = [x for x in c if local(x.tag) == "f"]
                    v = [x for x in c if local(x.tag) == "v"]
                    isel = [x for x in c if local(x.tag) == "is"]
                    raw = v[0].text if v and v[0].text is not None else None
                    if t == "s" and raw is not None:
                        value, stored = self.sst[int(raw)], "shared string"
                    elif t == "inlineStr":
                        value, stored = (text_of(isel[0]) if isel else ""), "inline string"
                    elif t == "str":
                        value, stored = raw, "string"
                    elif t == "b":
                        value, stored = raw, "boolean"
                    else:
                        value, stored = raw, "number"
                    cell = {"stored": stored, "value": value, "has_r": ref is not None}
                    if f:
                        cell["formula"] = f[0].text or ""
                        cell["stored"] = "formula"
                        cell["cached"] = raw  # None: no cached value
                        cell["cached_type"] = t
                    out[(row_no, col)] = cell
        return out


# --- the manifest ------------------------------------------------------------------
def lo_shown(shown_dir, fname, sheet):
    base = os.path.splitext(fname)[0]
    p = os.path.join(shown_dir, "%s-%s.csv" % (base, sheet))
    with open(p, encoding="utf-8", newline="") as f:
        return p, list(csv.reader(f))


def shown_cell(grid, row, col):
    if row - 1 < len(grid) and col < len(grid[row - 1]):
        return grid[row - 1][col]
    return ""


def find_header(grid_cells, limit=30):
    for r in range(1, limit + 1):
        vals = {c: v["value"] for (rr, c), v in grid_cells.items() if rr == r and v["value"]}
        codes = [c for c, v in vals.items() if v.strip() in CODE_HEADERS]
        if codes:
            names = [c for c, v in vals.items() if v.strip() in NAME_HEADERS]
            return r, codes[0], names[0]
    return None


def dpkg(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True).stdout.strip()


def npm_version(pkg):
    d = os.environ.get("NPM_DIR", "/tmp/interop-npm")
    with open(os.path.join(d, "node_modules", pkg, "package.json")) as f:
        return json.load(f)["version"]


def writers():
    lo = dpkg("libreoffice-calc-nogui")
    return {
        "openpyxl": {"name": "openpyxl", "version": dpkg("python3-openpyxl"), "package": "Debian python3-openpyxl"},
        "xlsxwriter": {"name": "XlsxWriter", "version": dpkg("python3-xlsxwriter"), "package": "Debian python3-xlsxwriter"},
        "sheetjs": {"name": "SheetJS xlsx", "version": npm_version("xlsx"), "package": "npm xlsx"},
        "exceljs": {"name": "ExcelJS", "version": npm_version("exceljs"), "package": "npm exceljs"},
        "excelize": {"name": "excelize", "version": "v2.11.1", "package": "Go github.com/xuri/excelize/v2"},
        "tealeg": {"name": "tealeg/xlsx", "version": "v3.3.13", "package": "Go github.com/tealeg/xlsx/v3"},
        "perl": {"name": "Excel::Writer::XLSX", "version": dpkg("libexcel-writer-xlsx-perl"), "package": "Debian libexcel-writer-xlsx-perl"},
        "libxlsxwriter": {"name": "libxlsxwriter", "version": dpkg("libxlsxwriter-dev"), "package": "Debian libxlsxwriter-dev"},
        "openxlsx_r": {"name": "R openxlsx", "version": dpkg("r-cran-openxlsx"), "package": "Debian r-cran-openxlsx"},
        "libreoffice": {"name": "LibreOffice Calc", "version": lo, "package": "Debian libreoffice-calc-nogui"},
        "gnumeric": {"name": "Gnumeric ssconvert", "version": dpkg("gnumeric"), "package": "Debian gnumeric"},
        "hand": {"name": "hand-edited (variants.py) from XlsxWriter", "version": dpkg("python3-xlsxwriter"), "package": "testdata/tools/interop/variants.py"},
        "csv": {"name": "make_csv.py (Excel's CSV flavours)", "version": "-", "package": "testdata/tools/interop/make_csv.py"},
    }


XLSX = [
    # file, writer key, made by, what it shows
    ("openpyxl.xlsx", "openpyxl", "write_openpyxl.py", "inline strings written as numeric character references; formula with an empty <v></v>"),
    ("xlsxwriter.xlsx", "xlsxwriter", "write_xlsxwriter.py", "formula with cached 0, workbook fullCalcOnLoad"),
    ("xlsxwriter_cached.xlsx", "xlsxwriter", "write_xlsxwriter.py cached", "formula with its cached string result; base of the variants"),
    ("xlsxwriter_empty_first_sheet.xlsx", "xlsxwriter", "write_xlsxwriter.py cached emptyfirst", "an empty first sheet, then the data sheet"),
    ("xlsxwriter_instructions_first.xlsx", "xlsxwriter", "write_xlsxwriter.py cached instructions", "an instructions sheet 说明 first"),
    ("sheetjs.xlsx", "sheetjs", "write_sheetjs.js", "every string as t=\"str\" without a formula; formula with cached value"),
    ("exceljs.xlsx", "exceljs", "write_exceljs.js", "formula with result"),
    ("exceljs_noresult.xlsx", "exceljs", "write_exceljs.js noresult", "formula without a cached value and without t"),
    ("excelize.xlsx", "excelize", "excelize/main.go", "SetCellFormula: t=\"str\" with <f> and no <v>; <dimension ref=\"A1\"> understates the sheet"),
    ("tealeg.xlsx", "tealeg", "tealeg/main.go", "formula with cached value"),
    ("perl.xlsx", "perl", "write_perl.pl", "write(): 18-digit code as an exact number, 15-digit number, formula cached 0 with fullCalcOnLoad"),
    ("libxlsxwriter.xlsx", "libxlsxwriter", "write_libxlsxwriter.c", "formula with cached 0, workbook fullCalcOnLoad"),
    ("openxlsx_r.xlsx", "openxlsx_r", "write_openxlsx.R", "writeFormula: t=\"str\" without <v>; an empty <c r=\"C5\"/>"),
    ("libreoffice.xlsx", "libreoffice", "make_sources.py + soffice --convert-to xlsx portfolio.fods", "formula with cached value"),
    ("libreoffice_resaved_openpyxl.xlsx", "libreoffice", "openpyxl.xlsx re-saved by soffice --convert-to xlsx", "the remedy: opened and saved, the formula now has its value"),
    ("gnumeric.xlsx", "gnumeric", "make_sources.py + ssconvert portfolio.gnumeric", "inline strings in indented XML; formula with cached value"),
    ("gnumeric_number.xlsx", "gnumeric", "make_sources.py + ssconvert number.gnumeric", "18-digit code typed as a number: written with all 18 digits"),
    ("variant_no_r.xlsx", "hand", "variants.py", "rows and cells without r (missing cells as <c/>), no <dimension>"),
    ("variant_inline_strings.xlsx", "hand", "variants.py", "every string inline, no sharedStrings part, an empty inline string in C5"),
    ("variant_rich_text.xlsx", "hand", "variants.py", "rich-text shared strings (runs) and a phonetic run <rPh> to ignore"),
    ("variant_x_prefix.xlsx", "hand", "variants.py", "x:-prefixed SpreadsheetML (.NET Open XML SDK style), absolute relationship targets"),
    ("variant_strict.xlsx", "hand", "variants.py", "Strict OOXML namespaces (purl.oclc.org), conformance=\"strict\""),
    ("variant_exact_number.xlsx", "hand", "variants.py", "18-digit code as an exact number <v>914403001922038216</v>"),
]

CSVS = [
    # file, encoding (Python codec), bom, delimiter, line end, first data line offset, what it shows
    ("csv_utf8_bom.csv", "utf-8-sig", True, ",", "CRLF", 0, "Excel \"CSV UTF-8\": BOM, commas, CRLF"),
    ("csv_gbk.csv", "gbk", False, ",", "CRLF", 0, "Excel \"CSV (逗号分隔)\" on Chinese Windows: GBK (code page 936)"),
    ("csv_mac_cr.csv", "utf-8", False, ",", "CR", 0, "Mac Excel \"CSV (Macintosh)\": lone CR line ends, no final line end (UTF-8 text)"),
    ("csv_sep_semicolon.csv", "utf-8", False, ";", "CRLF", 1, "a \"sep=;\" first line (Excel honours and hides it), semicolons"),
    ("txt_utf16le_tab.txt", "utf-16", True, "\t", "CRLF", 0, "Excel \"Unicode 文本\": UTF-16LE with BOM, tabs, CRLF"),
    ("csv_excel_text_formula.csv", "utf-8-sig", True, ",", "CRLF", 0, "codes written bare as =\"…\" (Excel shows the text inside); beyond issue 13"),
]


def expected_from_portfolio(p):
    out = []
    for r in p["rows"]:
        c = r["code"]
        out.append((r["name"], c.get("value") or c.get("result") or ""))
    return out


def xlsx_entry(path, fname, writer, made_by, what, shown_dir, default_dir, out_shown_dir, portfolio_rows=None):
    b = Book(path)
    sheets = [n for n, _ in b.sheets]
    chosen = None
    for i, (name, part) in enumerate(b.sheets):
        cells = b.cells(part)
        h = find_header(cells)
        if h:
            chosen = (i, name, cells, h)
            break
    assert chosen, fname
    idx, sheet, cells, (hrow, ccol, ncol) = chosen
    src, grid = lo_shown(shown_dir, fname, sheet)
    _, grid0 = lo_shown(default_dir, fname, sheet)
    with open(os.path.join(out_shown_dir, fname + ".csv"), "w", encoding="utf-8", newline="") as f:
        f.write(open(src, encoding="utf-8", newline="").read())
    features = set()
    if b.full_calc_on_load:
        features.add("fullCalcOnLoad")
    if b.conformance == "strict" or "purl.oclc.org" in b.workbook_ns:
        features.add("strict")
    if b.workbook_prefixed:
        features.add("prefixed namespace")
    rows = []
    last = max(r for r, _ in cells)
    for r in range(hrow + 1, last + 1):
        name_cell = cells.get((r, ncol), {"value": ""})
        code_cell = cells.get((r, ccol))
        name = name_cell["value"] or ""
        if not name and not code_cell:
            continue
        shown = shown_cell(grid, r, ccol)
        assert shown_cell(grid, r, ncol) == name, (fname, r, name, grid)
        row = {"row": r, "name": name, "shown": shown}
        notes = []
        if code_cell is None or (code_cell["stored"] != "formula" and not code_cell["value"]):
            row["stored"] = "none" if code_cell is None else "empty cell"
            if shown:
                raise SystemExit("%s row %d: empty cell shows %r" % (fname, r, shown))
            row["expect"] = classify_text("", name)
            if row["expect"]["kind"] == "invalid":
                notes.append("totals row (%s in the name column): not a company" % name)
            else:
                notes.append("no code: search by name")
        else:
            row["stored"] = code_cell["stored"]
            if not code_cell["has_r"]:
                features.add("cells without r")
            if code_cell["stored"] in ("inline string",):
                features.add("inline strings")
            if code_cell["stored"] == "formula":
                row["formula"] = code_cell["formula"]
                row["cached"] = code_cell["cached"]
                if code_cell["cached"] in (None, ""):
                    row["formula_uncached"] = True
                    row["expect"] = {"kind": "invalid", "reason": "formula_uncalculated"}
                    notes.append("formula saved without a cached value; LibreOffice/Excel compute it on opening")
                    features.add("formula without cached value")
                elif code_cell["cached"] == "0" and code_cell["cached_type"] == "n" and b.full_calc_on_load:
                    row["formula_cached_placeholder"] = True
                    row["expect"] = {"kind": "invalid", "reason": "formula_uncalculated"}
                    notes.append("cached 0 is a placeholder: the workbook is marked fullCalcOnLoad, Excel recalculates on opening")
                    features.add("formula cached 0 placeholder")
                else:
                    assert code_cell["cached"] == shown, (fname, r, code_cell, shown)
                    row["expect"] = classify_text(shown, name)
                    notes.append("formula with its cached value: read the value")
            elif code_cell["stored"] == "number":
                row["raw"] = code_cell["value"]
                digits = code_cell["value"]
                if re.fullmatch(r"\d{18}", digits):
                    row["expect"] = {"kind": "invalid", "reason": "exact_number_18_digits"}
                    row["as_double"] = "%d" % int(float(digits))
                    notes.append("precision: exact 18-digit number; the file holds all 18 digits (%s) but a spreadsheet "
                                 "holds a double and shows %s; invalid, but not 'the last digits became 0'" % (digits, shown))
                    features.add("exact 18-digit number")
                else:
                    assert digits == shown, (fname, r, digits, shown)
                    row["expect"] = classify_text(shown, name)
                    notes.append("%d-digit number: survives as a number" % len(digits))
            else:
                assert code_cell["value"] == shown, (fname, r, code_cell, shown)
                row["expect"] = classify_text(shown, name)
                if unicodedata.normalize("NFKC", shown) != shown:
                    notes.append("full-width: fold to %s" % row["expect"]["key"])
        d = shown_cell(grid0, r, ccol)
        if d != shown:
            row["libreoffice_default_shows"] = d
            notes.append("LibreOffice with its default settings (never recalculate Excel 2007+ files) shows %r" % d)
        if notes:
            row["notes"] = notes
        rows.append(row)
    if portfolio_rows is not None:
        got = [(x["name"], x["shown"]) for x in rows]
        for (n1, s1), (n2, s2) in zip(got, portfolio_rows):
            assert n1 == n2 and (s1 == s2 or s1.startswith("9.14403001922038E+")), (fname, got, portfolio_rows)
        assert len(got) == len(portfolio_rows), (fname, got)
    above = []
    for r in range(1, hrow):
        vals = [v for v in grid[r - 1]] if r - 1 < len(grid) else []
        above.append({"row": r, "shown": [v for v in vals if v]})
    merged = []
    ws = b.xml(b.sheets[idx][1])
    for mc in ws.iter():
        if local(mc.tag) == "mergeCell":
            merged.append(attr(mc, "ref"))
    skipped = {}
    for i, (name, part) in enumerate(b.sheets[:idx]):
        c = b.cells(part)
        skipped[name] = "empty" if not any(v["value"] for v in c.values()) else "no known header in the first 30 rows"
    e = {
        "file": fname,
        "format": "xlsx",
        "writer": writer,
        "made_by": made_by,
        "what": what,
        "features": sorted(features),
        "sheets": sheets,
        "sheet": sheet,
        "sheet_index": idx,
        "header_row": hrow,
        "columns": {"name": col_name(ncol), "code": col_name(ccol)},
        "shown_csv": "shown/%s.csv" % fname,
    }
    if skipped:
        e["sheets_skipped"] = skipped
    if above:
        e["rows_above_header"] = above
    if merged:
        e["merged"] = merged
    e["rows"] = rows
    return e


def csv_entry(out, fname, enc, bom, delim, eol, offset, what, writer, p):
    data = open(os.path.join(out, fname), "rb").read()
    text = data.decode(enc)
    lines = text.split("\r\n") if eol == "CRLF" else text.split("\r")
    recs = list(csv.reader([l for l in lines if l != ""], delimiter=delim))
    if offset:
        assert lines[0] == "sep=" + delim
    hdr = recs[offset]
    assert hdr == p["header"], (fname, hdr)
    rows = []
    for i, r in enumerate(p["rows"]):
        rec = recs[offset + 1 + i]
        c = r["code"]
        shown = c.get("value") or c.get("result") or ""
        row = {"row": offset + 2 + i, "name": r["name"], "shown": shown}
        raw = rec[2]
        if raw != shown:
            row["raw"] = raw
            assert raw == '="%s"' % shown, (fname, raw)
        row["expect"] = classify_text(shown, r["name"])
        notes = []
        if unicodedata.normalize("NFKC", shown) != shown:
            notes.append("full-width: fold to %s" % row["expect"]["key"])
        if raw.startswith("="):
            notes.append("Excel's =\"…\" text wrapper: read the text inside")
        if c["kind"] == "formula":
            notes.append("a CSV keeps the formula's value")
        if notes:
            row["notes"] = notes
        assert rec[1] == r["name"]
        rows.append(row)
    e = {
        "file": fname,
        "format": "csv" if fname.endswith(".csv") else "txt",
        "writer": writer,
        "made_by": "make_csv.py",
        "what": what,
        "encoding": {"utf-8-sig": "UTF-8", "utf-16": "UTF-16LE", "gbk": "GBK", "utf-8": "UTF-8"}[enc],
        "bom": bom,
        "delimiter": delim,
        "line_end": eol,
        "header_row": offset + 1,
        "columns": {"name": "B", "code": "C"},
        "rows": rows,
    }
    if offset:
        e["notes"] = ["row numbers count the sep= line (the file's record number); Excel hides that line, so it shows each row one higher"]
    return e


def main():
    out, book, shown_dir, default_dir = sys.argv[1:5]
    with open(os.path.join(HERE, "portfolio.json"), encoding="utf-8") as f:
        p = json.load(f)
    W = writers()
    prow = expected_from_portfolio(p)
    files = []
    for fname, wkey, made_by, what in XLSX:
        files.append(xlsx_entry(os.path.join(out, fname), fname, W[wkey], made_by, what,
                                shown_dir, default_dir, os.path.join(out, "shown"), prow))
    for fname, enc, bom, delim, eol, offset, what in CSVS:
        files.append(csv_entry(out, fname, enc, bom, delim, eol, offset, what, W["csv"], p))
    rb = xlsx_entry(os.path.join(book, "realbook.xlsx"), "realbook.xlsx", W["libreoffice"],
                    "make_realbook.py + soffice --convert-to xlsx src/realbook.fods",
                    "instructions sheet 说明 first; data sheet with a merged title row (A1:E1), a maker line, "
                    "a blank row, the header in row 4, eight customers, a 合计 totals row",
                    shown_dir, default_dir, os.path.join(book, "shown"))
    rb["file"] = "../realbook/realbook.xlsx"
    rb["shown_csv"] = "../realbook/shown/realbook.xlsx.csv"
    files.append(rb)
    manifest = {
        "schema": 1,
        "about": "The six-row portfolio of testdata/tools/interop/portfolio.json written by many writers, "
                 "and the LibreOffice due-diligence book. Generated by testdata/tools/interop/gen.sh; "
                 "see testdata/tools/interop/README.md for every field.",
        "shown_by": "%s (Debian %s), recalculating on load, CSV saved as shown" % (
            subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.split(" (")[0].strip(),
            dpkg("libreoffice-calc-nogui")),
        "portfolio_header": p["header"],
        "files": files,
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(dump(manifest))


def dump(m):
    """JSON with one file's fields a line each and one data row a line."""
    one = lambda v: json.dumps(v, ensure_ascii=False)
    out = ["{"]
    top = [k for k in m if k != "files"]
    for k in top:
        out.append("  %s: %s," % (one(k), one(m[k])))
    out.append('  "files": [')
    for i, f in enumerate(m["files"]):
        out.append("    {")
        keys = list(f)
        for j, k in enumerate(keys):
            end = "," if j < len(keys) - 1 else ""
            if k == "rows":
                out.append('      "rows": [')
                out.append(",\n".join("        " + one(r) for r in f[k]))
                out.append("      ]" + end)
            else:
                out.append("      %s: %s%s" % (one(k), one(f[k]), end))
        out.append("    }" + ("," if i < len(m["files"]) - 1 else ""))
    out.append("  ]")
    out.append("}")
    text = "\n".join(out) + "\n"
    assert json.loads(text) == m
    return text


if __name__ == "__main__":
    main()
