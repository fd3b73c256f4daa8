#!/usr/bin/env python3
"""Hand-edited variants of a plain workbook, for the cases writers produce but
the ones installed here do not (or not in isolation).

Usage: variants.py BASE.xlsx OUTDIR

BASE is XlsxWriter's file with cached formula results (write_xlsxwriter.py
OUT cached): one sheet, shared strings, r attributes. Every variant unzips it,
edits XML text, and zips it again. Standard library only.
"""
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def read(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, date_time=(2025, 9, 30, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def get(parts, name):
    return dict(parts)[name].decode("utf-8")


def put(parts, name, text):
    return [(n, text.encode("utf-8") if n == name else d) for n, d in parts]


def drop(parts, name):
    return [(n, d) for n, d in parts if n != name]


def shared_strings(parts):
    sst = get(parts, "xl/sharedStrings.xml")
    out = []
    for si in re.findall(r"<si>(.*?)</si>", sst, re.S):
        out.append("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
    return out  # still XML-escaped


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def no_r(parts):
    """Rows and cells without r; a missing cell becomes an empty <c/>, as
    writers that omit r do, so columns stay in place."""
    x = get(parts, SHEET)

    def row(m):
        cells = re.findall(r"<c r=\"([A-Z]+)\d+\"(.*?)(?:/>|>(.*?)</c>)", m.group(2), re.S)
        out, nxt = [], 0
        for ref, attrs, body in cells:
            i = col_index(ref)
            out.extend(["<c/>"] * (i - nxt))
            nxt = i + 1
            out.append("<c%s>%s</c>" % (attrs, body) if body else "<c%s/>" % attrs)
        attrs = re.sub(r'\s(r|spans)="[^"]*"', "", m.group(1))
        return "<row%s>%s</row>" % (attrs, "".join(out))

    x = re.sub(r"<row([^>]*)>(.*?)</row>", row, x, flags=re.S)
    x = re.sub(r"<dimension[^>]*/>", "", x)
    return put(parts, SHEET, x)


def inline_strings(parts):
    """Every string as an inline string (t="inlineStr"), no sharedStrings
    part; the empty code of row 5 as an empty inline string."""
    sst = shared_strings(parts)
    x = get(parts, SHEET)
    x = re.sub(r'<c r="([A-Z]+\d+)"([^>]*) t="s"><v>(\d+)</v></c>',
               lambda m: '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (m.group(1), m.group(2), sst[int(m.group(3))]), x)
    x = re.sub(r'(<c r="B5"[^>]*>.*?</c>)', r'\1<c r="C5" t="inlineStr"><is><t></t></is></c>', x)
    parts = put(parts, SHEET, x)
    parts = drop(parts, "xl/sharedStrings.xml")
    rels = get(parts, "xl/_rels/workbook.xml.rels")
    rels = re.sub(r'<Relationship [^>]*sharedStrings[^>]*/>', "", rels)
    parts = put(parts, "xl/_rels/workbook.xml.rels", rels)
    ct = get(parts, "[Content_Types].xml")
    ct = re.sub(r'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', "", ct)
    return put(parts, "[Content_Types].xml", ct)


def rich_text(parts):
    """Shared strings as rich text runs (Excel writes these when part of a
    cell is formatted), plus a phonetic run (<rPh>, Japanese Excel) that is
    not part of the value."""
    sst = get(parts, "xl/sharedStrings.xml")
    rpr = '<rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="宋体"/><family val="3"/><charset val="134"/></rPr>'

    def runs(*texts):
        return "<si>" + "".join('<r>%s<t xml:space="preserve">%s</t></r>' % (rpr if i % 2 else "", t)
                                 for i, t in enumerate(texts)) + "</si>"

    repl = {
        "统一社会信用代码": runs("统一社会", "信用代码"),
        "91110108551385082Q": runs("91110108", "551385082Q"),
        "914403001922038216": runs("9144", "0300", "1922038216"),
        "华为技术有限公司": "<si><t>华为技术有限公司</t><rPh sb=\"0\" eb=\"2\"><t>ファーウェイ</t></rPh>"
                        "<phoneticPr fontId=\"1\"/></si>",
    }
    for plain, rich in repl.items():
        sst, n = re.subn(r"<si><t>%s</t></si>" % re.escape(plain), rich, sst)
        assert n == 1, plain
    return put(parts, "xl/sharedStrings.xml", sst)


def x_prefix(parts):
    """SpreadsheetML with an x: prefix (the .NET Open XML SDK's habit) in the
    workbook, the sheet and the shared strings; absolute relationship targets
    (/xl/worksheets/sheet1.xml), as the SDK writes them."""
    def prefix(text):
        text = text.replace('xmlns="%s"' % MAIN, 'xmlns:x="%s"' % MAIN)
        # prefix every element without one
        return re.sub(r"<(/?)([A-Za-z][\w]*)(?=[\s/>])", lambda m: "<%sx:%s" % (m.group(1), m.group(2)), text)

    for name in ("xl/workbook.xml", SHEET, "xl/sharedStrings.xml"):
        parts = put(parts, name, prefix(get(parts, name)))
    rels = get(parts, "xl/_rels/workbook.xml.rels")
    rels = re.sub(r'Target="(?!/)', 'Target="/xl/', rels)
    return put(parts, "xl/_rels/workbook.xml.rels", rels)


STRICT = [
    ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
    ("http://purl.oclc.org/ooxml/officeDocument/relationships/extended-properties",
     "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties"),
]


def strict(parts):
    """Strict OOXML (ISO/IEC 29500 Strict, Excel's "Strict Open XML
    Spreadsheet"): purl.oclc.org namespaces and relationship types."""
    out = []
    for name, data in parts:
        if name.endswith(".xml") or name.endswith(".rels"):
            t = data.decode("utf-8")
            for a, b in STRICT:
                t = t.replace(a, b)
            if name == "xl/workbook.xml":
                t = t.replace("<workbook ", '<workbook conformance="strict" ', 1)
            data = t.encode("utf-8")
        out.append((name, data))
    return out


def exact_number(parts):
    """The 18-digit code of row 2 as a number cell holding all 18 digits,
    as Perl's write() and Gnumeric store it."""
    sst = shared_strings(parts)
    i = sst.index("914403001922038216")
    x = get(parts, SHEET)
    x, n = re.subn(r'<c r="C2"([^>]*?) t="s"><v>%d</v></c>' % i, r'<c r="C2"\1><v>914403001922038216</v></c>', x)
    assert n == 1
    return put(parts, SHEET, x)


VARIANTS = {
    "variant_no_r.xlsx": no_r,
    "variant_inline_strings.xlsx": inline_strings,
    "variant_rich_text.xlsx": rich_text,
    "variant_x_prefix.xlsx": x_prefix,
    "variant_strict.xlsx": strict,
    "variant_exact_number.xlsx": exact_number,
}


def main():
    base, out = sys.argv[1], sys.argv[2]
    parts = read(base)
    for name, fn in VARIANTS.items():
        write(os.path.join(out, name), fn(parts))


if __name__ == "__main__":
    main()
