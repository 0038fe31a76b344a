package client

import (
	"strconv"
	"unicode/utf8"

	"github.com/tgwasm/tgwasm/internal/client/tl"
)

// Local limits on arguments, checked here once before anything is sent
// (every method calls them; the bridge only reads the JS types). They are
// far above anything Telegram accepts, so a value they reject could never
// succeed; they keep a page from sending megabytes by mistake. Strings are
// counted in UTF-16 code units, as Telegram counts text
// (core.telegram.org/api/entities) and JavaScript's String.length does.
const (
	MaxPhoneNumber   = 32   // "+1 (555) 123-4567" is 17
	MaxPhoneCode     = 32   // codes are 5–6 digits, words or phrases
	MaxPhoneCodeHash = 4096 // Telegram's are ~18 characters
	MaxReason        = 256
	MaxToken         = 4096
	MaxLogoutTokens  = 64
	MaxLogoutToken   = 1024
	MaxPassword      = 1024
	MaxBotToken      = 256
)

func checkString(path, v string, max int) error {
	if !utf8.ValidString(v) {
		return &ArgError{Path: path, Reason: "must be valid UTF-8"}
	}
	if n := UTF16Len(v); n > max {
		return &ArgError{Path: path, Reason: "is longer than " + strconv.Itoa(max) + " characters (UTF-16 code units)", Range: true}
	}
	return nil
}

// UTF16Len is the length of a valid UTF-8 string in UTF-16 code units:
// characters outside the Basic Multilingual Plane take two.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// CheckCodeSettings validates CodeSettings sizes.
func CheckCodeSettings(path string, s *tl.CodeSettings) error {
	if len(s.LogoutTokens) > MaxLogoutTokens {
		return &ArgError{Path: path + ".logoutTokens", Reason: "has more than " + strconv.Itoa(MaxLogoutTokens) + " entries", Range: true}
	}
	for i, t := range s.LogoutTokens {
		if len(t) > MaxLogoutToken {
			return &ArgError{Path: path + ".logoutTokens[" + strconv.Itoa(i) + "]", Reason: "is longer than " + strconv.Itoa(MaxLogoutToken) + " bytes", Range: true}
		}
	}
	return checkString(path+".token", s.Token, MaxToken)
}

// CheckPhone validates a phone number argument.
func CheckPhone(path, v string) error { return checkString(path, v, MaxPhoneNumber) }

// CheckCode validates the arguments that identify a sent code.
func CheckCode(phone, hash, code string) error {
	if err := CheckPhone("phoneNumber", phone); err != nil {
		return err
	}
	if err := checkString("phoneCodeHash", hash, MaxPhoneCodeHash); err != nil {
		return err
	}
	return checkString("phoneCode", code, MaxPhoneCode)
}
