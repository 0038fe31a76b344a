package bridge

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/tgwasm/tgwasm/internal/client"
)

// shaped turns a fuzz byte into a JS value of some kind, using s where a
// string fits.
func shaped(kind byte, s string) *jv {
	switch kind % 10 {
	case 0:
		return str(s)
	case 1:
		return num(float64(len(s)))
	case 2:
		return undef
	case 3:
		return null
	case 4:
		return bigint
	case 5:
		return boolean(len(s)%2 == 0)
	case 6:
		return u8([]byte(s)...)
	case 7:
		return arr(str(s), u8(1))
	case 8:
		return throwing(obj(), "x", s)
	default:
		return obj("k", str(s))
	}
}

// FuzzParseSendCodeParams: argument parsing never panics; it either names
// the bad field in a TypeError or reads the arguments faithfully, and the
// client's limits then accept them or name the field in a RangeError.
func FuzzParseSendCodeParams(f *testing.F) {
	f.Add("+15551234567", "token", byte(0), byte(0), byte(0), byte(2), uint8(1))
	f.Add("", "", byte(1), byte(3), byte(4), byte(7), uint8(0))
	f.Add(strings.Repeat("9", 40), "\xff", byte(0), byte(0), byte(6), byte(1), uint8(70))
	f.Fuzz(func(t *testing.T, phone, token string, phoneKind, settingsKind, flagKind, tokenKind byte, logoutTokens uint8) {
		settings := obj(
			"allowFlashcall", shaped(flagKind, token),
			"token", shaped(tokenKind, token),
		)
		if logoutTokens > 0 {
			items := make([]*jv, int(logoutTokens)%80)
			for i := range items {
				items[i] = u8([]byte(strings.Repeat("t", i*17))...)
			}
			settings.props["logoutTokens"] = arr(items...)
			settings.keys = append(settings.keys, "logoutTokens")
		}
		var settingsV *jv
		if settingsKind%3 == 0 {
			settingsV = settings
		} else {
			settingsV = shaped(settingsKind, token)
		}
		p, err := ParseSendCodeParams(obj("phoneNumber", shaped(phoneKind, phone), "settings", settingsV))
		if err != nil {
			var argErr *client.ArgError
			require.ErrorAs(t, err, &argErr)
			require.NotEmpty(t, argErr.Path)
			return
		}
		require.Equal(t, phone, p.PhoneNumber)
		if settingsKind%3 == 0 && logoutTokens > 0 {
			require.Len(t, p.Settings.LogoutTokens, int(logoutTokens)%80)
		}
		for _, check := range []error{
			client.CheckPhone("phoneNumber", p.PhoneNumber),
			client.CheckCodeSettings("settings", &p.Settings),
		} {
			if check == nil {
				continue
			}
			var argErr *client.ArgError
			require.ErrorAs(t, check, &argErr)
			require.NotEmpty(t, argErr.Path)
		}
		if client.CheckPhone("phoneNumber", p.PhoneNumber) == nil {
			require.True(t, utf8.ValidString(p.PhoneNumber))
			require.LessOrEqual(t, client.UTF16Len(p.PhoneNumber), client.MaxPhoneNumber)
		}
		if client.CheckCodeSettings("settings", &p.Settings) == nil {
			require.LessOrEqual(t, len(p.Settings.LogoutTokens), client.MaxLogoutTokens)
			for _, tok := range p.Settings.LogoutTokens {
				require.LessOrEqual(t, len(tok), client.MaxLogoutToken)
			}
			require.LessOrEqual(t, client.UTF16Len(p.Settings.Token), client.MaxToken)
		}
	})
}
