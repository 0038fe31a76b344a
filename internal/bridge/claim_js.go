//go:build js

package bridge

import (
	"context"
	"sync"
	"syscall/js"

	"github.com/go-faster/errors"

	"github.com/tgwasm/tgwasm/internal/session"
)

// ClaimKeyHook adapts the page's claimKey() → Promise<{ session, release }>
// (web/tgwasm/storage.js, through tgwasm.js or the worker) to client.Options.
// ClaimKey; nil when there is none (memory storage: nobody to share with).
func ClaimKeyHook(fn js.Value) func(ctx context.Context) (session.Data, func(), error) {
	if (JSValue{fn}).Type() != Function {
		return nil
	}
	return func(ctx context.Context) (session.Data, func(), error) {
		ch := awaitJS(func() js.Value { return fn.Invoke() })
		select {
		case r := <-ch:
			return claimed(r)
		case <-ctx.Done():
			// Whenever the claim comes, give it back at once.
			go func() {
				if _, release, err := claimed(<-ch); err == nil {
					release()
				}
			}()
			return session.Data{}, nil, ctx.Err()
		}
	}
}

// claimed reads { session: SessionData | null, release() }.
func claimed(r settled) (session.Data, func(), error) {
	if r.err != nil {
		return session.Data{}, nil, errors.Wrap(r.err, "claim the auth key")
	}
	var sh shape
	v := JSValue{r.v}
	var d session.Data
	if s := sh.field(v, "claim", "session"); s.Type() != Null {
		d = readSession(&sh, s, "claim.session")
	}
	rel := sh.field(v, "claim", "release")
	if sh.err == nil && rel.Type() != Function {
		sh.fail("claim.release", "a function", rel)
	}
	if sh.err != nil {
		return session.Data{}, nil, sh.err
	}
	fn := rel.(JSValue).V
	var once sync.Once
	return d, func() { once.Do(func() { _ = catch(func() { fn.Invoke() }) }) }, nil
}
