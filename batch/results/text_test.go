package results

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// catalogStrings returns every text of c with a name saying where it is.
func catalogStrings(c *catalog) map[string]string {
	out := map[string]string{}
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		if f.Kind() == reflect.String {
			out[name] = f.String()
		}
	}
	for i, s := range c.columns {
		out["columns/"+c.columns[i]] = s
	}
	for k, s := range c.status {
		out["status/"+k] = s
	}
	for i, a := range c.actions {
		out["actions/"+string(a.outcomes[0])+"/"+string(rune('0'+i))] = a.todo
	}
	for o, s := range c.meanings {
		out["meanings/"+string(o)] = s
	}
	for o, s := range c.reruns {
		out["reruns/"+string(o)] = s
	}
	return out
}

// TestCatalogs walks the zh/en table: every text present in both languages,
// English without Chinese, every outcome explained and in at most one kind
// of action, and every report status of the API document.
func TestCatalogs(t *testing.T) {
	zh, en := catalogStrings(catalogs["zh"]), catalogStrings(catalogs["en"])
	require.Len(t, catalogs, 2)
	for name, s := range en {
		assert.NotEmpty(t, s, "en %s", name)
		assert.False(t, strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }), "en %s is not English: %q", name, s)
	}
	for name, s := range zh {
		assert.NotEmpty(t, s, "zh %s", name)
	}
	assert.Equal(t, len(catalogs["en"].actions), len(catalogs["zh"].actions))
	for _, lang := range []string{"zh", "en"} {
		c := catalogs[lang]
		for _, o := range outcome.All() {
			assert.NotEmpty(t, c.meanings[o], "%s meaning of %s", lang, o)
			assert.NotEmpty(t, c.reruns[o], "%s rerun of %s", lang, o)
		}
		seen := map[outcome.Outcome]bool{}
		for _, a := range c.actions {
			for _, o := range a.outcomes {
				assert.False(t, seen[o], "%s: %s in two kinds of action", lang, o)
				seen[o] = true
			}
		}
		assert.False(t, seen[outcome.Ready], "a ready row needs no action")
		for i, a := range c.actions {
			assert.Equal(t, a.outcomes, catalogs["en"].actions[i].outcomes, "%s: the kinds of action are in the same order", lang)
		}
		for _, st := range []string{"N", "S", "F", "P"} {
			assert.True(t, strings.HasPrefix(c.statusText(st), st+" "), "%s: %q", lang, c.statusText(st))
		}
		assert.Equal(t, "X", c.statusText("X"), "an unknown status is shown as it came")
		assert.Empty(t, c.statusText(""))
	}
	assert.Equal(t, "S 生成成功", catalogs["zh"].statusText("S"), "the API document's words")
	assert.Equal(t, "P 正在处理中", catalogs["zh"].statusText("P"))
	assert.Same(t, catalogs["zh"], textsFor(""), "zh is the default")
	assert.Same(t, catalogs["en"], textsFor("EN"))
}
