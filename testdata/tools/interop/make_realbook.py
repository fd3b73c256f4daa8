#!/usr/bin/env python3
"""Writes realbook.fods: a due-diligence list as a bank desk keeps it, for
LibreOffice to save as xlsx (gen.sh does).

Usage: make_realbook.py OUT.fods

Sheet 1 "说明": instructions, in sentences (no cell is a bare column name).
Sheet 2 "客户名单":
  row 1  title, merged A1:E1: 2025年第三季度对公客户尽调清单
  row 2  maker line: 制表人：张三  日期：2025-09-30
  row 3  blank
  row 4  header: 序号, 客户名称, 统一社会信用代码, 客户经理, 备注
  rows 5-12  eight customers (column C formatted as text "@")
  row 13 totals: B13 合计, E13 a formula ="共"&COUNTA(B5:B12)&"户"
Standard library only.
"""
import sys
from xml.sax.saxutils import escape, quoteattr

CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    r = 31 - sum(CH.index(c) * w for c, w in zip(first17, W)) % 31
    return first17 + CH[0 if r == 31 else r]


TITLE = "2025年第三季度对公客户尽调清单"
MAKER = "制表人：张三  日期：2025-09-30"
HEADER = ["序号", "客户名称", "统一社会信用代码", "客户经理", "备注"]
ROWS = [
    ("华为技术有限公司", "914403001922038216", "张伟", ""),
    ("小米科技有限责任公司", "91110108551385082Q", "李娜", ""),
    ("百度在线网络技术（北京）有限公司", "91110000802100433B", "王芳", ""),
    ("上海浦东新区宏达五金经营部", "", "刘洋", "个体工商户，只有名称"),
    ("苏州工业园区恒泰精密机械有限公司", uscc("91320594MA1N2K7R5"), "陈静", "虚构企业（代码校验位正确）"),
    ("深圳市南山区华强电子厂", "440301103097413", "张伟", "老执照，15位注册号"),
    ("成都蜀香餐饮管理有限公司", "", "陈静", "新开户，代码待补"),
    ("阿里巴巴（中国）有限公司", "91330100799655058B", "赵磊", ""),
]
for _, code, _, _ in ROWS:
    if len(code) == 18:
        assert uscc(code[:17]) == code, code
INSTRUCTIONS = [
    "填写说明",
    "1. 本表由客户经理填写，风险管理部汇总后批量查询企业信用报告。",
    "2. 请在“客户名单”页从第5行起逐行填写，每行一家企业；不要改动标题行和表头。",
    "3. “统一社会信用代码”一列已设为文本格式，请填写18位代码；老执照可填15位注册号；没有代码的只填客户名称。",
    "4. 表尾“合计”行由公式生成，请勿删除。",
]


def cell(v, style=None, span=None):
    if v == "":
        return "<table:table-cell/>"
    a = ' office:value-type="string"'
    if style:
        a += " table:style-name=%s" % quoteattr(style)
    if span:
        a += ' table:number-columns-spanned="%d" table:number-rows-spanned="1"' % span
    out = "<table:table-cell%s><text:p>%s</text:p></table:table-cell>" % (a, escape(v))
    if span:
        out += "<table:covered-table-cell/>" * (span - 1)
    return out


def num(n):
    return '<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p></table:table-cell>' % (n, n)


def row(cells):
    return "<table:table-row>%s</table:table-row>" % "".join(cells)


def main():
    info = "\n".join("    " + row([cell(t, "bold" if i == 0 else None)]) for i, t in enumerate(INSTRUCTIONS))
    data = [
        row([cell(TITLE, "title", span=5)]),
        row([cell(MAKER)]),
        '<table:table-row><table:table-cell table:number-columns-repeated="5"/></table:table-row>',
        row([cell(h, "head") for h in HEADER]),
    ]
    for i, (name, code, mgr, note) in enumerate(ROWS, start=1):
        data.append(row([num(i), cell(name), cell(code, "text"), cell(mgr), cell(note)]))
    n = len(ROWS)
    total = ('<table:table-cell table:formula=%s office:value-type="string" office:string-value="共%d户">'
             '<text:p>共%d户</text:p></table:table-cell>') % (quoteattr('of:="共"&COUNTA([.B5:.B%d])&"户"' % (4 + n)), n, n)
    data.append(row(["<table:table-cell/>", cell("合计", "bold"), "<table:table-cell/>", "<table:table-cell/>", total]))
    doc = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:text-style style:name="Ntext"><number:text-content/></number:text-style>
  <style:style style:name="colA" style:family="table-column"><style:table-column-properties style:column-width="1.5cm"/></style:style>
  <style:style style:name="colB" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>
  <style:style style:name="colC" style:family="table-column"><style:table-column-properties style:column-width="5cm"/></style:style>
  <style:style style:name="colD" style:family="table-column"><style:table-column-properties style:column-width="2.5cm"/></style:style>
  <style:style style:name="colE" style:family="table-column"><style:table-column-properties style:column-width="6cm"/></style:style>
  <style:style style:name="title" style:family="table-cell"><style:table-cell-properties style:vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="16pt" fo:font-weight="bold" style:font-size-asian="16pt" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="head" style:family="table-cell"><style:table-cell-properties fo:background-color="#dde8f5"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="text" style:family="table-cell" style:data-style-name="Ntext"/>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
   <table:table table:name="说明">
%s
   </table:table>
   <table:table table:name="客户名单">
    <table:table-column table:style-name="colA"/><table:table-column table:style-name="colB"/><table:table-column table:style-name="colC"/><table:table-column table:style-name="colD"/><table:table-column table:style-name="colE"/>
%s
   </table:table>
  </office:spreadsheet>
 </office:body>
</office:document>
""" % (info, "\n".join("    " + r for r in data))
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
