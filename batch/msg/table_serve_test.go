package msg

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every message of the page has a text, and the page can ask for it.
func TestServeTexts(t *testing.T) {
	names := map[ID]bool{}
	for _, id := range PageTexts {
		names[id] = true
	}
	for id := SrvTitle; id < srvEnd; id++ {
		m, ok := table[id]
		assert.True(t, ok && m[0] != "" && m[1] != "", "ID %d has zh and en texts", id)
		assert.True(t, names[id], "ID %d is in PageTexts", id)
	}
	assert.Len(t, PageTexts, int(srvEnd-SrvTitle))
}
