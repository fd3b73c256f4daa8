#!/usr/bin/env python3
"""Writes the source documents that LibreOffice and Gnumeric convert to xlsx.

Usage: make_sources.py OUTDIR

  portfolio.fods      flat OpenDocument: codes as text, the formula with its value
  portfolio.gnumeric  Gnumeric XML: codes as strings (ValueType 60), the formula
  number.gnumeric     the same with the 18-digit code of row 1 as a number (ValueType 40)
  portfolio.csv       plain UTF-8 CSV (codes as text; the formula row holds the result)

Standard library only, so it runs under any python3.
"""
import json
import os
import sys
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    with open(os.path.join(HERE, "portfolio.json"), encoding="utf-8") as f:
        return json.load(f)


def fods(p):
    def s(v):
        return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % escape(v)

    def n(v):
        return '<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell>' % (v, v)

    rows = ["<table:table-row>" + "".join(s(h) for h in p["header"]) + "</table:table-row>"]
    for r in p["rows"]:
        c = r["code"]
        if c["kind"] == "text":
            code = s(c["value"])
        elif c["kind"] == "formula":
            code = ('<table:table-cell table:formula=%s office:value-type="string" office:string-value=%s>'
                    '<text:p>%s</text:p></table:table-cell>') % (
                quoteattr("of:=" + c["formula"]), quoteattr(c["result"]), escape(c["result"]))
        else:
            code = "<table:table-cell/>"
        rows.append("<table:table-row>" + n(r["no"]) + s(r["name"]) + code + s(r["note"]) + "</table:table-row>")
    return """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body>
  <office:spreadsheet>
   <table:table table:name="客户名单">
%s
   </table:table>
  </office:spreadsheet>
 </office:body>
</office:document>
""" % "\n".join("    " + r for r in rows)


def gnumeric(p, number_row=None):
    cells = []

    def add(row, col, vt, text):
        if vt is None:  # an expression
            cells.append('<gnm:Cell Row="%d" Col="%d">%s</gnm:Cell>' % (row, col, escape(text)))
        else:
            cells.append('<gnm:Cell Row="%d" Col="%d" ValueType="%d">%s</gnm:Cell>' % (row, col, vt, escape(text)))

    for c, h in enumerate(p["header"]):
        add(0, c, 60, h)
    for i, r in enumerate(p["rows"], start=1):
        add(i, 0, 40, str(r["no"]))
        add(i, 1, 60, r["name"])
        c = r["code"]
        if c["kind"] == "text":
            add(i, 2, 40 if i == number_row else 60, c["value"])
        elif c["kind"] == "formula":
            add(i, 2, None, "=" + c["formula"])
        add(i, 3, 60, r["note"])
    return """<?xml version="1.0" encoding="UTF-8"?>
<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">
  <gnm:SheetNameIndex><gnm:SheetName>客户名单</gnm:SheetName></gnm:SheetNameIndex>
  <gnm:Sheets>
    <gnm:Sheet>
      <gnm:Name>客户名单</gnm:Name>
      <gnm:MaxCol>3</gnm:MaxCol>
      <gnm:MaxRow>%d</gnm:MaxRow>
      <gnm:Cells>
        %s
      </gnm:Cells>
    </gnm:Sheet>
  </gnm:Sheets>
</gnm:Workbook>
""" % (len(p["rows"]), "\n        ".join(cells))


def csv_text(p):
    lines = [",".join(p["header"])]
    for r in p["rows"]:
        c = r["code"]
        code = c.get("value") or c.get("result") or ""
        lines.append(",".join([str(r["no"]), r["name"], code, r["note"]]))
    return "\r\n".join(lines) + "\r\n"


def main():
    out = sys.argv[1]
    p = load()
    files = {
        "portfolio.fods": fods(p),
        "portfolio.gnumeric": gnumeric(p),
        "number.gnumeric": gnumeric(p, number_row=1),
        "portfolio.csv": csv_text(p),
    }
    for name, text in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


if __name__ == "__main__":
    main()
