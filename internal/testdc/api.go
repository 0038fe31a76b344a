package testdc

import (
	"fmt"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
)

// call decodes and serves one API request. Called with st.mu held.
func (st *state) call(c caller, b *bin.Buffer, big bool) (bin.Encoder, error) {
	id, err := b.PeekID()
	if err != nil {
		return nil, err
	}
	decode := func(d bin.Decoder) error {
		if err := d.Decode(b); err != nil {
			return errf(400, "INPUT_REQUEST_INVALID")
		}
		return nil
	}
	switch id {
	case tg.HelpGetNearestDCRequestTypeID:
		return &tg.NearestDC{Country: "ZZ", ThisDC: c.dc, NearestDC: c.dc}, nil

	case tg.HelpGetConfigRequestTypeID:
		// Clients such as GramJS start every connection with it.
		return st.config(c), nil

	case tg.AccountSendChangePhoneCodeRequestTypeID:
		var r tg.AccountSendChangePhoneCodeRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
		}
		return st.sendCode(c, r.PhoneNumber, forChange, user, big)

	case tg.AccountSendVerifyPhoneCodeRequestTypeID:
		var r tg.AccountSendVerifyPhoneCodeRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
		}
		return st.sendCode(c, r.PhoneNumber, forVerify, user, big)

	case tg.AuthSendCodeRequestTypeID:
		var r tg.AuthSendCodeRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		if r.APIID <= 0 || r.APIHash == "" {
			return nil, errf(400, "API_ID_INVALID")
		}
		return st.sendCode(c, r.PhoneNumber, forLogin, nil, big)

	case tg.AccountChangePhoneRequestTypeID:
		var r tg.AccountChangePhoneRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
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

	case tg.AccountVerifyPhoneRequestTypeID:
		var r tg.AccountVerifyPhoneRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
		}
		if _, err := st.takeCode(r.PhoneNumber, r.PhoneCodeHash, r.PhoneCode, forVerify, user.ID); err != nil {
			return nil, err
		}
		return &tg.BoolTrue{}, nil

	case tg.AuthResendCodeRequestTypeID:
		var r tg.AuthResendCodeRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		return st.resend(r.PhoneNumber, r.PhoneCodeHash)

	case tg.AuthCancelCodeRequestTypeID:
		var r tg.AuthCancelCodeRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		phone, ok := normalizePhone(r.PhoneNumber)
		if !ok {
			return nil, errPhoneInvalid()
		}
		if r.PhoneCodeHash == "" {
			return nil, errCodeHashEmpty()
		}
		if _, ok := st.codes[phone+"/"+r.PhoneCodeHash]; !ok {
			return nil, errCodeExpired()
		}
		delete(st.codes, phone+"/"+r.PhoneCodeHash)
		return &tg.BoolTrue{}, nil

	case tg.AuthSignInRequestTypeID:
		var r tg.AuthSignInRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
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

	case tg.AccountGetPasswordRequestTypeID:
		var r tg.AccountGetPasswordRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		return st.getPassword(c)

	case tg.AuthCheckPasswordRequestTypeID:
		var r tg.AuthCheckPasswordRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		in, ok := r.Password.(*tg.InputCheckPasswordSRP)
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

	case tg.AuthImportBotAuthorizationRequestTypeID:
		var r tg.AuthImportBotAuthorizationRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
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

	case tg.AuthLogOutRequestTypeID:
		if _, ok := st.authorized(c); !ok {
			return nil, errUnregistered()
		}
		k := st.keys[c.keyID]
		k.userID = 0
		k.loggedOut = true
		return &tg.AuthLoggedOut{}, nil

	case tg.UsersGetUsersRequestTypeID:
		var r tg.UsersGetUsersRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
		}
		var out []tg.UserClass
		for _, in := range r.ID {
			switch in := in.(type) {
			case *tg.InputUserSelf:
				out = append(out, user.user(true))
			case *tg.InputUser:
				if a, ok := st.accounts[in.UserID]; ok {
					out = append(out, a.user(a.ID == user.ID))
				}
			}
		}
		return &tg.UserClassVector{Elems: out}, nil

	case tg.AuthExportAuthorizationRequestTypeID:
		var r tg.AuthExportAuthorizationRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		user, ok := st.authorized(c)
		if !ok {
			return nil, errUnregistered()
		}
		if r.DCID == c.dc || r.DCID < 1 || r.DCID > st.opts.DCs {
			return nil, errf(400, "DC_ID_INVALID")
		}
		tok := &exportToken{userID: user.ID, dc: r.DCID, bytes: []byte(randomHex(32))}
		id := randomInt64()
		st.exports[id] = tok
		return &tg.AuthExportedAuthorization{ID: id, Bytes: tok.bytes}, nil

	case tg.AuthImportAuthorizationRequestTypeID:
		var r tg.AuthImportAuthorizationRequest
		if err := decode(&r); err != nil {
			return nil, err
		}
		tok, ok := st.exports[r.ID]
		if !ok || string(tok.bytes) != string(r.Bytes) || tok.dc != c.dc {
			return nil, errf(400, "AUTH_BYTES_INVALID")
		}
		delete(st.exports, r.ID)
		st.bind(c, tok.userID)
		return &tg.AuthAuthorization{User: st.accounts[tok.userID].user(true)}, nil
	}
	return nil, errf(400, fmt.Sprintf("INPUT_METHOD_INVALID_%d", id))
}

// resend walks the chain of a pending code.
func (st *state) resend(rawPhone, hash string) (bin.Encoder, error) {
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
	if pc.step+1 >= len(pc.chain) {
		return nil, errf(400, "SEND_CODE_UNAVAILABLE")
	}
	pc.step++
	st.deliver(pc)
	return pc.sentCode(st.timeoutSecs()), nil
}

// getPassword answers account.getPassword for the key's pending or
// authorized account.
func (st *state) getPassword(c caller) (bin.Encoder, error) {
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

// config answers help.getConfig: this DC, the cluster's DCs on loopback,
// and the usual limits.
func (st *state) config(c caller) *tg.Config {
	now := int(st.s.clock.Now().Unix())
	cfg := &tg.Config{
		Date:                    now,
		Expires:                 now + 3600,
		ThisDC:                  c.dc,
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
		WebfileDCID:             c.dc,
	}
	for id := 1; id <= st.s.opts.DCs; id++ {
		cfg.DCOptions = append(cfg.DCOptions, tg.DCOption{ID: id, IPAddress: "127.0.0.1", Port: 443})
	}
	cfg.SetFlags()
	return cfg
}
