package client

import (
	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// TL is any TL object the client returns (a type of package tl, or SentCodeSuccess).
type TL interface {
	TypeID() uint32
	TypeName() string
}

// SentCodeSuccess is auth.sentCodeSuccess. It is decoded here, not by tl,
// because tl's decoder for auth.Authorization also covers
// auth.authorizationSignUpRequired, whose terms of service with their 20
// message entity types would add 115 KB of code to the wasm for an answer
// a login never gets here (sign-up is refused with PHONE_NUMBER_UNOCCUPIED).
// Its field layout matches tl.AuthSentCodeSuccess.
type SentCodeSuccess struct {
	Authorization *tl.AuthAuthorization
}

// TypeID implements TL.
func (*SentCodeSuccess) TypeID() uint32 { return tl.AuthSentCodeSuccessTypeID }

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
	case tl.AuthSentCodeTypeID:
		v := &tl.AuthSentCode{}
		r.v = v
		return v.Decode(b)
	case tl.AuthSentCodePaymentRequiredTypeID:
		v := &tl.AuthSentCodePaymentRequired{}
		r.v = v
		return v.Decode(b)
	case tl.AuthSentCodeSuccessTypeID:
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
	auth   *tl.AuthAuthorization
	signUp bool
}

func (r *authResult) Decode(b *bin.Buffer) error {
	id, err := b.PeekID()
	if err != nil {
		return err
	}
	switch id {
	case tl.AuthAuthorizationTypeID:
		r.auth = &tl.AuthAuthorization{}
		return r.auth.Decode(b)
	case tl.AuthAuthorizationSignUpRequiredTypeID:
		// The rest (terms of service) is not needed: the answer ends here.
		r.signUp = true
		b.Skip(b.Len())
		return nil
	}
	return bin.NewUnexpectedID(id)
}
