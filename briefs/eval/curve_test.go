package eval

import (
	"path/filepath"
	"testing"

	"github.com/alexa-brief/alexa-brief/briefs/rank"
)

func TestCurve(t *testing.T) {
	dir := dataDir(t)
	m, _ := rank.Default()
	items, _ := LoadWikiQA(filepath.Join(dir, WikiQADev))
	dev := Prepare(items)
	for th := 0.05; th < 0.5; th += 0.025 {
		g := rank.Measure(dev, m.Scorer(th))
		t.Logf("th %.3f P %.3f R %.3f F1 %.3f", th, g.Precision, g.Recall, g.F1)
	}
}
