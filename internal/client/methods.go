package client

import (
	"context"

	"github.com/go-faster/errors"
	"github.com/gotd/td/tgerr"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// SendChangePhoneCode sends a code to verify a new phone number before
// account.changePhone.
func (c *Client) SendChangePhoneCode(ctx context.Context, phone string, settings tl.CodeSettings) (TL, error) {
	if err := CheckPhone("phoneNumber", phone); err != nil {
		return nil, err
	}
	if err := CheckCodeSettings("settings", &settings); err != nil {
		return nil, err
	}
	settings.SetFlags()
	var out sentCodeResult
	if err := c.Invoke(ctx, &tl.AccountSendChangePhoneCodeRequest{PhoneNumber: phone, Settings: settings}, &out); err != nil {
		return nil, err
	}
	return out.v, nil
}

// SendVerifyPhoneCode sends a code to verify a phone number for Telegram
// Passport before account.verifyPhone.
func (c *Client) SendVerifyPhoneCode(ctx context.Context, phone string, settings tl.CodeSettings) (TL, error) {
	if err := CheckPhone("phoneNumber", phone); err != nil {
		return nil, err
	}
	if err := CheckCodeSettings("settings", &settings); err != nil {
		return nil, err
	}
	settings.SetFlags()
	var out sentCodeResult
	if err := c.Invoke(ctx, &tl.AccountSendVerifyPhoneCodeRequest{PhoneNumber: phone, Settings: settings}, &out); err != nil {
		return nil, err
	}
	return out.v, nil
}

// ChangePhone completes a number change with the code sent by
// SendChangePhoneCode and returns the updated user.
func (c *Client) ChangePhone(ctx context.Context, phone, hash, code string) (tl.UserClass, error) {
	if err := CheckCode(phone, hash, code); err != nil {
		return nil, err
	}
	var out tl.UserBox
	if err := c.Invoke(ctx, &tl.AccountChangePhoneRequest{PhoneNumber: phone, PhoneCodeHash: hash, PhoneCode: code}, &out); err != nil {
		return nil, err
	}
	return out.User, nil
}

// VerifyPhone completes a Passport verification with the code sent by
// SendVerifyPhoneCode.
func (c *Client) VerifyPhone(ctx context.Context, phone, hash, code string) error {
	if err := CheckCode(phone, hash, code); err != nil {
		return err
	}
	var out tl.BoolBox
	if err := c.Invoke(ctx, &tl.AccountVerifyPhoneRequest{PhoneNumber: phone, PhoneCodeHash: hash, PhoneCode: code}, &out); err != nil {
		return err
	}
	return boolResult(out, "account.verifyPhone")
}

// ResendCode asks for the code again by the previous answer's nextType.
func (c *Client) ResendCode(ctx context.Context, phone, hash, reason string) (TL, error) {
	if err := CheckCode(phone, hash, ""); err != nil {
		return nil, err
	}
	if err := checkString("reason", reason, MaxReason); err != nil {
		return nil, err
	}
	req := &tl.AuthResendCodeRequest{PhoneNumber: phone, PhoneCodeHash: hash}
	if reason != "" {
		req.SetReason(reason)
	}
	var out sentCodeResult
	if err := c.Invoke(ctx, req, &out); err != nil {
		return nil, err
	}
	return out.v, nil
}

// CancelCode invalidates a sent code.
func (c *Client) CancelCode(ctx context.Context, phone, hash string) error {
	if err := CheckCode(phone, hash, ""); err != nil {
		return err
	}
	var out tl.BoolBox
	if err := c.Invoke(ctx, &tl.AuthCancelCodeRequest{PhoneNumber: phone, PhoneCodeHash: hash}, &out); err != nil {
		return err
	}
	return boolResult(out, "auth.cancelCode")
}

// SendCode starts a login: Telegram sends a code to phone.
func (c *Client) SendCode(ctx context.Context, phone string, settings tl.CodeSettings) (TL, error) {
	if err := CheckPhone("phoneNumber", phone); err != nil {
		return nil, err
	}
	if err := CheckCodeSettings("settings", &settings); err != nil {
		return nil, err
	}
	settings.SetFlags()
	var out sentCodeResult
	if err := c.Invoke(ctx, &tl.AuthSendCodeRequest{
		PhoneNumber: phone,
		APIID:       c.opts.APIID,
		APIHash:     c.opts.APIHash,
		Settings:    settings,
	}, &out); err != nil {
		return nil, err
	}
	if _, ok := out.v.(*SentCodeSuccess); ok {
		c.authorized()
	}
	return out.v, nil
}

// ErrSignUpRequired is returned by SignIn for a number without an account
// (sign-up is not part of this client).
var ErrSignUpRequired = &RPCError{Err: tgerr.New(400, "PHONE_NUMBER_UNOCCUPIED"), Method: "auth.signIn"}

// SignIn completes a login with the code. When the account has a
// password it fails with SESSION_PASSWORD_NEEDED: call CheckPassword.
func (c *Client) SignIn(ctx context.Context, phone, hash, code string) (*tl.User, error) {
	if err := CheckCode(phone, hash, code); err != nil {
		return nil, err
	}
	var out authResult
	if err := c.Invoke(ctx, &tl.AuthSignInRequest{PhoneNumber: phone, PhoneCodeHash: hash, PhoneCode: code}, &out); err != nil {
		return nil, err
	}
	return c.authorizationUser(out, "auth.signIn")
}

// CheckPassword completes a login with the two-step verification password
// (SRP: the password never leaves the client).
func (c *Client) CheckPassword(ctx context.Context, password string) (*tl.User, error) {
	if err := checkString("password", password, MaxPassword); err != nil {
		return nil, err
	}
	var p tl.AccountPassword
	if err := c.Invoke(ctx, &tl.AccountGetPasswordRequest{}, &p); err != nil {
		return nil, err
	}
	if !p.HasPassword {
		return nil, &RPCError{Err: tgerr.New(400, "PASSWORD_EMPTY"), Method: "account.getPassword"}
	}
	srp, err := srpAnswer([]byte(password), &p, &c.opts)
	if err != nil {
		return nil, errors.Wrap(err, "compute password hash")
	}
	var out authResult
	if err := c.Invoke(ctx, &tl.AuthCheckPasswordRequest{Password: srp}, &out); err != nil {
		return nil, err
	}
	return c.authorizationUser(out, "auth.checkPassword")
}

// SignInBot logs in as a bot with its token.
func (c *Client) SignInBot(ctx context.Context, token string) (*tl.User, error) {
	if err := checkString("botToken", token, MaxBotToken); err != nil {
		return nil, err
	}
	var out authResult
	if err := c.Invoke(ctx, &tl.AuthImportBotAuthorizationRequest{
		APIID:        c.opts.APIID,
		APIHash:      c.opts.APIHash,
		BotAuthToken: token,
	}, &out); err != nil {
		return nil, err
	}
	return c.authorizationUser(out, "auth.importBotAuthorization")
}

// LogOut ends the authorization. The auth key stays (unauthorized).
func (c *Client) LogOut(ctx context.Context) error {
	var out tl.AuthLoggedOut
	err := c.Invoke(ctx, &tl.AuthLogOutRequest{}, &out)
	if tgerr.Is(err, "AUTH_KEY_UNREGISTERED") {
		// Already logged out (or a replayed logOut that went through).
		return nil
	}
	return err
}

// GetMe returns the logged-in user.
func (c *Client) GetMe(ctx context.Context) (*tl.User, error) {
	var out tl.UserClassVector
	if err := c.Invoke(ctx, &tl.UsersGetUsersRequest{ID: []tl.InputUserClass{&tl.InputUserSelf{}}}, &out); err != nil {
		return nil, err
	}
	for _, u := range out.Elems {
		if user, ok := u.(*tl.User); ok {
			return user, nil
		}
	}
	return nil, errors.New("users.getUsers answered no user")
}

func (c *Client) authorized() {
	// The key on the primary DC is now logged in; the session string
	// already carries it.
	c.saveSession()
}

func (c *Client) authorizationUser(a authResult, method string) (*tl.User, error) {
	if a.signUp {
		return nil, ErrSignUpRequired
	}
	c.authorized()
	if u, ok := a.auth.User.(*tl.User); ok {
		return u, nil
	}
	return nil, errors.Errorf("%s answered %T", method, a.auth.User)
}

func boolResult(b tl.BoolBox, method string) error {
	if _, ok := b.Bool.(*tl.BoolTrue); ok {
		return nil
	}
	return errors.Errorf("%s answered false", method)
}
