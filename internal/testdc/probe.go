package testdc

import (
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
	"github.com/gotd/td/proto"
)

// ReqPQ is an unencrypted req_pq_multi with nonce, the first message of a
// key exchange: the smallest thing a test sends to see whether a DC
// answers (with resPQ carrying the same nonce).
func ReqPQ(nonce bin.Int128) *bin.Buffer {
	var body bin.Buffer
	_ = (&mt.ReqPqMultiRequest{Nonce: nonce}).Encode(&body)
	msg := proto.UnencryptedMessage{MessageID: int64(proto.NewMessageID(time.Now(), proto.MessageFromClient)), MessageData: body.Buf}
	var b bin.Buffer
	_ = msg.Encode(&b)
	return &b
}
