package kex

import (
	"crypto/aes"

	"github.com/gotd/ige"
)

func encryptIGE(key, iv, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	ige.EncryptBlocks(block, iv, out, data)
	return out, nil
}
