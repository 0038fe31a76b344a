package bridge

// Network is what the client does with the page's signals about the
// network and its own life (implemented by *client.Client).
type Network interface {
	SetOnline(online bool)
	Check()
}

// Signal passes on a signal the page forwards (web/tgwasm/signals.js):
//
//	"online"  the browser's online event: reconnect at once, probe the link
//	"offline" the browser's offline event: no attempts until online
//	"check"   the page became visible or resumed from being frozen: probe
//	          the link now rather than at the next keep-alive
//
// Unknown names are ignored (a newer page talking to an older wasm).
func Signal(n Network, name string) {
	switch name {
	case "online":
		n.SetOnline(true)
	case "offline":
		n.SetOnline(false)
	case "check":
		n.Check()
	}
}
