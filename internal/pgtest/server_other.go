//go:build !unix

package pgtest

// server is unused where throwaway servers are not supported.
type server struct{ url string }

func (*server) stop() {}

// startServer: throwaway servers need a Unix system; elsewhere set
// ALEXA_BRIEF_TEST_POSTGRES.
func startServer(string) (*server, error) { return nil, errNoPostgres }
