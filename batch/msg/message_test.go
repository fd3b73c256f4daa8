package msg

import (
	"errors"
	"fmt"
	"testing"

	"github.com/qccbatch/qccbatch/batch/outcome"
	"github.com/stretchr/testify/assert"
)

// TestMessage: a message keeps its id and arguments and is rendered only
// where it is shown, its arguments (messages, errors of the catalogue) in
// the same language.
func TestMessage(t *testing.T) {
	m := M(NotOrdered, Errorf(StopInterrupted))
	assert.Equal(t, Text("zh", NotOrdered, Text("zh", StopInterrupted)), m.In("zh"))
	assert.Equal(t, Text("en", NotOrdered, Text("en", StopInterrupted)), m.In("en"))
	assert.Equal(t, m.In("zh"), m.String(), "zh without a language")
	assert.Equal(t, m.In("zh"), m.In("fr"), "zh for anything but en")

	assert.Equal(t, "as it came", Plain("as it came").In("en"))
	assert.True(t, Message{}.Zero())
	assert.Equal(t, "", Message{}.In("en"))

	j := Join(StopJoin, M(StopCooldown), Message{}, M(StopMaxOrders))
	assert.Equal(t, Text("en", StopCooldown)+"; "+Text("en", StopMaxOrders), j.In("en"))
	assert.Equal(t, Text("zh", StopCooldown)+"；"+Text("zh", StopMaxOrders), j.In("zh"))
	assert.Equal(t, M(StopCooldown), Join(StopJoin, M(StopCooldown)), "one part is itself")
	assert.Equal(t, "a; b", JoinText("; ", Plain("a"), Plain("b")).In("zh"))

	assert.Equal(t, "已完成", Language("zh").Outcome(outcome.Ready))
	assert.Equal(t, "ready", Language("en").Outcome(outcome.Ready))
}

// TestRender: an error of the catalogue is rendered in the language asked
// for, also wrapped or joined; any other error is its own text.
func TestRender(t *testing.T) {
	e := Errorf(StopStateFile, errors.New("disk full"))
	assert.Equal(t, Text("en", StopStateFile, "disk full"), Render(e, "en"))
	assert.Equal(t, Text("zh", StopStateFile, "disk full"), Render(e, "zh"))
	assert.Equal(t, e.Error(), Render(e, "zh"), "Error is zh")
	assert.ErrorIs(t, e, e.Err)

	wrapped := fmt.Errorf("resolving: %w", e)
	assert.Equal(t, "resolving: "+Text("en", StopStateFile, "disk full"), Render(wrapped, "en"))
	joined := errors.Join(e, errors.New("plain"))
	assert.Equal(t, Text("en", StopStateFile, "disk full")+"\nplain", Render(joined, "en"))
	assert.Equal(t, "plain", Render(errors.New("plain"), "en"))
	assert.Equal(t, "", Render(nil, "en"))

	assert.Equal(t, Text("en", StopStateFile, "disk full"), Of(e).In("en"))
	assert.Equal(t, "resolving: "+Text("en", StopStateFile, "disk full"), Of(wrapped).In("en"))
	assert.True(t, Of(nil).Zero())
	// Text renders a message argument in its own language.
	assert.Equal(t, Text("en", NotOrdered, Text("en", StopInterrupted)), Text("en", NotOrdered, M(StopInterrupted)))
}
