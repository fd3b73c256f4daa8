package msg

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCatalogue_Exitsig: every ID of the block of table_exitsig.go has a
// text, and its base is above table.go's block.
func TestCatalogue_Exitsig(t *testing.T) {
	assert.Greater(t, SummaryPossiblyCharged, count)
	for id := SummaryPossiblyCharged; id < exitsigEnd; id++ {
		_, ok := table[id]
		assert.True(t, ok, "ID %d has no entry", id)
	}
	_, ok := table[exitsigEnd]
	assert.False(t, ok)
	assert.Equal(t, "QCC_KEY 未设置（QCC_SECRET_KEY 已设置）：请在环境变量中设置它 x", Text("zh", CredNoKey, "x"))
}
