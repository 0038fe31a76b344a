package bridge

import (
	"context"

	"github.com/go-faster/errors"

	"github.com/tgwasm/tgwasm/internal/client"
)

// Methods is the API's table: one row per method the page can call. A
// method is one function on the client (internal/client/methods.go) and
// one row here. go generate ./internal/bridge writes, from this table, the
// JS method and its TypeScript declaration (web/tgwasm/methods.gen.js,
// methods.gen.d.ts) and the table of methods in docs/API.md; the GramJS
// shim maps GramJS's requests onto the rows marked GramJS.
// TestGeneratedIsCurrent fails when any of them drifts from the table.
var Methods = []Method{
	{Name: "sendChangePhoneCode", TL: "account.sendChangePhoneCode", Result: "SentCode", GramJS: true,
		Doc: "sends a code to verify a new number before changePhone",
		Params: sendCode(func(ctx context.Context, c *client.Client, p SendCodeParams) (any, error) {
			return converted(c.SendChangePhoneCode(ctx, p.PhoneNumber, p.Settings))
		})},
	{Name: "sendVerifyPhoneCode", TL: "account.sendVerifyPhoneCode", Result: "SentCode", GramJS: true,
		Doc: "sends a code to verify a number for Telegram Passport, before verifyPhone",
		Params: sendCode(func(ctx context.Context, c *client.Client, p SendCodeParams) (any, error) {
			return converted(c.SendVerifyPhoneCode(ctx, p.PhoneNumber, p.Settings))
		})},
	{Name: "changePhone", TL: "account.changePhone", Result: "User", GramJS: true,
		Doc: "completes a number change with the code; resolves to the updated User",
		Params: withCode(func(ctx context.Context, c *client.Client, p CodeParams) (any, error) {
			return converted(c.ChangePhone(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode))
		})},
	{Name: "verifyPhone", TL: "account.verifyPhone", Result: "true", GramJS: true,
		Doc: "completes a Passport verification with the code",
		Params: withCode(func(ctx context.Context, c *client.Client, p CodeParams) (any, error) {
			return done(c.VerifyPhone(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode))
		})},
	{Name: "resendCode", TL: "auth.resendCode", Result: "SentCode", GramJS: true,
		Doc: "sends the code again, the way the last answer's nextType says",
		Params: takes("params: ResendCodeParams", "{ phoneNumber, phoneCodeHash, reason? }",
			func(v Value) (CodeParams, error) { return ParseCodeParams(v, false, true) },
			func(ctx context.Context, c *client.Client, p CodeParams) (any, error) {
				return converted(c.ResendCode(ctx, p.PhoneNumber, p.PhoneCodeHash, p.Reason))
			})},
	{Name: "cancelCode", TL: "auth.cancelCode", Result: "true", GramJS: true,
		Doc: "invalidates a sent code",
		Params: takes("params: CancelCodeParams", "{ phoneNumber, phoneCodeHash }",
			func(v Value) (CodeParams, error) { return ParseCodeParams(v, false, false) },
			func(ctx context.Context, c *client.Client, p CodeParams) (any, error) {
				return done(c.CancelCode(ctx, p.PhoneNumber, p.PhoneCodeHash))
			})},
	{Name: "sendCode", TL: "auth.sendCode", Result: "SentCode", GramJS: true,
		Doc: "starts a login (PHONE_MIGRATE is followed)",
		Params: sendCode(func(ctx context.Context, c *client.Client, p SendCodeParams) (any, error) {
			return converted(c.SendCode(ctx, p.PhoneNumber, p.Settings))
		})},
	{Name: "signIn", TL: "auth.signIn", Result: "User", GramJS: true,
		Doc: "logs in with the code; rejects with RPCError SESSION_PASSWORD_NEEDED when 2FA is on",
		Params: withCode(func(ctx context.Context, c *client.Client, p CodeParams) (any, error) {
			return converted(c.SignIn(ctx, p.PhoneNumber, p.PhoneCodeHash, p.PhoneCode))
		})},
	{Name: "checkPassword", TL: "auth.checkPassword", Result: "User",
		Doc: "logs in with the 2FA password, after account.getPassword (SRP: the password never leaves the client)",
		Params: oneString("password", func(ctx context.Context, c *client.Client, password string) (any, error) {
			return converted(c.CheckPassword(ctx, password))
		})},
	{Name: "signInBot", TL: "auth.importBotAuthorization", Result: "User",
		Doc: "logs in as a bot with its token",
		Params: oneString("botToken", func(ctx context.Context, c *client.Client, token string) (any, error) {
			return converted(c.SignInBot(ctx, token))
		})},
	{Name: "logOut", TL: "auth.logOut", Result: "true",
		Doc: "ends the login (the auth key stays, logged out)",
		Params: none(func(ctx context.Context, c *client.Client) (any, error) {
			return done(c.LogOut(ctx))
		})},
	{Name: "getMe", TL: "users.getUsers", Result: "User",
		Doc: "the logged-in User (users.getUsers of inputUserSelf)",
		Params: none(func(ctx context.Context, c *client.Client) (any, error) {
			return converted(c.GetMe(ctx))
		})},
}

// Method is one row of the table.
type Method struct {
	// Name is the JS method: client.sendChangePhoneCode.
	Name string
	// TL is the TL method it sends (its errors name it).
	TL string
	// Params is what it takes.
	Params Params
	// Result is the TypeScript type it resolves to.
	Result string
	// Doc says what it does, in a phrase: the JS method's comment, its
	// TSDoc and its row in docs/API.md.
	Doc string
	// GramJS: the shim maps GramJS's Api.<TL> request onto this method,
	// its fields onto the params.
	GramJS bool
}

// Params is what a method takes: a parser of its JS value (args.go) with
// the call it makes, its TypeScript parameter and its shape in the docs.
type Params struct {
	// TS declares the parameter: "params: SendCodeParams".
	TS string
	// Shape is the docs' "{ phoneNumber, settings? }", or "none".
	Shape string
	read  func(v Value) (Call, error)
}

// Call is a method's work, its params read.
type Call func(ctx context.Context, c *client.Client) (any, error)

// takes makes Params of a parser and the call that uses what it read.
func takes[P any](ts, shape string, parse func(Value) (P, error), run func(context.Context, *client.Client, P) (any, error)) Params {
	return Params{TS: ts, Shape: shape, read: func(v Value) (Call, error) {
		p, err := parse(v)
		return func(ctx context.Context, c *client.Client) (any, error) { return run(ctx, c, p) }, err
	}}
}

// The params several methods share.

func sendCode(run func(context.Context, *client.Client, SendCodeParams) (any, error)) Params {
	return takes("params: SendCodeParams", "{ phoneNumber, settings? }", ParseSendCodeParams, run)
}

func withCode(run func(context.Context, *client.Client, CodeParams) (any, error)) Params {
	return takes("params: CodeParams", "{ phoneNumber, phoneCodeHash, phoneCode }",
		func(v Value) (CodeParams, error) { return ParseCodeParams(v, true, false) }, run)
}

func oneString(key string, run func(context.Context, *client.Client, string) (any, error)) Params {
	return takes("params: { "+key+": string }", "{ "+key+" }",
		func(v Value) (string, error) { return ParseStringParam(v, key) }, run)
}

func none(run func(context.Context, *client.Client) (any, error)) Params {
	return takes("params?: Record<string, never>", "none",
		func(v Value) (struct{}, error) { return struct{}{}, ParseNoParams(v) },
		func(ctx context.Context, c *client.Client, _ struct{}) (any, error) { return run(ctx, c) })
}

// converted renders a TL answer in GramJS toJSON() shape.
func converted(v any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	o := Convert(v)
	if o == nil {
		return nil, errors.Errorf("unexpected answer %T", v)
	}
	return o, nil
}

// done is the answer of a method that resolves to true.
func done(err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return true, nil
}

// byName finds the rows by their JS names.
var byName = func() map[string]*Method {
	m := make(map[string]*Method, len(Methods))
	for i := range Methods {
		m[Methods[i].Name] = &Methods[i]
	}
	return m
}()

// ErrUnknownMethod is returned for a method name that is not in the table.
var ErrUnknownMethod = errors.New("unknown method")

// Prepare reads a call's params (no I/O) and returns the work to run, and
// the TL method that names the call in errors.
func Prepare(method string, params Value) (Call, string, error) {
	m, ok := byName[method]
	if !ok {
		return nil, method, errors.Wrap(ErrUnknownMethod, method)
	}
	run, err := m.Params.read(params)
	if err != nil {
		return nil, m.TL, err
	}
	return run, m.TL, nil
}
