"""Writes the tiny seed XLSX files of sheet_xlsx_raw (python3 make_xlsx_seed.py)."""
import zipfile

M = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
P = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{P}"><Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook {M} xmlns:r="{R}"><workbookPr date1904="false"/><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{P}"><Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/sharedStrings.xml": f'<sst {M} count="2" uniqueCount="2"><si><t>题目</t></si><si><r><t>a</t></r><r><t>b</t></r></si></sst>',
    "xl/styles.xml": f'<styleSheet {M}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
}
SHEETS = {
    "cells.xlsx": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c>'
    '<c r="C1"><v>1.5</v></c><c r="D1" s="1"><v>45000</v></c><c r="E1" t="b"><v>1</v></c></row>'
    '<row><c t="str"><v>=SUM</v></c><c t="e"><v>#N/A</v></c><c><f>A1</f><v>2</v></c><c t="s"><v>1</v></c></row>',
    "far.xlsx": '<row r="3"><c r="CV3" t="inlineStr"><is><t>far</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>last</t></is></c></row>',
}
for name, rows in SHEETS.items():
    with zipfile.ZipFile(f"sheet_xlsx_raw/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        for part, xml in PARTS.items():
            z.writestr(part, xml)
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet {M}><dimension ref="A1:E2"/><sheetData>{rows}</sheetData></worksheet>')
