// Package session holds what a client needs to resume: the DC, its address
// and the auth key, and where it is kept between runs.
//
// Its text form, GramJS's StringSession, is read and written in one place,
// web/tgwasm/session.js: the page hands the wasm the decoded Data and receives it
// back on every change.
package session

import "sync"

// KeySize is the size of an MTProto auth key.
const KeySize = 256

// Data is a resumable session.
type Data struct {
	DC int
	// Addr and Port are what a session string records for DC (TCP
	// clients such as GramJS in Node dial them).
	Addr string
	Port int
	// Key is the permanent auth key of DC; all zero when there is none.
	Key [KeySize]byte
}

// Empty reports whether d holds no auth key.
func (d Data) Empty() bool { return d.Key == [KeySize]byte{} }

// Storage keeps a session between runs.
type Storage interface {
	Load() (Data, error)
	Save(Data) error
}

// Memory is a Storage that keeps the session in memory only.
type Memory struct {
	mu sync.Mutex
	d  Data
}

// Load implements Storage.
func (m *Memory) Load() (Data, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.d, nil
}

// Save implements Storage.
func (m *Memory) Save(d Data) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.d = d
	return nil
}

// Func adapts a save callback (and an initial value) to Storage.
type Func struct {
	Initial Data
	OnSave  func(Data) error
}

// Load implements Storage.
func (f Func) Load() (Data, error) { return f.Initial, nil }

// Save implements Storage.
func (f Func) Save(d Data) error {
	if f.OnSave == nil {
		return nil
	}
	return f.OnSave(d)
}
