package bot

import (
	"context"
	"time"
)

// Poster delivers a reply to a channel of one platform. key identifies the
// digest slot (or is empty for ordinary replies) so the platform can
// recognise a repeat: Slack message metadata, Discord nonce.
// Implementations keep to the platform's rate limits, wait on 429s and
// retry 5xx and timeouts; an error returned is final.
type Poster interface {
	Post(ctx context.Context, sc Scope, r Reply, key string) (messageID string, err error)
}

// PostFinder is an optional Poster capability: find a message posted with
// key since the given time, to detect a post made just before a crash.
type PostFinder interface {
	FindPost(ctx context.Context, sc Scope, key string, since time.Time) (messageID string, found bool, err error)
}
