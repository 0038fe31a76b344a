//go:build js

package bridge

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall/js"
)

var liveFuncs atomic.Int64

// NewFunc wraps js.FuncOf and counts live functions; release with
// ReleaseFunc.
func NewFunc(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// ReleaseFunc releases a function made by NewFunc.
func ReleaseFunc(f js.Func) {
	liveFuncs.Add(-1)
	f.Release()
}

// LiveFuncs reports how many NewFunc functions are not released.
func LiveFuncs() int64 { return liveFuncs.Load() }

// Promise runs work in a goroutine and returns a Promise settled by its
// result: resolved with ToJS(value), or rejected with ToJS(reason). The
// executor releases itself, a panic in work (a Go panic or a JS exception
// raised while converting) becomes a rejection, and the promise settles
// exactly once.
func Promise(work func() (value any, reason any)) js.Value {
	return settledThen(work, nil)
}

// settledThen is Promise, with then run after the promise is settled.
func settledThen(work func() (value any, reason any), then func()) js.Value {
	var executor js.Func
	executor = NewFunc(func(_ js.Value, args []js.Value) any {
		ReleaseFunc(executor)
		resolve, reject := args[0], args[1]
		var once sync.Once
		settle := func(fn js.Value, v js.Value) {
			once.Do(func() { fn.Invoke(v) })
		}
		go func() {
			if then != nil {
				defer then()
			}
			defer func() {
				if r := recover(); r != nil {
					settle(reject, ToJS(panicReason(r)))
				}
			}()
			value, reason := work()
			if reason != nil {
				settle(reject, ToJS(reason))
				return
			}
			settle(resolve, ToJS(value))
		}()
		return nil
	})
	return jsPromise.New(executor)
}

// Rejected returns Promise.reject(ToJS(reason)).
func Rejected(reason any) js.Value {
	return jsPromise.Call("reject", ToJS(reason))
}

func panicReason(r any) *Object {
	msg := exceptionError(r).Error()
	if _, ok := r.(js.Error); !ok {
		msg = "internal error: " + fmt.Sprint(r)
	}
	return ErrorInfo{Name: "Error", Message: msg}.Object()
}
