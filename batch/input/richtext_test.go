package input

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadSharedStrings_RichText: the shared-string table reads a string
// item as the inline-string cell does (one richText state machine): rich
// runs joined, phonetic runs left out, an empty or self-closing item kept
// in its place.
func TestReadSharedStrings_RichText(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("xl/sharedStrings.xml")
	require.NoError(t, err)
	_, err = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="5">` +
		`<si><t>企业名称</t></si>` +
		`<si><r><rPr><b/></rPr><t>华为</t></r><r><t xml:space="preserve">技术</t></r><rPh sb="0" eb="2"><t>huawei</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si/>` +
		`<si><t/></si>` +
		`<si><rPh><t>only phonetic</t></rPh><t>a&amp;b_x000D_</t></si></sst>`))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	require.NoError(t, err)
	sst, err := readSharedStrings(zr.File[0], 1<<20)
	require.NoError(t, err)
	var got []string
	for i := range sst.len() {
		got = append(got, sst.get(i))
	}
	assert.Equal(t, []string{"企业名称", "华为技术", "", "", "a&b\r"}, got)
}
