package client

import (
	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
)

// TL is any TL object the client returns (a gotd tg type, or SentCodeSuccess).
type TL interface {
	TypeID() uint32
	TypeName() string
}

// SentCodeSuccess is auth.sentCodeSuccess. It is decoded here, not by tg,
// because tg's decoder for auth.Authorization also covers
// auth.authorizationSignUpRequired, whose terms of service with their 20
// message entity types would add 115 KB of code to the wasm for an answer
// a login never gets here (sign-up is refused with PHONE_NUMBER_UNOCCUPIED).
// Its field layout matches tg.AuthSentCodeSuccess.
type SentCodeSuccess struct {
	Authorization *tg.AuthAuthorization
}

// TypeID implements TL.
func (*SentCodeSuccess) TypeID() uint32 { return tg.AuthSentCodeSuccessTypeID }

// TypeName implements TL.
func (*SentCodeSuccess) TypeName() string { return "auth.sentCodeSuccess" }

// sentCodeResult decodes an auth.SentCode answer.
type sentCodeResult struct{ v TL }

func (r *sentCodeResult) Decode(b *bin.Buffer) error {
	id, err := b.PeekID()
	if err != nil {
		return err
	}
	switch id {
	case tg.AuthSentCodeTypeID:
		v := &tg.AuthSentCode{}
		r.v = v
		return v.Decode(b)
	case tg.AuthSentCodePaymentRequiredTypeID:
		v := &tg.AuthSentCodePaymentRequired{}
		r.v = v
		return v.Decode(b)
	case tg.AuthSentCodeSuccessTypeID:
		if err := b.ConsumeID(id); err != nil {
			return err
		}
		var a authResult
		if err := a.Decode(b); err != nil {
			return errors.Wrap(err, "auth.sentCodeSuccess")
		}
		if a.signUp {
			return ErrSignUpRequired
		}
		r.v = &SentCodeSuccess{Authorization: a.auth}
		return nil
	}
	return bin.NewUnexpectedID(id)
}

// authResult decodes an auth.Authorization answer.
type authResult struct {
	auth   *tg.AuthAuthorization
	signUp bool
}

func (r *authResult) Decode(b *bin.Buffer) error {
	id, err := b.PeekID()
	if err != nil {
		return err
	}
	switch id {
	case tg.AuthAuthorizationTypeID:
		r.auth = &tg.AuthAuthorization{}
		return r.auth.Decode(b)
	case tg.AuthAuthorizationSignUpRequiredTypeID:
		// The rest (terms of service) is not needed: the answer ends here.
		r.signUp = true
		b.Skip(b.Len())
		return nil
	}
	return bin.NewUnexpectedID(id)
}
