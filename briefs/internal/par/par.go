// Package par spreads independent per-item work of the pipeline over the
// CPUs: figures and tokens of a large corpus are computed sentence by
// sentence, with nothing shared between sentences.
package par

import (
	"runtime"
	"sync"
)

// perWorker is how many items make another worker worth its start-up: a
// small corpus is done faster on one goroutine.
const perWorker = 2000

// For calls f(i) for every i in [0, n), spread over up to GOMAXPROCS
// goroutines, and returns when all calls have. f must only write state of
// its own i.
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), 1+n/perWorker)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}
