package bridge

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tgwasm/tgwasm/internal/client"
	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// A call's params are read here: the shape and JS type of every field (a
// TypeError naming its path). How long a string or list may be is
// internal/client's rule (validate.go), checked once, before anything is
// sent; createClient's options and a call's { signal, timeout } are
// web/tgwasm/options.js's.

// JSType is the JS type of a value, as typeof sees it, with null apart.
type JSType int

// The JS types.
const (
	Undefined JSType = iota
	Null
	Boolean
	Number
	BigIntType
	String
	Symbol
	Function
	ObjectType
)

var typeNames = [...]string{"undefined", "null", "a boolean", "a number", "a bigint", "a string", "a symbol", "a function", "an object"}

func (t JSType) String() string { return typeNames[t] }

// Value is a read-only view of a JS value. Reading a property can fail (a
// throwing getter, a revoked proxy); the js implementation turns those JS
// exceptions into errors.
type Value interface {
	Type() JSType
	Bool() bool
	Float() float64
	Str() string
	// IsArray reports Array.isArray; IsBytes reports a Uint8Array.
	IsArray() bool
	IsBytes() bool
	// Bytes copies a Uint8Array's contents.
	Bytes() []byte
	// Len is the length of an array or Uint8Array.
	Len() (int, error)
	Index(i int) (Value, error)
	Get(key string) (Value, error)
	// Keys lists own enumerable string keys (Object.keys).
	Keys() ([]string, error)
}

// typeName says what type of value v is, for an error message (as
// web/tgwasm/values.js's typeName does).
func typeName(v Value) string {
	switch v.Type() {
	case ObjectType:
		if v.IsArray() {
			return "an array"
		}
		if v.IsBytes() {
			return "a Uint8Array"
		}
	case Number:
		f := v.Float()
		if math.IsNaN(f) {
			return "NaN"
		}
	}
	return v.Type().String()
}

func typeErr(path, want string, v Value) error {
	return &client.ArgError{Path: path, Reason: "must be " + want + ", not " + typeName(v)}
}

// readErr reports a property that could not be read.
func readErr(path string, err error) error {
	return &client.ArgError{Path: path, Reason: "could not be read: " + err.Error()}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object checks that v is a plain object and that it has no keys outside
// allowed; it returns a getter for the allowed keys.
func object(path string, v Value, allowed []string) (func(key string) (Value, error), error) {
	name := path
	if name == "" {
		name = "params"
	}
	if v.Type() != ObjectType || v.IsArray() || v.IsBytes() {
		return nil, typeErr(name, "an object", v)
	}
	keys, err := v.Keys()
	if err != nil {
		return nil, readErr(name, err)
	}
	for _, k := range keys {
		if !contains(allowed, k) {
			msg := "is not a known option"
			if s := suggest(k, allowed); s != "" {
				msg += " (did you mean " + s + "?)"
			} else if len(allowed) == 0 {
				msg += " (this method takes none)"
			} else {
				msg += " (known: " + strings.Join(sorted(allowed), ", ") + ")"
			}
			return nil, &client.ArgError{Path: join(path, k), Reason: msg}
		}
	}
	return func(key string) (Value, error) {
		f, err := v.Get(key)
		if err != nil {
			return nil, readErr(join(path, key), err)
		}
		return f, nil
	}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sorted(list []string) []string {
	out := append([]string(nil), list...)
	sort.Strings(out)
	return out
}

// suggest finds an allowed key that differs from k only in case or
// underscores (allowFlashCall → allowFlashcall, phone_number → phoneNumber).
func suggest(k string, allowed []string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for _, a := range allowed {
		if norm(a) == norm(k) {
			return a
		}
	}
	return ""
}

func present(v Value) bool { return v.Type() != Undefined }

func requiredString(path string, v Value) (string, error) {
	if v.Type() == Undefined {
		return "", &client.ArgError{Path: path, Reason: "is required (a string)"}
	}
	if v.Type() != String {
		return "", typeErr(path, "a string", v)
	}
	return v.Str(), nil
}

func optionalString(path string, v Value) (string, bool, error) {
	if !present(v) {
		return "", false, nil
	}
	if v.Type() != String {
		return "", false, typeErr(path, "a string", v)
	}
	return v.Str(), true, nil
}

func optionalBool(path string, v Value) (bool, error) {
	if !present(v) {
		return false, nil
	}
	if v.Type() != Boolean {
		return false, typeErr(path, "a boolean", v)
	}
	return v.Bool(), nil
}

// codeSettingsKeys are CodeSettings' properties as GramJS spells them.
var codeSettingsKeys = []string{
	"allowFlashcall", "currentNumber", "allowAppHash", "allowMissedCall",
	"allowFirebase", "unknownNumber", "logoutTokens", "token", "appSandbox",
}

// ParseCodeSettings reads a CodeSettings object; undefined is empty settings.
func ParseCodeSettings(path string, v Value) (tl.CodeSettings, error) {
	var s tl.CodeSettings
	if !present(v) {
		return s, nil
	}
	get, err := object(path, v, codeSettingsKeys)
	if err != nil {
		return s, err
	}
	bools := []struct {
		key string
		dst *bool
	}{
		{"allowFlashcall", &s.AllowFlashcall},
		{"currentNumber", &s.CurrentNumber},
		{"allowAppHash", &s.AllowAppHash},
		{"allowMissedCall", &s.AllowMissedCall},
		{"allowFirebase", &s.AllowFirebase},
		{"unknownNumber", &s.UnknownNumber},
		{"appSandbox", &s.AppSandbox},
	}
	for _, b := range bools {
		f, err := get(b.key)
		if err != nil {
			return s, err
		}
		if *b.dst, err = optionalBool(join(path, b.key), f); err != nil {
			return s, err
		}
	}
	f, err := get("token")
	if err != nil {
		return s, err
	}
	if tok, ok, err := optionalString(join(path, "token"), f); err != nil {
		return s, err
	} else if ok {
		s.SetToken(tok)
	}
	f, err = get("logoutTokens")
	if err != nil {
		return s, err
	}
	if present(f) {
		p := join(path, "logoutTokens")
		if f.Type() != ObjectType || !f.IsArray() {
			return s, typeErr(p, "an array of Uint8Array", f)
		}
		n, err := f.Len()
		if err != nil {
			return s, readErr(p, err)
		}
		tokens := make([][]byte, 0, n)
		for i := 0; i < n; i++ {
			ip := p + "[" + strconv.Itoa(i) + "]"
			e, err := f.Index(i)
			if err != nil {
				return s, readErr(ip, err)
			}
			if e.Type() != ObjectType || !e.IsBytes() {
				return s, typeErr(ip, "a Uint8Array", e)
			}
			tokens = append(tokens, e.Bytes())
		}
		s.SetLogoutTokens(tokens)
	}
	s.SetFlags()
	return s, nil
}

// SendCodeParams are the parameters of sendChangePhoneCode,
// sendVerifyPhoneCode and sendCode.
type SendCodeParams struct {
	PhoneNumber string
	Settings    tl.CodeSettings
}

// ParseSendCodeParams reads { phoneNumber, settings? }.
func ParseSendCodeParams(v Value) (SendCodeParams, error) {
	var p SendCodeParams
	get, err := object("", v, []string{"phoneNumber", "settings"})
	if err != nil {
		return p, err
	}
	f, err := get("phoneNumber")
	if err != nil {
		return p, err
	}
	if p.PhoneNumber, err = requiredString("phoneNumber", f); err != nil {
		return p, err
	}
	f, err = get("settings")
	if err != nil {
		return p, err
	}
	if f.Type() == Null {
		return p, typeErr("settings", "an object", f)
	}
	p.Settings, err = ParseCodeSettings("settings", f)
	return p, err
}

// CodeParams are { phoneNumber, phoneCodeHash, phoneCode?, reason? }.
type CodeParams struct {
	PhoneNumber   string
	PhoneCodeHash string
	PhoneCode     string
	Reason        string
}

// ParseCodeParams reads the parameters of changePhone/verifyPhone/signIn
// (withCode), resendCode (withReason) and cancelCode (neither).
func ParseCodeParams(v Value, withCode, withReason bool) (CodeParams, error) {
	var p CodeParams
	keys := []string{"phoneNumber", "phoneCodeHash"}
	if withCode {
		keys = append(keys, "phoneCode")
	}
	if withReason {
		keys = append(keys, "reason")
	}
	get, err := object("", v, keys)
	if err != nil {
		return p, err
	}
	for _, s := range []struct {
		key string
		dst *string
	}{{"phoneNumber", &p.PhoneNumber}, {"phoneCodeHash", &p.PhoneCodeHash}} {
		f, err := get(s.key)
		if err != nil {
			return p, err
		}
		if *s.dst, err = requiredString(s.key, f); err != nil {
			return p, err
		}
	}
	if withCode {
		f, err := get("phoneCode")
		if err != nil {
			return p, err
		}
		if p.PhoneCode, err = requiredString("phoneCode", f); err != nil {
			return p, err
		}
	}
	if withReason {
		f, err := get("reason")
		if err != nil {
			return p, err
		}
		if p.Reason, _, err = optionalString("reason", f); err != nil {
			return p, err
		}
	}
	return p, nil
}

// ParseStringParam reads { key: string } (checkPassword's password,
// signInBot's botToken).
func ParseStringParam(v Value, key string) (string, error) {
	get, err := object("", v, []string{key})
	if err != nil {
		return "", err
	}
	f, err := get(key)
	if err != nil {
		return "", err
	}
	return requiredString(key, f)
}

// ParseNoParams accepts undefined or an empty object.
func ParseNoParams(v Value) error {
	if !present(v) {
		return nil
	}
	_, err := object("", v, nil)
	return err
}
