// Package gotdserver holds one test: the session layer (mtconn) against
// gotd's own server side (tgtest). It lives apart from mtconn so that
// mtconn's test binary, which the fuzzer instruments, links none of
// gotd's tg.
package gotdserver
