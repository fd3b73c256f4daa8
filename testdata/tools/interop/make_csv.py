#!/usr/bin/env python3
"""Writes the CSV flavours of the portfolio, as spreadsheet programs and bank
systems save them. Usage: make_csv.py OUTDIR

The formula row holds its result (a CSV keeps values, not formulas).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def records(p, excel_text=False):
    yield list(p["header"])
    for r in p["rows"]:
        c = r["code"]
        code = c.get("value") or c.get("result") or ""
        if excel_text and code:
            code = '="%s"' % code
        yield [str(r["no"]), r["name"], code, r["note"]]


def join(rec, sep, raw=()):
    out = []
    for i, f in enumerate(rec):
        if i not in raw and any(ch in f for ch in (sep, '"', "\r", "\n")):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return sep.join(out)


def write(path, text, encoding, bom=b""):
    with open(path, "wb") as f:
        f.write(bom + text.encode(encoding))


def main():
    out = sys.argv[1]
    with open(os.path.join(HERE, "portfolio.json"), encoding="utf-8") as f:
        p = json.load(f)
    recs = list(records(p))
    crlf = "".join(join(r, ",") + "\r\n" for r in recs)
    # Excel "CSV UTF-8 (逗号分隔)": BOM, commas, CRLF.
    write(os.path.join(out, "csv_utf8_bom.csv"), crlf, "utf-8", b"\xef\xbb\xbf")
    # Excel "CSV (逗号分隔)" on Chinese Windows: code page 936 (GBK), no BOM.
    write(os.path.join(out, "csv_gbk.csv"), crlf, "gbk")
    # Mac Excel "CSV (Macintosh)": lone CR line ends (here with UTF-8 text,
    # since Mac Roman cannot hold Chinese), no trailing line end.
    write(os.path.join(out, "csv_mac_cr.csv"), "\r".join(join(r, ",") for r in recs), "utf-8")
    # A "sep=;" first line, which Excel honours (and hides), then semicolons.
    write(os.path.join(out, "csv_sep_semicolon.csv"),
          "sep=;\r\n" + "".join(join(r, ";") + "\r\n" for r in recs), "utf-8")
    # Excel "Unicode 文本 (*.txt)": UTF-16LE with BOM, tabs, CRLF.
    write(os.path.join(out, "txt_utf16le_tab.txt"),
          "".join(join(r, "\t") + "\r\n" for r in recs), "utf-16-le", b"\xff\xfe")
    # Bank-system exports that force text in Excel with ="..." around codes,
    # written bare (not CSV-quoted), as those systems do.
    write(os.path.join(out, "csv_excel_text_formula.csv"),
          "".join(join(r, ",", raw=(2,)) + "\r\n" for r in records(p, excel_text=True)), "utf-8", b"\xef\xbb\xbf")


if __name__ == "__main__":
    main()
