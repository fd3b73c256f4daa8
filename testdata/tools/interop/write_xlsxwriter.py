#!/usr/bin/python3
"""Writes the portfolio with XlsxWriter (Debian's python3-xlsxwriter).

Usage: /usr/bin/python3 write_xlsxwriter.py OUT.xlsx [cached] [emptyfirst|instructions]

By default XlsxWriter stores 0 as a formula's cached value and marks the
workbook <calcPr fullCalcOnLoad="1"/>, so Excel recalculates on opening.
With "cached" the real result is passed as the value.
"emptyfirst" puts an empty sheet "Sheet1" before the data sheet;
"instructions" puts a filled-in instructions sheet "说明" before it.
"""
import datetime
import json
import os
import sys

import xlsxwriter

p = json.load(open(os.path.join(os.path.dirname(__file__), "portfolio.json"), encoding="utf-8"))
out = sys.argv[1]
opts = set(sys.argv[2:])
cached = "cached" in opts
wb = xlsxwriter.Workbook(out)
wb.set_properties({"created": datetime.datetime(2025, 9, 30)})
if "emptyfirst" in opts:
    wb.add_worksheet("Sheet1")
if "instructions" in opts:
    info = wb.add_worksheet("说明")
    info.write_column(0, 0, [
        "填写说明",
        "1. 请在“客户名单”页填写，每行一家企业。",
        "2. 统一社会信用代码请设为文本格式，18位；没有代码的只填企业名称。",
        "3. 序号、企业名称、统一社会信用代码、备注四列不要改名。",
    ])
ws = wb.add_worksheet("客户名单")
ws.write_row(0, 0, p["header"])
for i, r in enumerate(p["rows"], start=1):
    ws.write_number(i, 0, r["no"])
    ws.write_string(i, 1, r["name"])
    code = r["code"]
    if code["kind"] == "text":
        ws.write_string(i, 2, code["value"])
    elif code["kind"] == "formula":
        if cached:
            ws.write_formula(i, 2, "=" + code["formula"], None, code["result"])
        else:
            ws.write_formula(i, 2, "=" + code["formula"])
    ws.write_string(i, 3, r["note"])
wb.close()
