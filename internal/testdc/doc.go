// Package testdc is a local, deterministic Telegram-like DC cluster for
// tgwasm's tests, demo and benchmarks, built on gotd's tgtest server.
//
// One WebSocket endpoint (subprotocol "binary", obfuscated2, intermediate,
// padded intermediate or abridged framing) serves every DC: the client names
// the DC in its obfuscated2 header, as with MTProxy, so a client needs one
// URL. A client that leaves the header's DC random (GramJS in a browser,
// which expects one host per DC) names it in the URL instead: ?dc=2.
// Browsers may connect from any loopback origin (localhost, 127.0.0.1,
// [::1], any port); other origins are refused with 403. The listener binds
// loopback addresses only unless Options.AllowRemote is set. All DCs share
// one RSA key (Server.PublicKeyPEM) and one account store.
//
// # Behaviour
//
//	what                          | behaviour
//	------------------------------|---------------------------------------------------------------
//	accounts                      | DefaultAccounts: +9996620000 Demo User (DC 2, the pre-authorized one),
//	                              | +9996620001 Alice (DC 2), +9996621111 Bob (DC 2, password "hunter2"),
//	                              | +9996610001 Carol (DC 1), +9996611111 Dave (DC 1, password "correct horse"),
//	                              | bot @tgwasm_test_bot (DC 2, token "1000006:TESTtokenForTheLocalDC")
//	authorization                 | per auth key: after auth.signIn/checkPassword/importBotAuthorization/
//	                              | importAuthorization; with PreAuthorize every new key is Demo User until
//	                              | auth.logOut
//	every connection              | must start with invokeWithLayer(initConnection(...)): else 400
//	                              | CONNECTION_NOT_INITED; api_id <= 0 gives 400 API_ID_INVALID
//	msg_id window                 | a request more than 300 s older or 30 s newer than the DC clock gets
//	                              | bad_msg_notification 16 / 17 and is not processed
//	unauthorized key              | account.*, users.getUsers, auth.logOut, auth.exportAuthorization:
//	                              | 401 AUTH_KEY_UNREGISTERED
//	phone number                  | "+", spaces, "-", ".", "(", ")" are ignored; not 7..15 digits after
//	                              | that: 400 PHONE_NUMBER_INVALID
//	flood                         | more than FloodLimit (5) code requests for one number within
//	                              | FloodWindow (60 s): 420 FLOOD_WAIT_<seconds left in the window>
//	sendChangePhoneCode to a      | 400 PHONE_NUMBER_OCCUPIED
//	number that has an account    |
//	auth.sendCode for an account  | 303 PHONE_MIGRATE_<home DC>
//	homed on another DC           |
//	codes                         | the code is the sending DC's number five times ("22222" on DC 2),
//	                              | whatever the delivery; it is written to Options.CodeLog and listed
//	                              | by Codes and GET /testdc/codes; it expires after the answer's timeout
//	                              | (CodeTimeout, 60 s), or after 5 minutes when there is none
//	wrong code / expired code     | 400 PHONE_CODE_INVALID / 400 PHONE_CODE_EXPIRED (also after
//	                              | auth.cancelCode); empty code 400 PHONE_CODE_EMPTY
//	auth.signIn, 2FA account      | 401 SESSION_PASSWORD_NEEDED; auth.checkPassword verifies real SRP
//	                              | (wrong password: 400 PASSWORD_HASH_INVALID)
//	auth.signIn, no account       | auth.authorizationSignUpRequired
//	account.changePhone           | moves the account to the new number; the old number is free
//	auth.resendCode               | walks the chain below (the same phone_code_hash);
//	                              | at its end 400 SEND_CODE_UNAVAILABLE
//	auth.exportAuthorization(dc)  | a one-time token; auth.importAuthorization on that DC logs the key in
//	help.getConfig                | this DC and the cluster's DCs on 127.0.0.1, the usual limits (GramJS
//	                              | starts every connection with it)
//
// # Numbers
//
// auth.sendCode, account.sendChangePhoneCode and account.sendVerifyPhoneCode
// answer by the last two digits of the number; the chain lists the delivery
// now, then what auth.resendCode moves to (the first of those is nextType).
//
//	ends in | answer
//	--------|-----------------------------------------------------------------------------
//	00      | sentCodeTypeApp(5)            → sms → call            timeout 60
//	01      | sentCodeTypeSms(5)            → call → flash call     timeout 60
//	02      | sentCodeTypeCall(5)           → flash call → missed   timeout 60
//	03      | sentCodeTypeFlashCall         → missed call → fragment timeout 60
//	04      | sentCodeTypeMissedCall(5)     → fragment sms          timeout 60
//	05      | sentCodeTypeEmailCode(5), no nextType, no timeout
//	06      | sentCodeTypeSetUpEmailRequired, no nextType, no timeout
//	07      | sentCodeTypeFragmentSms(5), no nextType, no timeout
//	08      | sentCodeTypeFirebaseSms(5) (bytes nonce, long project id) → sms, timeout 60
//	09      | sentCodeTypeSmsWord, no nextType, no timeout
//	10      | sentCodeTypeSmsPhrase, no nextType, no timeout
//	11      | sentCodeTypeSms(5), no nextType, no timeout
//	12      | auth.sentCodeSuccess (an auth.authorization)
//	13      | auth.sentCodePaymentRequired
//	20      | 400 PHONE_NUMBER_BANNED
//	21      | 406 FRESH_CHANGE_PHONE_FORBIDDEN (sendChangePhoneCode; otherwise as "other")
//	22      | 303 PHONE_MIGRATE_1 on any DC but 1 in a cluster of two or more; on DC 1 as "other"
//	23      | as 11 with a 1 MiB phone_code_hash
//	24      | as "other", packed in gzip_packed
//	25      | alternately 420 FLOOD_WAIT_1 and (a second or more later) as "other"
//	other   | sentCodeTypeSms(5) → call, timeout 60
//
// # Fault switches
//
// Faults (and POST /testdc/faults with a JSON FaultSettings body) can drop
// the socket of the N-th API request without answering (once, or every N;
// the rest of its container is not read),
// leave the N-th API request unanswered on a healthy connection (hangAfter:
// pings are still answered), delay every answer, make sent codes carry a
// 1 MiB phone_code_hash, pack every answer in gzip_packed, refuse new
// WebSocket handshakes with 503, and shift the DC's clock.
// Blackhole (POST /testdc/blackhole) makes every WebSocket connection open
// at that moment go silent at every layer, as when a laptop sleeps or a NAT
// forgets the mapping: below the WebSocket server, what the client sends
// (a close frame too) is dropped, nothing more reaches it (no answer, no
// close frame, no FIN or reset, also when the DC itself closes the
// connection), and only the client can end it; new connections work.
// It answers how many connections it silenced and their ids; Stats'
// silenced and silencedIds tell which of them their clients still hold
// open.
// Forget (POST /testdc/forget) makes the DCs forget every auth key seen so
// far: their next frame is answered with transport error -404. Revoke
// (POST /testdc/revoke) logs every key out: AUTH_KEY_UNREGISTERED.
//
// # Control API
//
//	GET  /testdc/config   the createClient({ server }) value for this endpoint
//	GET  /testdc/codes    delivered codes, oldest first (?phone= filters)
//	GET  /testdc/faults   current switches; POST (application/json) sets them
//	GET  /testdc/stats    API requests received, dropped and left unanswered;
//	                      connections open now and opened so far, and
//	                      WebSocket upgrades (also those that never spoke);
//	                      auth keys that made API calls; silenced
//	                      connections their clients still hold open
//	POST /testdc/forget   forget every auth key seen so far
//	POST /testdc/revoke   log every auth key out
//	POST /testdc/blackhole  silence every open connection (see above):
//	                      { silenced, ids }
package testdc
