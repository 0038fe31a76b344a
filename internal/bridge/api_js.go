//go:build js

package bridge

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"syscall/js"
	"time"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/session"
)

// Module is what the wasm hands to web/tgwasm/runtime/: one client per instance.
//
//	start(options, hooks) → Promise<handle>
//	  options: the normalized createClient options
//	  hooks:   { state(name), session(string), log?(level, message),
//	           claimKey?, modPow?, pbkdf2? }, plain JS functions (log: the
//	           client's diagnostics, client.Options.Log; modPow and pbkdf2:
//	           see web/tgwasm/runtime/arith.js)
//	handle:    { call(method, params, id, timeout) → Promise, abort(id),
//	             signal(name), exportSession() → SessionData|null, stats(),
//	             close() → Promise }
//
// Rejections are plain { name, message, … } objects (ErrorInfo) that the
// wrapper turns into error classes.
type Module struct {
	done    chan struct{}
	mu      sync.Mutex
	started bool
	funcs   []js.Func
}

// NewModule returns the module; Done is closed after close() finished.
func NewModule() *Module { return &Module{done: make(chan struct{})} }

// Done is closed when the client was closed and the module released.
func (m *Module) Done() <-chan struct{} { return m.done }

// fn makes a function for JS. A Go panic or a JS exception inside it
// becomes a rejected promise instead of ending the program.
func (m *Module) fn(f func(this js.Value, args []js.Value) any) js.Func {
	jf := NewFunc(func(this js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = Rejected(panicReason(r))
			}
		}()
		return f(this, args)
	})
	m.funcs = append(m.funcs, jf)
	return jf
}

// Value builds the JS object.
func (m *Module) Value() js.Value {
	o := jsObject.New()
	o.Set("start", m.fn(func(_ js.Value, args []js.Value) any {
		return m.start(arg(args, 0), arg(args, 1))
	}))
	o.Set("liveFuncs", m.fn(func(js.Value, []js.Value) any { return LiveFuncs() }))
	return o
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// release frees every function of the module.
func (m *Module) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.funcs {
		ReleaseFunc(f)
	}
	m.funcs = nil
}

type handle struct {
	m *Module
	c *client.Client

	mu    sync.Mutex
	calls map[int]context.CancelCauseFunc
	close sync.Once
}

func (m *Module) start(optsV, hooks js.Value) js.Value {
	m.mu.Lock()
	if m.started {
		m.mu.Unlock()
		return Rejected(ErrorInfo{Name: "Error", Message: "this instance already runs a client"}.Object())
	}
	m.started = true
	m.mu.Unlock()

	opts, initial, err := ParseClientOptions(JSValue{optsV})
	if err != nil {
		return Rejected(DescribeError(context.Background(), err, "createClient", 0).Object())
	}
	stateHook, sessionHook := hooks.Get("state"), hooks.Get("session")
	opts.OnState = func(s client.State) {
		_ = catch(func() { stateHook.Invoke(string(s)) })
	}
	opts.Storage = session.Func{
		Initial: initial,
		OnSave: func(d session.Data) error {
			return catch(func() { sessionHook.Invoke(ToJS(SessionObject(d))) })
		},
	}
	opts.ModExp = ModExpHook(hooks.Get("modPow"))
	opts.PBKDF2SHA512 = PBKDF2Hook(hooks.Get("pbkdf2"))
	opts.ClaimKey = ClaimKeyHook(hooks.Get("claimKey"))
	if logHook := hooks.Get("log"); logHook.Type() == js.TypeFunction {
		opts.Log = func(level client.Level, msg string) {
			_ = catch(func() { logHook.Invoke(string(level), msg) })
		}
	}
	c, err := client.New(opts)
	if err != nil {
		return Rejected(DescribeError(context.Background(), err, "createClient", 0).Object())
	}
	h := &handle{m: m, c: c, calls: map[int]context.CancelCauseFunc{}}
	o := jsObject.New()
	o.Set("call", m.fn(func(_ js.Value, args []js.Value) any { return h.call(args) }))
	o.Set("abort", m.fn(func(_ js.Value, args []js.Value) any {
		if v := arg(args, 0); (JSValue{v}).Type() == Number {
			h.abort(v.Int())
		}
		return nil
	}))
	o.Set("exportSession", m.fn(func(js.Value, []js.Value) any { return ToJS(SessionObject(c.Session())) }))
	o.Set("state", m.fn(func(js.Value, []js.Value) any { return string(c.State()) }))
	o.Set("signal", m.fn(func(_ js.Value, args []js.Value) any {
		if v := (JSValue{arg(args, 0)}); v.Type() == String {
			Signal(c, v.Str())
		}
		return nil
	}))
	o.Set("stats", m.fn(func(js.Value, []js.Value) any {
		st := Stats()
		st.Set("connectAttempts", int(c.Attempts()))
		st.Set("probes", int(c.Probes()))
		st.Set("checks", int(c.Checks()))
		return ToJS(st)
	}))
	o.Set("close", m.fn(func(js.Value, []js.Value) any { return h.shutdown() }))
	return jsPromise.Call("resolve", o)
}

// call(method, params, id, timeout): the arguments are read and checked
// now, synchronously, so later changes by the page do not matter and a bad
// argument never reaches the network. id and timeout (milliseconds) come
// normalized by web/tgwasm/client.js.
func (h *handle) call(args []js.Value) js.Value {
	method, id, timeout := JSValue{arg(args, 0)}, JSValue{arg(args, 2)}, JSValue{arg(args, 3)}
	if method.Type() != String || id.Type() != Number || timeout.Type() != Number {
		err := fmt.Errorf("%w: call(%s, params, %s, %s)", ErrMalformed, typeName(method), typeName(id), typeName(timeout))
		return Rejected(DescribeError(context.Background(), err, "call", 0).Object())
	}
	ms := int(timeout.Float())
	run, tl, err := Prepare(method.Str(), JSValue{arg(args, 1)})
	if err != nil {
		return Rejected(DescribeError(context.Background(), err, tl, ms).Object())
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
	callID := int(id.Float())
	h.mu.Lock()
	h.calls[callID] = cancel
	h.mu.Unlock()
	return Promise(func() (any, any) {
		defer func() {
			cancelTimeout()
			cancel(nil)
			h.mu.Lock()
			delete(h.calls, callID)
			h.mu.Unlock()
		}()
		v, err := run(ctx, h.c)
		if err != nil {
			return nil, DescribeError(ctx, err, tl, ms).Object()
		}
		return v, nil
	})
}

func (h *handle) abort(id int) {
	h.mu.Lock()
	cancel := h.calls[id]
	h.mu.Unlock()
	if cancel != nil {
		cancel(ErrAborted)
	}
}

// shutdown closes the client. Once the promise it returns has settled, a
// new JS task releases every function and lets main return, which ends the
// instance: ending it from inside a nested JS→Go call (the Promise
// executor runs inside `new Promise`) would pull the instance out from
// under that call.
func (h *handle) shutdown() js.Value {
	first := false
	h.close.Do(func() { first = true })
	return settledThen(func() (any, any) {
		if !first {
			<-h.m.done
			return true, nil
		}
		_ = h.c.Close()
		return true, nil
	}, func() {
		if !first {
			return
		}
		var exit js.Func
		exit = NewFunc(func(js.Value, []js.Value) any {
			ReleaseFunc(exit)
			h.m.release()
			close(h.m.done)
			return nil
		})
		jsSetTimeout.Invoke(exit, 0)
	})
}

// Stats reports the Go side's memory and js.Func counts (diagnostics for
// benchmarks and soak tests).
func Stats() *Object {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	o := &Object{}
	o.Set("heapAlloc", int(ms.HeapAlloc))
	o.Set("heapSys", int(ms.HeapSys))
	o.Set("sys", int(ms.Sys))
	o.Set("numGC", int(ms.NumGC))
	o.Set("goroutines", runtime.NumGoroutine())
	o.Set("liveFuncs", int(LiveFuncs()))
	return o
}
