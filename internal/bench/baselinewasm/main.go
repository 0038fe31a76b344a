//go:build js

// Command baselinewasm is the size baseline of scripts/bench.sh: the two
// account methods on gotd's full telegram.Client, as a page would get them
// without tgwasm's lean client. It is built for js/wasm only, so that the
// native builds, tests and staticcheck compile none of gotd's full client.
package main

import (
	"context"

	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
)

func main() {
	c := telegram.NewClient(1, "0123456789abcdef0123456789abcdef", telegram.Options{})
	_ = c.Run(context.Background(), func(ctx context.Context) error {
		a, err := c.API().AccountSendChangePhoneCode(ctx, &tg.AccountSendChangePhoneCodeRequest{PhoneNumber: "+1"})
		println(a, err)
		b, err := c.API().AccountSendVerifyPhoneCode(ctx, &tg.AccountSendVerifyPhoneCodeRequest{PhoneNumber: "+1"})
		println(b, err)
		return nil
	})
}
