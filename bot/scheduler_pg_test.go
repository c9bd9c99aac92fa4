package bot_test

import (
	"context"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/postgres"
	"github.com/alexa-brief/alexa-brief/bot"
	"github.com/alexa-brief/alexa-brief/internal/pgtest"
)

// The ledger tests run against a real PostgreSQL too: ALEXA_BRIEF_TEST_POSTGRES,
// or a throwaway server from the local binaries (skipped with a message
// when neither exists; .ci/run requires it).
func TestMain(m *testing.M) { pgtest.Main(m) }

func init() {
	ledgerStores["postgres"] = func(t *testing.T) bot.Store {
		st, err := postgres.Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatalf("postgres.Open: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
}
