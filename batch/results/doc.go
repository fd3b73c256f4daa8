// Package results writes the results table of a run: every input row with
// its original cells and ten appended columns (search key, outcome, code,
// message, order number, report status, report URL, local file, ordered
// and completed times), as an .xlsx workbook or a .csv file.
//
// The workbook is what operations staff act on. Its Results sheet has a
// frozen, filtered header row, coloured outcomes, report statuses with their
// meaning, clickable report URLs and local files, wrapped messages, and a
// print setup (A4 landscape, one page wide, the header on every page). Its
// Summary sheet says why a run stopped, what it cost, how many rows need a
// person and what to do about each kind, and what a rerun does with every
// outcome. Every text comes from one zh/en catalog (text.go).
//
// Writing is streamed (memory stays flat in the number of rows), atomic (a
// temporary file renamed over the target, mode 0600, through a symlink to
// its target) and leaves nothing behind after a crash that the next write
// does not sweep: excelize's spill files go to a scratch folder beside the
// output, never to the system's temporary folder. No cell a user or the API
// controls is ever evaluated as a formula by a spreadsheet.
//
// Files: results.go (Write, Header, the row texts), xlsx.go and summary.go
// (the workbook), csv.go, links.go (HYPERLINK formulas), style.go, text.go
// (the catalog), rowbuf.go (what rows reuse), tmpdir.go (excelize's scratch
// folder).
package results
