package msg

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// symbolsOnly are the messages whose zh text is punctuation only, with no
// Han character to check: a separator and the prompt's question mark.
var symbolsOnly = map[ID]bool{
	StopJoin:    true, // "；"
	ConfirmAsk:  true, // "%s？[y/N] "
	LogListSep:  true, // "，"
	LogDetails:  true, // "（%s）": a sentence's details
	LogLabelled: true, // "：%s": a label's details
	CfgPath:     true, // "%s %s：%v": a flag, its path and an OS error
}

// verbs matches the fmt verbs of a text, flags, width and precision included.
var verbs = regexp.MustCompile(`%[-+# 0]*(\*|\d+)?(\.(\*|\d+))?[a-zA-Z%]`)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

func TestCatalogue(t *testing.T) {
	// The IDs of table.go, and the blocks of their own (table_*.go) that
	// start at a base far above them.
	var ids []ID
	for id := range table {
		if id < count {
			ids = append(ids, id)
			continue
		}
		require.GreaterOrEqual(t, int(id), 20000, "ID %d is past count but in no block of its own", id)
	}
	require.Len(t, ids, int(count)-1, "every ID but None has a text, and only they")
	for id, m := range table {
		require.NotEqual(t, None, id)
		zh, en := m[0], m[1]
		assert.NotEmpty(t, zh, "ID %d: zh", id)
		assert.NotEmpty(t, en, "ID %d: en", id)
		assert.Equal(t, verbs.FindAllString(en, -1), verbs.FindAllString(zh, -1),
			"ID %d: zh %q and en %q take the same fmt verbs in the same order", id, zh, en)
		assert.False(t, hasHan(en), "ID %d: en text %q has Han characters", id, en)
		if !symbolsOnly[id] {
			assert.True(t, hasHan(zh), "ID %d: zh text %q has no Han character", id, zh)
		} else {
			assert.False(t, hasHan(zh), "ID %d is listed as symbols only", id)
		}
	}
}

func TestText(t *testing.T) {
	assert.Equal(t, "未下单：boom", Text("zh", NotOrdered, "boom"))
	assert.Equal(t, "未下单：boom", Text("", NotOrdered, "boom"), "zh is the default")
	assert.Equal(t, "not ordered: boom", Text("EN", NotOrdered, "boom"))
	assert.Equal(t, "  row 12345: x\n", Text("en", PlanInvalidRow, 12345, "x"), "numbers are not regrouped")
	assert.Equal(t, "", Text("en", None))
	assert.Equal(t, "", Text("en", count))
	assert.Equal(t, "已达到 --max-orders 上限", Text("zh", StopMaxOrders))
	assert.Equal(t, "--max-orders reached", Text("en", StopMaxOrders))
	assert.Equal(t, "en", For("en").Lang())
	assert.Equal(t, "zh", For("fr").Lang())
	assert.Equal(t, "interrupted", For("en").Text(StopInterrupted))
}
