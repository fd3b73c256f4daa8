/* Writes the portfolio with libxlsxwriter (Debian's libxlsxwriter-dev), the
 * C library behind many C/C++/Rust/Zig writers. The data is built in (keep it
 * in step with portfolio.json). The formula is written with
 * worksheet_write_formula, which stores the cached value 0, and the workbook
 * is marked fullCalcOnLoad.
 *
 * cc -o w write_libxlsxwriter.c -lxlsxwriter && ./w OUT.xlsx
 */
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    static const char *header[] = {"序号", "企业名称", "统一社会信用代码", "备注"};
    static const struct { const char *name, *code, *formula, *note; } rows[] = {
        {"华为技术有限公司", "914403001922038216", NULL, "18位全数字代码（文本）"},
        {"小米科技有限责任公司", "91110108551385082Q", NULL, "18位代码（文本）"},
        {"深圳市南山区某某电子厂", "440301103097413", NULL, "15位注册号（文本）"},
        {"北京某某贸易有限公司", NULL, NULL, "只有名称"},
        {"深圳市腾讯计算机系统有限公司", NULL, "=\"9144030071526726\"&\"XG\"", "代码由公式拼出"},
        {"阿里巴巴（中国）有限公司", "９１３３０１００７９９６５５０５８Ｂ", NULL, "全角代码"},
    };
    if (argc < 2) return 2;
    lxw_workbook *wb = workbook_new(argv[1]);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "客户名单");
    for (int c = 0; c < 4; c++) worksheet_write_string(ws, 0, c, header[c], NULL);
    for (int i = 0; i < 6; i++) {
        int r = i + 1;
        worksheet_write_number(ws, r, 0, i + 1, NULL);
        worksheet_write_string(ws, r, 1, rows[i].name, NULL);
        if (rows[i].code) worksheet_write_string(ws, r, 2, rows[i].code, NULL);
        if (rows[i].formula) worksheet_write_formula(ws, r, 2, rows[i].formula, NULL);
        worksheet_write_string(ws, r, 3, rows[i].note, NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
