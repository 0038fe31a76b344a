package mtconn

import (
	"bytes"
	"compress/gzip"
	"io"

	"github.com/go-faster/errors"
	"github.com/gotd/td/bin"
	"github.com/gotd/td/mt"
)

// The MTProto constructors that hold any object, which mt's generated
// types do not model: they are read and written here by hand.
const (
	idRPCResult = mt.RPCResultTypeID    // rpc_result#f35c6d01 req_msg_id:long result:Object
	idContainer = mt.MsgContainerTypeID // msg_container#73f1f8dc messages:vector<%Message>
	idGzip      = mt.GzipPackedTypeID   // gzip_packed#3072cfa1 packed_data:bytes
)

// Limits of an outgoing container (core.telegram.org/mtproto/service_messages#simple-container).
const (
	maxContainerMessages = 1020
	maxContainerBytes    = 1 << 20
)

// item is one message of a container, or a message on its own.
type item struct {
	id   int64
	seq  int32
	body []byte
}

// putContainer writes msg_container with items.
func putContainer(b *bin.Buffer, items []item) {
	b.PutID(idContainer)
	b.PutInt(len(items))
	for _, it := range items {
		b.PutLong(it.id)
		b.PutInt32(it.seq)
		b.PutInt(len(it.body))
		b.Put(it.body)
	}
}

// readContainer reads the items of a msg_container whose id was consumed.
func readContainer(b *bin.Buffer) ([]item, error) {
	n, err := b.Int()
	if err != nil {
		return nil, err
	}
	// Each item takes at least 16 bytes: a count beyond that is a lie.
	if n < 0 || n > b.Len()/16 {
		return nil, errors.Errorf("container claims %d messages in %d bytes", n, b.Len())
	}
	items := make([]item, 0, n)
	for range n {
		var it item
		if it.id, err = b.Long(); err != nil {
			return nil, err
		}
		seq, err := b.Int32()
		if err != nil {
			return nil, err
		}
		it.seq = seq
		size, err := b.Int()
		if err != nil {
			return nil, err
		}
		if size < 0 || size > b.Len() {
			return nil, errors.Errorf("container message of %d bytes in %d", size, b.Len())
		}
		it.body = b.Buf[:size:size]
		b.Skip(size)
		items = append(items, it)
	}
	return items, nil
}

// gunzip unpacks gzip_packed's data, refusing more than limit bytes.
func gunzip(packed []byte, limit int) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, errors.Wrap(err, "gzip_packed")
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, errors.Wrap(err, "gzip_packed")
	}
	if len(out) > limit {
		return nil, &TooBigError{Limit: limit}
	}
	return out, nil
}

// unpackGzip returns body itself, or what it packs when it is gzip_packed.
func unpackGzip(body []byte, limit int) ([]byte, error) {
	b := &bin.Buffer{Buf: body}
	if id, err := b.PeekID(); err != nil || id != idGzip {
		return body, nil
	}
	_ = b.ConsumeID(idGzip)
	packed, err := b.Bytes()
	if err != nil {
		return nil, errors.Wrap(err, "gzip_packed")
	}
	return gunzip(packed, limit)
}

// encode returns the TL encoding of e.
func encode(e bin.Encoder) []byte {
	var b bin.Buffer
	if err := e.Encode(&b); err != nil {
		// mt's service messages have no way to fail.
		panic(err)
	}
	return b.Buf
}
