package testdc

import (
	"strings"
	"time"

	"github.com/gotd/td/tg"
)

// delivery is one way of delivering a code.
type delivery int

const (
	viaApp delivery = iota
	viaSMS
	viaCall
	viaFlashCall
	viaMissedCall
	viaEmail
	viaSetUpEmail
	viaFragment
	viaFirebase
	viaSMSWord
	viaSMSPhrase
)

var deliveryNames = [...]string{"app", "sms", "call", "flash call", "missed call", "email", "email setup", "fragment", "firebase", "sms word", "sms phrase"}

func (d delivery) String() string { return deliveryNames[d] }

// codeLength is the length of every code the DC sends.
const codeLength = 5

// sentType renders d as the auth.SentCodeType the client receives.
func (d delivery) sentType() tg.AuthSentCodeTypeClass {
	switch d {
	case viaApp:
		return &tg.AuthSentCodeTypeApp{Length: codeLength}
	case viaSMS:
		return &tg.AuthSentCodeTypeSMS{Length: codeLength}
	case viaCall:
		return &tg.AuthSentCodeTypeCall{Length: codeLength}
	case viaFlashCall:
		return &tg.AuthSentCodeTypeFlashCall{Pattern: "+99966*****"}
	case viaMissedCall:
		return &tg.AuthSentCodeTypeMissedCall{Prefix: "+99966", Length: codeLength}
	case viaEmail:
		t := &tg.AuthSentCodeTypeEmailCode{EmailPattern: "d***@example.com", Length: codeLength, GoogleSigninAllowed: true}
		t.SetFlags()
		return t
	case viaSetUpEmail:
		t := &tg.AuthSentCodeTypeSetUpEmailRequired{AppleSigninAllowed: true}
		t.SetFlags()
		return t
	case viaFragment:
		return &tg.AuthSentCodeTypeFragmentSMS{URL: "https://fragment.com/number/99966", Length: codeLength}
	case viaFirebase:
		t := &tg.AuthSentCodeTypeFirebaseSMS{
			Nonce:                  []byte{0xf0, 0x0d, 0xca, 0xfe},
			PlayIntegrityProjectID: 1234567890123456789,
			PlayIntegrityNonce:     []byte{1, 2, 3, 4, 5, 6, 7, 8},
			PushTimeout:            30,
			Length:                 codeLength,
		}
		t.SetFlags()
		return t
	case viaSMSWord:
		t := &tg.AuthSentCodeTypeSMSWord{Beginning: "a"}
		t.SetFlags()
		return t
	case viaSMSPhrase:
		t := &tg.AuthSentCodeTypeSMSPhrase{Beginning: "apple"}
		t.SetFlags()
		return t
	}
	return &tg.AuthSentCodeTypeSMS{Length: codeLength}
}

// codeType renders d as an auth.CodeType (a nextType); only some deliveries
// have one.
func (d delivery) codeType() tg.AuthCodeTypeClass {
	switch d {
	case viaSMS:
		return &tg.AuthCodeTypeSMS{}
	case viaCall:
		return &tg.AuthCodeTypeCall{}
	case viaFlashCall:
		return &tg.AuthCodeTypeFlashCall{}
	case viaMissedCall:
		return &tg.AuthCodeTypeMissedCall{}
	case viaFragment:
		return &tg.AuthCodeTypeFragmentSMS{}
	}
	return nil
}

// outcome is what a code request for a number produces.
type outcome int

const (
	outSent           outcome = iota // an auth.sentCode following plan.chain
	outSuccess                       // auth.sentCodeSuccess
	outPayment                       // auth.sentCodePaymentRequired
	outBanned                        // 400 PHONE_NUMBER_BANNED
	outFreshForbidden                // 406 FRESH_CHANGE_PHONE_FORBIDDEN (change only)
	outMigrate                       // 303 PHONE_MIGRATE_1 unless on DC 1
	outBig                           // auth.sentCode with a 1 MiB phone_code_hash
	outGzip                          // auth.sentCode packed in gzip_packed
	outFloodShort                    // 420 FLOOD_WAIT_1 once, then as 01
)

// plan is the rule selected by a number.
type plan struct {
	outcome outcome
	// chain lists the deliveries: the first is used now, the next one is
	// the nextType, and auth.resendCode walks the chain.
	chain []delivery
	// timed reports whether the answer carries timeout (and the code
	// expires after it).
	timed bool
}

// planFor selects the rule from the last two digits of a normalized number.
// The table is the package documentation's "Numbers" table.
func planFor(phone string) plan {
	if len(phone) < 2 {
		return plan{chain: []delivery{viaSMS, viaCall}, timed: true}
	}
	switch phone[len(phone)-2:] {
	case "00":
		return plan{chain: []delivery{viaApp, viaSMS, viaCall}, timed: true}
	case "01":
		return plan{chain: []delivery{viaSMS, viaCall, viaFlashCall}, timed: true}
	case "02":
		return plan{chain: []delivery{viaCall, viaFlashCall, viaMissedCall}, timed: true}
	case "03":
		return plan{chain: []delivery{viaFlashCall, viaMissedCall, viaFragment}, timed: true}
	case "04":
		return plan{chain: []delivery{viaMissedCall, viaFragment}, timed: true}
	case "05":
		return plan{chain: []delivery{viaEmail}}
	case "06":
		return plan{chain: []delivery{viaSetUpEmail}}
	case "07":
		return plan{chain: []delivery{viaFragment}}
	case "08":
		return plan{chain: []delivery{viaFirebase, viaSMS}, timed: true}
	case "09":
		return plan{chain: []delivery{viaSMSWord}}
	case "10":
		return plan{chain: []delivery{viaSMSPhrase}}
	case "11":
		return plan{chain: []delivery{viaSMS}}
	case "12":
		return plan{outcome: outSuccess}
	case "13":
		return plan{outcome: outPayment}
	case "20":
		return plan{outcome: outBanned}
	case "21":
		return plan{outcome: outFreshForbidden, chain: []delivery{viaSMS, viaCall}, timed: true}
	case "22":
		return plan{outcome: outMigrate, chain: []delivery{viaSMS, viaCall}, timed: true}
	case "23":
		return plan{outcome: outBig, chain: []delivery{viaSMS}}
	case "24":
		return plan{outcome: outGzip, chain: []delivery{viaSMS, viaCall}, timed: true}
	case "25":
		return plan{outcome: outFloodShort, chain: []delivery{viaSMS, viaCall}, timed: true}
	}
	return plan{chain: []delivery{viaSMS, viaCall}, timed: true}
}

// purpose tells what a pending code is for.
type purpose int

const (
	forLogin purpose = iota
	forChange
	forVerify
)

func (p purpose) String() string {
	return [...]string{"login", "change phone", "verify phone"}[p]
}

// pendingCode is a sent code awaiting signIn/changePhone/verifyPhone.
type pendingCode struct {
	phone   string
	hash    string
	code    string
	purpose purpose
	userID  int64 // the requesting account for change/verify
	chain   []delivery
	step    int
	timed   bool
	expires time.Time
}

// sentCode renders the current step.
func (p *pendingCode) sentCode(timeout int) *tg.AuthSentCode {
	sc := &tg.AuthSentCode{
		Type:          p.chain[p.step].sentType(),
		PhoneCodeHash: p.hash,
	}
	if p.step+1 < len(p.chain) {
		sc.SetNextType(p.chain[p.step+1].codeType())
	}
	if p.timed {
		sc.SetTimeout(timeout)
	}
	return sc
}

// CodeRecord is one code the DC delivered (see Server.Codes).
type CodeRecord struct {
	Phone    string    `json:"phone"`
	Code     string    `json:"code"`
	Purpose  string    `json:"purpose"`
	Delivery string    `json:"delivery"`
	Hash     string    `json:"phoneCodeHash"`
	Time     time.Time `json:"time"`
}

// codeFor returns the code DC dc sends: its number five times.
func codeFor(dc int) string {
	return strings.Repeat(string(rune('0'+dc%10)), codeLength)
}
