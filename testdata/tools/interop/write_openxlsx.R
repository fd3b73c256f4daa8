# Writes the portfolio with R's openxlsx (Debian's r-cran-openxlsx).
# writeFormula stores the formula without a cached value.
#
# Usage: Rscript write_openxlsx.R OUT.xlsx
library(openxlsx)
args <- commandArgs(trailingOnly = TRUE)
df <- data.frame(
  "序号" = 1:6,
  "企业名称" = c("华为技术有限公司", "小米科技有限责任公司", "深圳市南山区某某电子厂",
             "北京某某贸易有限公司", "深圳市腾讯计算机系统有限公司", "阿里巴巴（中国）有限公司"),
  "统一社会信用代码" = c("914403001922038216", "91110108551385082Q", "440301103097413",
                 NA, NA, "９１３３０１００７９９６５５０５８Ｂ"),
  "备注" = c("18位全数字代码（文本）", "18位代码（文本）", "15位注册号（文本）",
           "只有名称", "代码由公式拼出", "全角代码"),
  check.names = FALSE, stringsAsFactors = FALSE)
wb <- createWorkbook()
addWorksheet(wb, "客户名单")
writeData(wb, "客户名单", df, keepNA = FALSE)
writeFormula(wb, "客户名单", x = "\"9144030071526726\"&\"XG\"", startCol = 3, startRow = 6)
saveWorkbook(wb, args[1], overwrite = TRUE)
