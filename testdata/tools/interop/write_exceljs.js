// Writes the portfolio with ExcelJS. Usage: node write_exceljs.js OUT.xlsx [noresult]
// With "noresult" the formula cell is written without a result, so the file
// holds no cached value (as ExcelJS users often do).
const fs = require('fs');
const path = require('path');
const ExcelJS = require('exceljs');
const p = JSON.parse(fs.readFileSync(path.join(__dirname, 'portfolio.json'), 'utf8'));
const [out, mode] = process.argv.slice(2);
(async () => {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'interop corpus';
  wb.created = new Date(Date.UTC(2025, 8, 30));
  wb.modified = wb.created;
  const ws = wb.addWorksheet('客户名单');
  ws.addRow(p.header);
  p.rows.forEach((row, i) => {
    const r = ws.getRow(i + 2);
    r.getCell(1).value = row.no;
    r.getCell(2).value = row.name;
    if (row.code.kind === 'text') r.getCell(3).value = row.code.value;
    if (row.code.kind === 'formula') {
      r.getCell(3).value = mode === 'noresult'
        ? { formula: row.code.formula }
        : { formula: row.code.formula, result: row.code.result };
    }
    r.getCell(4).value = row.note;
    r.commit();
  });
  await wb.xlsx.writeFile(out);
})();
