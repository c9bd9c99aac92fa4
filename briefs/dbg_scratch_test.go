package briefs

import (
	"fmt"
	"testing"
)

func TestDbgScratch(t *testing.T) {
	pre := "Turning to Snow, the president then said: "
	np, off, ok := attributionBefore(pre)
	fmt.Printf("%q %d %v\n", np, off, ok)
	text := "President Bush told reporters Friday that he will accept Snow's resignation. Tony Snow spoke. Turning to Snow, the president then said: “I love you, and I wish you all the best.”"
	e := newArticleEntities(text)
	fmt.Println(e.people, e.mainOrg)
	fmt.Println(e.resolve("the president", 110))
}
