package mtconn

import (
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/proto"
	"github.com/stretchr/testify/require"
)

// The encodings this package writes by hand, against gotd's proto package
// (which the wasm does not link: its gzip is klauspost's).

func TestMessageIDMatchesGotd(t *testing.T) {
	for _, at := range []time.Time{
		epoch,
		epoch.Add(123456789 * time.Nanosecond),
		time.Date(2038, 1, 19, 3, 14, 8, 999999999, time.UTC),
	} {
		id := MessageID(at)
		require.Equal(t, int64(proto.NewMessageID(at, proto.MessageFromClient)), id)
		require.Equal(t, proto.MessageFromClient, proto.MessageID(id).Type())
		require.Equal(t, proto.MessageID(id).Time().Truncate(time.Second), MessageTime(id).UTC())
		for _, typ := range []proto.MessageType{proto.MessageServerResponse, proto.MessageFromServer} {
			require.True(t, FromServer(int64(proto.NewMessageID(at, typ))))
		}
		require.False(t, FromServer(id))
	}
}

func TestContainerMatchesGotd(t *testing.T) {
	items := []item{
		{id: MessageID(epoch), seq: 1, body: []byte{1, 2, 3, 4}},
		{id: MessageID(epoch) + 4, seq: 2, body: []byte{5, 6, 7, 8, 9, 10, 11, 12}},
	}
	var ours bin.Buffer
	putContainer(&ours, items)
	var c proto.MessageContainer
	for _, it := range items {
		c.Messages = append(c.Messages, proto.Message{ID: it.id, SeqNo: int(it.seq), Bytes: len(it.body), Body: it.body})
	}
	var theirs bin.Buffer
	require.NoError(t, c.Encode(&theirs))
	require.Equal(t, theirs.Buf, ours.Buf)

	_ = theirs.ConsumeID(idContainer)
	read, err := readContainer(&theirs)
	require.NoError(t, err)
	require.Equal(t, items, read)
}

func TestGzipMatchesGotd(t *testing.T) {
	data := make([]byte, 5000)
	for i := range data {
		data[i] = byte(i / 7)
	}
	var b bin.Buffer
	require.NoError(t, proto.GZIP{Data: data}.Encode(&b))
	got, err := unpackGzip(b.Buf, len(data))
	require.NoError(t, err)
	require.Equal(t, data, got)
	_, err = unpackGzip(b.Buf, len(data)-1)
	var big *TooBigError
	require.ErrorAs(t, err, &big)
	require.Equal(t, len(data)-1, big.Limit)
}
