// Writes the portfolio with SheetJS (npm "xlsx"). Usage: node write_sheetjs.js OUT.xlsx
// Run with NODE_PATH pointing at a node_modules holding xlsx (gen.sh does).
const fs = require('fs');
const path = require('path');
const XLSX = require('xlsx');
const p = JSON.parse(fs.readFileSync(path.join(__dirname, 'portfolio.json'), 'utf8'));
const out = process.argv[2];
const ws = {};
const put = (r, c, cell) => { ws[XLSX.utils.encode_cell({ r, c })] = cell; };
p.header.forEach((h, c) => put(0, c, { t: 's', v: h }));
p.rows.forEach((row, i) => {
  const r = i + 1;
  put(r, 0, { t: 'n', v: row.no });
  put(r, 1, { t: 's', v: row.name });
  if (row.code.kind === 'text') put(r, 2, { t: 's', v: row.code.value });
  // SheetJS writes the cached value it is given: t:"str" with <v>.
  if (row.code.kind === 'formula') put(r, 2, { t: 's', f: row.code.formula, v: row.code.result });
  put(r, 3, { t: 's', v: row.note });
});
ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: p.rows.length, c: 3 } });
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, '客户名单');
XLSX.writeFile(wb, out, { bookSST: process.argv[3] === 'sst' });
