package bridge

import (
	"context"

	"github.com/go-faster/errors"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// Client is what the JS methods call (implemented by *client.Client).
type Client interface {
	SendChangePhoneCode(ctx context.Context, phone string, settings tl.CodeSettings) (client.TL, error)
	SendVerifyPhoneCode(ctx context.Context, phone string, settings tl.CodeSettings) (client.TL, error)
	ChangePhone(ctx context.Context, phone, hash, code string) (tl.UserClass, error)
	VerifyPhone(ctx context.Context, phone, hash, code string) error
	ResendCode(ctx context.Context, phone, hash, reason string) (client.TL, error)
	CancelCode(ctx context.Context, phone, hash string) error
	SendCode(ctx context.Context, phone string, settings tl.CodeSettings) (client.TL, error)
	SignIn(ctx context.Context, phone, hash, code string) (*tl.User, error)
	CheckPassword(ctx context.Context, password string) (*tl.User, error)
	SignInBot(ctx context.Context, token string) (*tl.User, error)
	LogOut(ctx context.Context) error
	GetMe(ctx context.Context) (*tl.User, error)
}

// Method is one API method: Parse checks the arguments (no I/O) and
// returns the call to run.
type Method struct {
	// TL is the main request's TL name, for error messages.
	TL    string
	Parse func(params Value) (func(ctx context.Context, c Client) (any, error), error)
}

func sentCode(sc client.TL, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return convertAny(sc)
}

func user(u tl.UserClass, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return convertAny(u)
}

// convertAny converts a TL answer.
func convertAny(v any) (any, error) {
	o := Convert(v)
	if o == nil {
		return nil, errors.Errorf("unexpected answer %T", v)
	}
	return o, nil
}

func done(err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return true, nil
}

// Methods are the calls the page can make, by their JS names.
var Methods = map[string]Method{
	"sendChangePhoneCode": {TL: "account.sendChangePhoneCode", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseSendCodeParams(v)
		return func(ctx context.Context, c Client) (any, error) {
			return sentCode(c.SendChangePhoneCode(ctx, p.PhoneNumber, p.Settings))
		}, err
	}},
	"sendVerifyPhoneCode": {TL: "account.sendVerifyPhoneCode", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseSendCodeParams(v)
		return func(ctx context.Context, c Client) (any, error) {
			return sentCode(c.SendVerifyPhoneCode(ctx, p.PhoneNumber, p.Settings))
		}, err
	}},
	"changePhone": {TL: "account.changePhone", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseCodeParams(v, true, false)
		return func(ctx context.Context, c Client) (any, error) {
			return user(c.ChangePhone(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode))
		}, err
	}},
	"verifyPhone": {TL: "account.verifyPhone", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseCodeParams(v, true, false)
		return func(ctx context.Context, c Client) (any, error) {
			return done(c.VerifyPhone(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode))
		}, err
	}},
	"resendCode": {TL: "auth.resendCode", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseCodeParams(v, false, true)
		return func(ctx context.Context, c Client) (any, error) {
			return sentCode(c.ResendCode(ctx, p.PhoneNumber, p.PhoneCodeHash, p.Reason))
		}, err
	}},
	"cancelCode": {TL: "auth.cancelCode", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseCodeParams(v, false, false)
		return func(ctx context.Context, c Client) (any, error) {
			return done(c.CancelCode(ctx, p.PhoneNumber, p.PhoneCodeHash))
		}, err
	}},
	"sendCode": {TL: "auth.sendCode", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseSendCodeParams(v)
		return func(ctx context.Context, c Client) (any, error) {
			return sentCode(c.SendCode(ctx, p.PhoneNumber, p.Settings))
		}, err
	}},
	"signIn": {TL: "auth.signIn", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		p, err := ParseCodeParams(v, true, false)
		return func(ctx context.Context, c Client) (any, error) {
			u, err := c.SignIn(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode)
			return user(u, err)
		}, err
	}},
	"checkPassword": {TL: "auth.checkPassword", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		pw, err := ParseStringParam(v, "password")
		return func(ctx context.Context, c Client) (any, error) {
			u, err := c.CheckPassword(ctx, pw)
			return user(u, err)
		}, err
	}},
	"signInBot": {TL: "auth.importBotAuthorization", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		tok, err := ParseStringParam(v, "botToken")
		return func(ctx context.Context, c Client) (any, error) {
			u, err := c.SignInBot(ctx, tok)
			return user(u, err)
		}, err
	}},
	"logOut": {TL: "auth.logOut", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		return func(ctx context.Context, c Client) (any, error) { return done(c.LogOut(ctx)) }, ParseNoParams(v)
	}},
	"getMe": {TL: "users.getUsers", Parse: func(v Value) (func(context.Context, Client) (any, error), error) {
		return func(ctx context.Context, c Client) (any, error) {
			u, err := c.GetMe(ctx)
			return user(u, err)
		}, ParseNoParams(v)
	}},
}

// ErrUnknownMethod is returned for a method name that is not in Methods.
var ErrUnknownMethod = errors.New("unknown method")

// Prepare checks a call's arguments and returns the work to run.
func Prepare(method string, params Value) (func(ctx context.Context, c Client) (any, error), string, error) {
	m, ok := Methods[method]
	if !ok {
		return nil, method, errors.Wrap(ErrUnknownMethod, method)
	}
	run, err := m.Parse(params)
	if err != nil {
		return nil, m.TL, err
	}
	return run, m.TL, nil
}
