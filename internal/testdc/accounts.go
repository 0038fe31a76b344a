package testdc

import (
	"strings"

	"github.com/gotd/td/tg"
)

// Account is a user of the local DC.
type Account struct {
	// ID is the user id; assigned when zero.
	ID int64
	// Phone is the number, digits only (a leading "+" is accepted).
	Phone string
	// DC is the account's home DC; sendCode elsewhere answers PHONE_MIGRATE.
	DC        int
	FirstName string
	LastName  string
	Username  string
	// Password, when set, turns on two-step verification (SRP).
	Password string
	// BotToken, when set, makes the account a bot that logs in with it.
	BotToken string
}

// DefaultAccounts are the accounts a DC starts with when Options.Accounts
// is nil. Numbers follow Telegram's test-DC convention 99966XYYYY where X is
// the home DC.
func DefaultAccounts() []Account {
	return []Account{
		{ID: 1000001, Phone: "9996620000", DC: 2, FirstName: "Demo", LastName: "User", Username: "demo"},
		{ID: 1000002, Phone: "9996620001", DC: 2, FirstName: "Alice", Username: "alice"},
		{ID: 1000003, Phone: "9996621111", DC: 2, FirstName: "Bob", Username: "bob", Password: "hunter2"},
		{ID: 1000004, Phone: "9996610001", DC: 1, FirstName: "Carol", Username: "carol"},
		{ID: 1000005, Phone: "9996611111", DC: 1, FirstName: "Dave", Username: "dave", Password: "correct horse"},
		{ID: 1000006, DC: 2, FirstName: "tgwasm test bot", Username: "tgwasm_test_bot", BotToken: "1000006:TESTtokenForTheLocalDC"},
	}
}

// account is the mutable server-side record of an Account.
type account struct {
	Account
	accessHash int64
	srp        *srpVerifier // nil without a password
}

// user renders the account as a tg.User; self marks the caller's own record.
func (a *account) user(self bool) *tg.User {
	u := &tg.User{
		Self:       self,
		ID:         a.ID,
		AccessHash: a.accessHash,
		FirstName:  a.FirstName,
		LastName:   a.LastName,
		Username:   a.Username,
		Phone:      a.Phone,
		Bot:        a.BotToken != "",
		Status:     &tg.UserStatusRecently{},
	}
	if u.Bot {
		u.BotInfoVersion = 1
		u.Phone = ""
		u.Status = nil
	}
	u.SetFlags()
	return u
}

// normalizePhone strips the formatting people type and reports whether the
// rest is a plausible international number (7 to 15 digits).
func normalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return "", false
		}
	}
	n := b.String()
	return n, len(n) >= 7 && len(n) <= 15
}
