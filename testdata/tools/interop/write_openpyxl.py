#!/usr/bin/python3
"""Writes the portfolio with openpyxl (Debian's python3-openpyxl).

Usage: /usr/bin/python3 write_openpyxl.py OUT.xlsx

openpyxl stores a formula without a cached value: Excel and LibreOffice
compute it on opening, a reader of the XML sees only <f>.
"""
import datetime
import json
import os
import sys

import openpyxl

p = json.load(open(os.path.join(os.path.dirname(__file__), "portfolio.json"), encoding="utf-8"))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "客户名单"
ws.append(p["header"])
for r in p["rows"]:
    code = r["code"]
    cell = {"text": code.get("value"), "formula": "=" + code.get("formula", ""), "empty": None}[code["kind"]]
    ws.append([r["no"], r["name"], cell, r["note"]])
# Text cells stay text: openpyxl writes str as a shared string.
fixed = datetime.datetime(2025, 9, 30)
wb.properties.created = fixed
wb.properties.modified = fixed
wb.save(sys.argv[1])
