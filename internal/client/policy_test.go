//go:build !js

package client

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/gotd/td/tgerr"
	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client/mtconn"
)

func TestDecide(t *testing.T) {
	lost := errors.New("engine closed")
	badTime := &mtconn.BadMsgError{Code: 16}
	badBits := &mtconn.BadMsgError{Code: 18}
	unreadable := &mtconn.AnswerError{Err: &mtconn.TooBigError{Limit: 16 << 20}}
	flood := func(s int) error { return tgerr.New(420, "FLOOD_WAIT_"+strconv.Itoa(s)) }
	base := outcome{Method: "users.getUsers", FloodSleep: time.Minute, Remaining: -1}
	with := func(f func(*outcome)) outcome { o := base; f(&o); return o }
	rpc := func(code int, typ string) error {
		return &RPCError{Err: tgerr.New(code, typ), Method: "users.getUsers"}
	}

	for _, tt := range []struct {
		name string
		in   outcome
		want decision
	}{
		{"success", base, decision{Step: stepReturn}},
		{"server error is returned", with(func(o *outcome) { o.Err = tgerr.New(400, "PHONE_NUMBER_INVALID") }),
			decision{Step: stepReturn, Err: rpc(400, "PHONE_NUMBER_INVALID")}},
		{"flood wait under the threshold is slept", with(func(o *outcome) { o.Err = flood(30) }),
			decision{Step: stepSleep, Wait: 30 * time.Second}},
		{"flood wait at the threshold is slept", with(func(o *outcome) { o.Err = flood(60) }),
			decision{Step: stepSleep, Wait: time.Minute}},
		{"flood wait over the threshold is returned", with(func(o *outcome) { o.Err = flood(61) }),
			decision{Step: stepReturn, Err: rpc(420, "FLOOD_WAIT_61")}},
		{"a zero threshold sleeps nothing", with(func(o *outcome) { o.Err = flood(1); o.FloodSleep = 0 }),
			decision{Step: stepReturn, Err: rpc(420, "FLOOD_WAIT_1")}},
		{"flood wait past the deadline is returned at once", with(func(o *outcome) { o.Err = flood(30); o.Remaining = 29 * time.Second }),
			decision{Step: stepReturn, Err: rpc(420, "FLOOD_WAIT_30")}},
		{"flood wait within the deadline is slept", with(func(o *outcome) { o.Err = flood(30); o.Remaining = 31 * time.Second }),
			decision{Step: stepSleep, Wait: 30 * time.Second}},
		{"premium and slow-mode waits too", with(func(o *outcome) { o.Err = tgerr.New(420, "FLOOD_PREMIUM_WAIT_5") }),
			decision{Step: stepSleep, Wait: 5 * time.Second}},
		{"phone migrate", with(func(o *outcome) { o.Err = tgerr.New(303, "PHONE_MIGRATE_4") }),
			decision{Step: stepMigrate, DC: 4}},
		{"user migrate", with(func(o *outcome) { o.Err = tgerr.New(303, "USER_MIGRATE_1") }),
			decision{Step: stepMigrate, DC: 1}},
		{"too many migrations", with(func(o *outcome) { o.Err = tgerr.New(303, "NETWORK_MIGRATE_3"); o.Migrations = maxMigrations }),
			decision{Step: stepReturn, Err: rpc(303, "NETWORK_MIGRATE_3")}},
		{"file migrate is not followed", with(func(o *outcome) { o.Err = tgerr.New(303, "FILE_MIGRATE_2") }),
			decision{Step: stepReturn, Err: rpc(303, "FILE_MIGRATE_2")}},
		{"the caller's deadline", with(func(o *outcome) { o.Err = lost; o.CallDone = context.DeadlineExceeded; o.Idempotent = true }),
			decision{Step: stepReturn, Err: context.DeadlineExceeded}},
		{"closed", with(func(o *outcome) { o.Err = lost; o.Closed = true; o.Idempotent = true }),
			decision{Step: stepReturn, Err: ErrClosed}},
		{"lost connection, idempotent: sent again", with(func(o *outcome) { o.Err = lost; o.Idempotent = true }),
			decision{Step: stepReplay, Drop: true}},
		{"lost connection, not idempotent: may or may not", with(func(o *outcome) { o.Err = lost; o.Method = "account.changePhone" }),
			decision{Step: stepReturn, Drop: true, Err: &ConnectionError{Reason: "connection lost while account.changePhone was in flight; it may or may not have been applied", Cause: lost}}},
		{"lost key: nothing ran, sent again even if not idempotent", with(func(o *outcome) { o.Err = lost; o.KeyLost = true }),
			decision{Step: stepReplay, Drop: true}},
		{"replays run out", with(func(o *outcome) { o.Err = lost; o.Idempotent = true; o.Replays = maxReplays }),
			decision{Step: stepReturn, Drop: true, Err: &ConnectionError{Reason: "connection lost 101 times while users.getUsers was in flight", Cause: lost}}},
		{"our clock refused: reconnect and send again", with(func(o *outcome) { o.Err = badTime }),
			decision{Step: stepReplay, Drop: true}},
		{"our clock refused forever", with(func(o *outcome) { o.Err = badTime; o.Replays = maxReplays }),
			decision{Step: stepReturn, Drop: true, Err: &ConnectionError{Reason: "the DC keeps refusing our message times", Cause: badTime}}},
		{"a message the DC refuses for its form is returned, the link kept", with(func(o *outcome) { o.Err = badBits; o.Idempotent = true }),
			decision{Step: stepReturn, Err: badBits}},
		{"an answer that cannot be read is returned, not sent again", with(func(o *outcome) { o.Err = unreadable; o.Idempotent = true }),
			decision{Step: stepReturn, Err: unreadable}},
		{"a server error wins over the deadline", with(func(o *outcome) { o.Err = tgerr.New(400, "X"); o.CallDone = context.Canceled }),
			decision{Step: stepReturn, Err: rpc(400, "X")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := decide(tt.in)
			require.Equal(t, tt.want.Step, got.Step)
			require.Equal(t, tt.want.Wait, got.Wait)
			require.Equal(t, tt.want.DC, got.DC)
			require.Equal(t, tt.want.Drop, got.Drop)
			if tt.want.Err == nil {
				require.NoError(t, got.Err)
			} else {
				require.Equal(t, tt.want.Err.Error(), got.Err.Error())
				require.IsType(t, tt.want.Err, got.Err)
			}
		})
	}
}

func TestNextBackoff(t *testing.T) {
	noJitter := func(int64) int64 { return 0 }
	fullJitter := func(n int64) int64 { return n - 1 }
	cur := 250 * time.Millisecond
	var waits []time.Duration
	for range 8 {
		var wait time.Duration
		wait, cur = nextBackoff(cur, 10*time.Second, noJitter)
		waits = append(waits, wait)
	}
	require.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
		4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}, waits)
	wait, _ := nextBackoff(time.Second, 10*time.Second, fullJitter)
	require.Equal(t, 1200*time.Millisecond, wait, "at most a fifth more")
}
