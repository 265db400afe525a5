// Package history keeps every state of the user's address book in an embedded bbolt
// database, so that nothing a device sync deletes or overwrites is ever lost: snapshots,
// contact versions stored once by content, the findings the rules raised and a timeline
// of events. Any point in time can be rebuilt and restored.
//
// Layout (buckets):
//
//	meta      schema version and counters
//	snaps     snapshot id -> Snapshot (JSON)
//	members   snapshot id -> membership: full ('F') or a delta against the snapshot before ('D')
//	versions  version id (16 bytes) -> fingerprint (16 bytes) + contact (JSON)
//	keyhist   contact key -> the versions the contact had, snapshot by snapshot
//	files     export file path -> size, time and the contact keys read from it
//	findings  finding id -> Finding (JSON)
//	events    sequence -> Event (JSON)
//
// Every snapshot is one transaction, so a crash leaves the old state or the new one.
package history

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"

	"github.com/syncguard/syncguard/internal/datadir"
)

// SchemaVersion is the layout this code writes. A newer database is refused rather than
// misread.
const SchemaVersion = 1

// ErrAlreadyRunning is returned when another SyncGuard holds the database.
var ErrAlreadyRunning = errors.New("SyncGuard is already running")

var (
	bMeta      = []byte("meta")
	bSnaps     = []byte("snaps")
	bMembers   = []byte("members")
	bVersions  = []byte("versions")
	bKeyhist   = []byte("keyhist")
	bFiles     = []byte("files")
	bFindings  = []byte("findings")
	bEvents    = []byte("events")
	allBuckets = [][]byte{bMeta, bSnaps, bMembers, bVersions, bKeyhist, bFiles, bFindings, bEvents}
)

// Store is an open history database.
type Store struct {
	// dbmu guards db: compaction closes it and opens the compacted file in its place
	// while other goroutines (the tray's status, a window's query) may be reading.
	dbmu sync.RWMutex
	db   *bolt.DB
	path string
	dir  string
	opt  Options
	lock *fileLock // held from Open to Close; see LockName

	mu    sync.Mutex
	cache *state // the latest snapshot's membership, kept between snapshots
}

// FileName is the database's name inside the data folder.
const FileName = "history.db"

// Options tune Open.
type Options struct {
	// LockTimeout is how long to wait for another process to let go of the database.
	LockTimeout time.Duration
	// NoSync skips fsync: for benchmarks of the store's own work only.
	NoSync bool
}

// Open opens (creating if needed) the history database in dir, private to the user.
func Open(dir string, opt Options) (*Store, error) {
	if err := datadir.Ensure(dir); err != nil {
		return nil, err
	}
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	path := filepath.Join(dir, FileName)
	lock, err := acquireLock(dir, opt.LockTimeout)
	if err != nil {
		if errors.Is(err, errLockTimeout) {
			return nil, fmt.Errorf("%w (it holds %s); close the other SyncGuard first, or pass --data DIR to use another folder", ErrAlreadyRunning, path)
		}
		return nil, fmt.Errorf("%s: cannot lock the history: %v", filepath.Join(dir, LockName), err)
	}
	db, err := openBolt(path, opt)
	if err != nil {
		lock.release()
		if errors.Is(err, bolterr.ErrTimeout) {
			return nil, fmt.Errorf("%w (it holds %s); close the other SyncGuard first, or pass --data DIR to use another folder", ErrAlreadyRunning, path)
		}
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		lock.release()
		return nil, fmt.Errorf("%s: cannot make the history private: %v", path, err)
	}
	s := &Store{db: db, path: path, dir: dir, opt: opt, lock: lock}
	if err := s.init(); err != nil {
		db.Close()
		lock.release()
		return nil, err
	}
	return s, nil
}

// openBolt opens the database file. A file damaged where bbolt reads it on opening (its
// meta pages, its free list) makes bbolt panic or fault on the mapped memory; both become
// an error that says the history is damaged. A variable, so that tests can make it fail.
var openBolt = func(path string, opt Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = damagedError(path, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err = bolt.Open(path, 0o600, boltOptions(opt))
	if err != nil && !errors.Is(err, bolterr.ErrTimeout) {
		if errors.Is(err, bolterr.ErrInvalid) || errors.Is(err, bolterr.ErrChecksum) || errors.Is(err, bolterr.ErrVersionMismatch) {
			return nil, damagedError(path, err)
		}
		return nil, fmt.Errorf("%s: cannot open the history database: %v", path, err)
	}
	return db, err
}

// ErrDamaged marks every error that comes from a damaged history file.
var ErrDamaged = errors.New("the history file is damaged")

func damagedError(path string, cause any) error {
	return fmt.Errorf("%s: %w (%v)", path, ErrDamaged, cause)
}

// view and update run a transaction on the current database (see dbmu). Damage that bbolt
// meets while reading (its "assertion failed" panics, or a fault on a page of the mapped
// file that is not there any more) ends the transaction with an ErrDamaged error instead
// of the process: the fault is made a panic for this goroutine, and the panic recovered.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	s.dbmu.RLock()
	defer s.dbmu.RUnlock()
	defer func() {
		if r := recover(); r != nil {
			err = damagedError(s.path, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	if h := writeTxHook; h != nil {
		h(true)
		defer h(false)
	}
	s.dbmu.RLock()
	defer s.dbmu.RUnlock()
	defer func() {
		if r := recover(); r != nil {
			err = damagedError(s.path, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return s.db.Update(fn)
}

// boltOptions reserves address space for the map up front: without it, bbolt remaps the
// file each time it outgrows the map during a first snapshot, and each remap walks every
// node (a third of the time of a 10,000-contact first snapshot). Reserving costs no
// memory, except on Windows, where bbolt grows the file itself to the map's size.
func boltOptions(opt Options) *bolt.Options {
	mmap := 256 << 20
	if runtime.GOOS == "windows" {
		mmap = 16 << 20
	}
	return &bolt.Options{Timeout: opt.LockTimeout, NoSync: opt.NoSync, FreelistType: bolt.FreelistMapType, InitialMmapSize: mmap}
}

func (s *Store) init() error {
	return s.update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		v := meta.Get([]byte("schema"))
		if v == nil {
			return meta.Put([]byte("schema"), []byte(strconv.Itoa(SchemaVersion)))
		}
		n, err := strconv.Atoi(string(v))
		if err != nil || n > SchemaVersion {
			return fmt.Errorf("%s: the history was written by a newer SyncGuard (schema %s); update SyncGuard to read it", s.path, v)
		}
		return nil
	})
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database and lets go of the lock.
func (s *Store) Close() error {
	s.dbmu.Lock()
	defer s.dbmu.Unlock()
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// Check runs bbolt's consistency check over the whole file. bbolt checks in a goroutine of
// its own, where a damaged page's panic could not be recovered: every page is first read
// here (walkAll), where it can.
func (s *Store) Check() error {
	return s.view(func(tx *bolt.Tx) error {
		if err := walkAll(tx); err != nil {
			return err
		}
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

// walkAll reads every key and value of every bucket, nested ones included.
func walkAll(tx *bolt.Tx) error {
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if nb := b.Bucket(k); nb != nil {
					return walk(nb)
				}
			}
			return nil
		})
	}
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) })
}

// FileSize is the size of the database file in bytes.
func (s *Store) FileSize() int64 {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func nextSeq(tx *bolt.Tx, name string) uint64 {
	meta := tx.Bucket(bMeta)
	var n uint64
	if v := meta.Get([]byte(name)); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	meta.Put([]byte(name), u64(n))
	return n
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// writeTxHook, when set, is told as each write transaction begins (true) and after it has
// committed or rolled back (false). Only the crash tests' child process sets it, before
// opening the store: it tells the test whether a kill landed in the middle of a write.
var writeTxHook func(begin bool)
