package testdc

import (
	"context"
	"fmt"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
)

// The API's methods: one handler each, registered on gotd's generated
// server dispatcher (tg.ServerDispatcher), which decodes the request and
// boxes the answer. A handler runs with st.mu held; the request (who
// calls, and the fault switches that shape the answer) comes in the
// context. The behaviour table is in doc.go.

// request is one API request as the handlers see it.
type request struct {
	caller
	big  bool // fault switch: a sent code carries a 1 MiB phone_code_hash
	gzip bool // set by a handler: the answer goes gzip_packed
}

type requestKey struct{}

func requestOf(ctx context.Context) *request { return ctx.Value(requestKey{}).(*request) }

// api registers every method's handler.
func (st *state) api() *tg.ServerDispatcher {
	d := tg.NewServerDispatcher(func(_ context.Context, b *bin.Buffer) (bin.Encoder, error) {
		id, _ := b.PeekID()
		return nil, errf(400, fmt.Sprintf("INPUT_METHOD_INVALID_%d", id))
	})
	d.OnHelpGetNearestDC(st.getNearestDC)
	d.OnHelpGetConfig(st.getConfig)
	d.OnAccountSendChangePhoneCode(st.sendChangePhoneCode)
	d.OnAccountSendVerifyPhoneCode(st.sendVerifyPhoneCode)
	d.OnAuthSendCode(st.sendLoginCode)
	d.OnAccountChangePhone(st.changePhone)
	d.OnAccountVerifyPhone(st.verifyPhone)
	d.OnAuthResendCode(st.resendCode)
	d.OnAuthCancelCode(st.cancelCode)
	d.OnAuthSignIn(st.signIn)
	d.OnAccountGetPassword(st.getPassword)
	d.OnAuthCheckPassword(st.checkPassword)
	d.OnAuthImportBotAuthorization(st.importBotAuthorization)
	d.OnAuthLogOut(st.logOut)
	d.OnUsersGetUsers(st.getUsers)
	d.OnAuthExportAuthorization(st.exportAuthorization)
	d.OnAuthImportAuthorization(st.importAuthorization)
	return d
}

// call serves one API request. Called with st.mu held.
func (st *state) call(rq *request, b *bin.Buffer) (bin.Encoder, error) {
	res, err := st.dispatcher.Handle(context.WithValue(context.Background(), requestKey{}, rq), b)
	if err != nil {
		if _, ok := tgerr.As(err); !ok {
			return nil, errf(400, "INPUT_REQUEST_INVALID") // it did not decode
		}
		return nil, err
	}
	return res, nil
}

// authorizedAs returns the account bound to the request's key, or
// AUTH_KEY_UNREGISTERED.
func (st *state) authorizedAs(ctx context.Context) (*account, error) {
	user, ok := st.authorized(requestOf(ctx).caller)
	if !ok {
		return nil, errUnregistered()
	}
	return user, nil
}

func (st *state) getNearestDC(ctx context.Context) (*tg.NearestDC, error) {
	dc := requestOf(ctx).dc
	return &tg.NearestDC{Country: "ZZ", ThisDC: dc, NearestDC: dc}, nil
}

func (st *state) sendChangePhoneCode(ctx context.Context, r *tg.AccountSendChangePhoneCodeRequest) (tg.AuthSentCodeClass, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return nil, err
	}
	return st.sendCode(requestOf(ctx), r.PhoneNumber, forChange, user)
}

func (st *state) sendVerifyPhoneCode(ctx context.Context, r *tg.AccountSendVerifyPhoneCodeRequest) (tg.AuthSentCodeClass, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return nil, err
	}
	return st.sendCode(requestOf(ctx), r.PhoneNumber, forVerify, user)
}

func (st *state) sendLoginCode(ctx context.Context, r *tg.AuthSendCodeRequest) (tg.AuthSentCodeClass, error) {
	if r.APIID <= 0 || r.APIHash == "" {
		return nil, errf(400, "API_ID_INVALID")
	}
	return st.sendCode(requestOf(ctx), r.PhoneNumber, forLogin, nil)
}

func (st *state) changePhone(ctx context.Context, r *tg.AccountChangePhoneRequest) (tg.UserClass, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return nil, err
	}
	pc, err := st.takeCode(r.PhoneNumber, r.PhoneCodeHash, r.PhoneCode, forChange, user.ID)
	if err != nil {
		return nil, err
	}
	if _, taken := st.byPhone[pc.phone]; taken {
		return nil, errOccupied()
	}
	delete(st.byPhone, user.Phone)
	user.Phone = pc.phone
	st.byPhone[pc.phone] = user.ID
	return user.user(true), nil
}

func (st *state) verifyPhone(ctx context.Context, r *tg.AccountVerifyPhoneRequest) (bool, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return false, err
	}
	if _, err := st.takeCode(r.PhoneNumber, r.PhoneCodeHash, r.PhoneCode, forVerify, user.ID); err != nil {
		return false, err
	}
	return true, nil
}

// resendCode walks the chain of a pending code.
func (st *state) resendCode(_ context.Context, r *tg.AuthResendCodeRequest) (tg.AuthSentCodeClass, error) {
	pc, err := st.pending(r.PhoneNumber, r.PhoneCodeHash)
	if err != nil {
		return nil, err
	}
	if pc.step+1 >= len(pc.chain) {
		return nil, errf(400, "SEND_CODE_UNAVAILABLE")
	}
	pc.step++
	st.deliver(pc)
	return pc.sentCode(st.timeoutSecs()), nil
}

func (st *state) cancelCode(_ context.Context, r *tg.AuthCancelCodeRequest) (bool, error) {
	pc, err := st.pending(r.PhoneNumber, r.PhoneCodeHash)
	if err != nil {
		return false, err
	}
	delete(st.codes, pc.phone+"/"+pc.hash)
	return true, nil
}

// pending finds the code a phone number and hash name.
func (st *state) pending(rawPhone, hash string) (*pendingCode, error) {
	phone, ok := normalizePhone(rawPhone)
	if !ok {
		return nil, errPhoneInvalid()
	}
	if hash == "" {
		return nil, errCodeHashEmpty()
	}
	pc, ok := st.codes[phone+"/"+hash]
	if !ok {
		return nil, errCodeExpired()
	}
	return pc, nil
}

func (st *state) signIn(ctx context.Context, r *tg.AuthSignInRequest) (tg.AuthAuthorizationClass, error) {
	c := requestOf(ctx).caller
	pc, err := st.takeCode(r.PhoneNumber, r.PhoneCodeHash, r.PhoneCode, forLogin, 0)
	if err != nil {
		return nil, err
	}
	id, ok := st.byPhone[pc.phone]
	if !ok {
		return &tg.AuthAuthorizationSignUpRequired{}, nil
	}
	acc := st.accounts[id]
	if acc.srp != nil {
		k := st.keys[c.keyID]
		if k == nil {
			k = &keyAuth{}
			st.keys[c.keyID] = k
		}
		k.userID = 0
		k.loggedOut = true
		k.passwordUser = acc.ID
		return nil, errPasswordNeeded()
	}
	st.bind(c, acc.ID)
	return &tg.AuthAuthorization{User: acc.user(true)}, nil
}

// getPassword answers account.getPassword for the key's pending or
// authorized account.
func (st *state) getPassword(ctx context.Context) (*tg.AccountPassword, error) {
	c := requestOf(ctx).caller
	var acc *account
	if k := st.keys[c.keyID]; k != nil && k.passwordUser != 0 {
		acc = st.accounts[k.passwordUser]
	} else if a, ok := st.authorized(c); ok {
		acc = a
	}
	newAlgo := &tg.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow{
		Salt1: []byte("tgwasm-salt1"),
		Salt2: []byte("tgwasm-salt2"),
		G:     srpG,
		P:     pad256(telegramPrime),
	}
	p := &tg.AccountPassword{
		NewAlgo:       newAlgo,
		NewSecureAlgo: &tg.SecurePasswordKdfAlgoSHA512{Salt: []byte("tgwasm-secure")},
		SecureRandom:  []byte(randomHex(16)),
	}
	if acc != nil && acc.srp != nil {
		sess, err := acc.srp.challenge(acc.ID)
		if err != nil {
			return nil, err
		}
		id := randomInt64()
		st.srp[id] = sess
		p.HasPassword = true
		p.CurrentAlgo = acc.srp.algo()
		p.SRPB = sess.gb
		p.SRPID = id
		p.Hint = "the usual"
	}
	p.SetFlags()
	return p, nil
}

func (st *state) checkPassword(ctx context.Context, password tg.InputCheckPasswordSRPClass) (tg.AuthAuthorizationClass, error) {
	c := requestOf(ctx).caller
	in, ok := password.(*tg.InputCheckPasswordSRP)
	if !ok {
		return nil, errf(400, "PASSWORD_HASH_INVALID")
	}
	sess, ok := st.srp[in.SRPID]
	if !ok {
		return nil, errf(400, "SRP_ID_INVALID")
	}
	delete(st.srp, in.SRPID)
	k := st.keys[c.keyID]
	if k == nil || k.passwordUser != sess.userID {
		return nil, errf(400, "SRP_ID_INVALID")
	}
	acc := st.accounts[sess.userID]
	if acc == nil || acc.srp == nil || !acc.srp.check(sess, in.A, in.M1) {
		return nil, errf(400, "PASSWORD_HASH_INVALID")
	}
	st.bind(c, acc.ID)
	return &tg.AuthAuthorization{User: acc.user(true)}, nil
}

func (st *state) importBotAuthorization(ctx context.Context, r *tg.AuthImportBotAuthorizationRequest) (tg.AuthAuthorizationClass, error) {
	c := requestOf(ctx).caller
	if r.APIID <= 0 || r.APIHash == "" {
		return nil, errf(400, "API_ID_INVALID")
	}
	id, ok := st.byToken[r.BotAuthToken]
	if !ok {
		return nil, errf(400, "ACCESS_TOKEN_INVALID")
	}
	acc := st.accounts[id]
	if acc.DC != c.dc {
		return nil, errf(303, fmt.Sprintf("USER_MIGRATE_%d", acc.DC))
	}
	st.bind(c, id)
	return &tg.AuthAuthorization{User: acc.user(true)}, nil
}

func (st *state) logOut(ctx context.Context) (*tg.AuthLoggedOut, error) {
	if _, err := st.authorizedAs(ctx); err != nil {
		return nil, err
	}
	k := st.keys[requestOf(ctx).keyID]
	k.userID = 0
	k.loggedOut = true
	return &tg.AuthLoggedOut{}, nil
}

func (st *state) getUsers(ctx context.Context, ids []tg.InputUserClass) ([]tg.UserClass, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return nil, err
	}
	var out []tg.UserClass
	for _, in := range ids {
		switch in := in.(type) {
		case *tg.InputUserSelf:
			out = append(out, user.user(true))
		case *tg.InputUser:
			if a, ok := st.accounts[in.UserID]; ok {
				out = append(out, a.user(a.ID == user.ID))
			}
		}
	}
	return out, nil
}

func (st *state) exportAuthorization(ctx context.Context, dc int) (*tg.AuthExportedAuthorization, error) {
	user, err := st.authorizedAs(ctx)
	if err != nil {
		return nil, err
	}
	if dc == requestOf(ctx).dc || dc < 1 || dc > st.opts.DCs {
		return nil, errf(400, "DC_ID_INVALID")
	}
	tok := &exportToken{userID: user.ID, dc: dc, bytes: []byte(randomHex(32))}
	id := randomInt64()
	st.exports[id] = tok
	return &tg.AuthExportedAuthorization{ID: id, Bytes: tok.bytes}, nil
}

func (st *state) importAuthorization(ctx context.Context, r *tg.AuthImportAuthorizationRequest) (tg.AuthAuthorizationClass, error) {
	c := requestOf(ctx).caller
	tok, ok := st.exports[r.ID]
	if !ok || string(tok.bytes) != string(r.Bytes) || tok.dc != c.dc {
		return nil, errf(400, "AUTH_BYTES_INVALID")
	}
	delete(st.exports, r.ID)
	st.bind(c, tok.userID)
	return &tg.AuthAuthorization{User: st.accounts[tok.userID].user(true)}, nil
}

// getConfig answers help.getConfig (GramJS starts every connection with
// it): this DC, the cluster's DCs on loopback, and the usual limits.
func (st *state) getConfig(ctx context.Context) (*tg.Config, error) {
	dc := requestOf(ctx).dc
	now := int(st.s.clock.Now().Unix())
	cfg := &tg.Config{
		Date:                    now,
		Expires:                 now + 3600,
		ThisDC:                  dc,
		DCTxtDomainName:         "localhost",
		ChatSizeMax:             200,
		MegagroupSizeMax:        200000,
		ForwardedCountMax:       100,
		OnlineUpdatePeriodMs:    210000,
		OfflineBlurTimeoutMs:    5000,
		OfflineIdleTimeoutMs:    30000,
		OnlineCloudTimeoutMs:    300000,
		NotifyCloudDelayMs:      30000,
		NotifyDefaultDelayMs:    1500,
		PushChatPeriodMs:        60000,
		PushChatLimit:           2,
		EditTimeLimit:           172800,
		RevokeTimeLimit:         2147483647,
		RevokePmTimeLimit:       2147483647,
		RatingEDecay:            2419200,
		StickersRecentLimit:     200,
		ChannelsReadMediaPeriod: 604800,
		CallReceiveTimeoutMs:    20000,
		CallRingTimeoutMs:       90000,
		CallConnectTimeoutMs:    30000,
		CallPacketTimeoutMs:     10000,
		MeURLPrefix:             "https://t.me/",
		CaptionLengthMax:        1024,
		MessageLengthMax:        4096,
		WebfileDCID:             dc,
	}
	for id := 1; id <= st.s.opts.DCs; id++ {
		cfg.DCOptions = append(cfg.DCOptions, tg.DCOption{ID: id, IPAddress: "127.0.0.1", Port: 443})
	}
	cfg.SetFlags()
	return cfg, nil
}
