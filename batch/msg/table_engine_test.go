package msg

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCatalogue_Engine: every ID of the block of table_engine.go has a
// text, and its base is above table.go's block.
func TestCatalogue_Engine(t *testing.T) {
	assert.Greater(t, CfgPlanChanged, count)
	for id := CfgPlanChanged; id < engineEnd; id++ {
		_, ok := table[id]
		assert.True(t, ok, "ID %d has no entry", id)
	}
	_, ok := table[engineEnd]
	assert.False(t, ok)
	assert.Equal(t, "the plan changed since it was confirmed: 120 new orders now, 150 confirmed; nothing was ordered, confirm the new plan",
		Text("en", CfgPlanChanged, 120, 150))
}
