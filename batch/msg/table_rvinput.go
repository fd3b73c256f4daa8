package msg

// Messages of the input review (branch rv-input).
const (
	// ReasonAmbiguousName is the short reason of a name-only row whose name
	// other rows give with different credit codes.
	ReasonAmbiguousName ID = 45000 + iota
	// IDAmbiguousName is that row's message: the name, then each code with
	// the sheet row that gives it.
	IDAmbiguousName
)

var rvInputTable = map[ID][2]string{
	ReasonAmbiguousName: {"同名企业有多个代码", "name with several codes"},
	IDAmbiguousName: {"名称 %q 在其他行对应不同的代码（%s，第 %d 行；%s，第 %d 行）：无法确定本行是哪家企业，未下单、不计费；请在本行填写统一社会信用代码",
		"the name %q is given with different codes in other rows (%s, row %d; %s, row %d): which company this row means is unclear, so it is not ordered and nothing is charged; fill in this row's credit code"},
}

func init() {
	for id, m := range rvInputTable {
		table[id] = m
	}
}
