package bottest_test

import (
	"testing"

	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/bot/bottest"
	"github.com/alexa-brief/alexa-brief/bot/storetest"
)

// The in-memory store passes the same conformance suite as SQLite and
// PostgreSQL, so tests using it test what production does.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store { return bottest.NewStore(nil) })
}
