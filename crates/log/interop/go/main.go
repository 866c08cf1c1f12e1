// Command verify-accord-log is an independent verifier of an accord log directory, written
// against Go's golang.org/x/mod/sumdb/{note,tlog} (Debian's golang-golang-x-mod-dev 0.7.0).
//
// It checks, from the files alone:
//   - the checkpoint: a C2SP signed note, verified with the log's verifier key;
//   - every entry bundle (tile/entries/...), rebuilding the tree with tlog.StoredHashes, whose
//     root must equal the checkpoint's;
//   - hash tiles: every level-0 tile and the tile at level 1 must equal tlog.ReadTileData;
//   - an inclusion proof and a consistency proof produced by the Rust code, with tlog.CheckRecord
//     and tlog.CheckTree, and that tlog.ProveRecord / tlog.ProveTree give the same hashes.
//
// Usage: verify-accord-log DIR VKEY INCLUSION.json CONSISTENCY.json
//
// Build offline in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o verify main.go
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Index  int64    `json:"index"`
	Size   int64    `json:"size"`
	Hashes []string `json:"hashes"`
}

type consistency struct {
	OldSize int64    `json:"old_size"`
	NewSize int64    `json:"new_size"`
	OldRoot string   `json:"old_root"`
	Hashes  []string `json:"hashes"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

// indexPath encodes N as C2SP tlog-tiles does: 3-digit groups, all but the last prefixed by x.
func indexPath(n int64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n >= 1000 {
		n /= 1000
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

func tilePath(kind string, n int64, w int64) string {
	p := "tile/" + kind + "/" + indexPath(n)
	if w != 256 {
		p += ".p/" + strconv.FormatInt(w, 10)
	}
	return p
}

func readTile(dir, kind string, n, w int64) []byte {
	b, err := os.ReadFile(filepath.Join(dir, tilePath(kind, n, w)))
	if err != nil && w != 256 {
		b, err = os.ReadFile(filepath.Join(dir, tilePath(kind, n, 256)))
	}
	if err != nil {
		fail("%v", err)
	}
	return b
}

func hashes(list []string) []tlog.Hash {
	var out []tlog.Hash
	for _, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fail("bad hash %q: %v", s, err)
		}
		out = append(out, h)
	}
	return out
}

func readJSON(path string, v interface{}) {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		fail("%s: %v", path, err)
	}
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: verify-accord-log DIR VKEY INCLUSION.json CONSISTENCY.json")
		os.Exit(2)
	}
	dir, vkey := os.Args[1], strings.TrimSpace(os.Args[2])

	// 1. The checkpoint. x/mod 0.7.0's tlog.ParseTree insists on the go.sum origin, so the
	// C2SP checkpoint body (origin, size, base64 root) is parsed here.
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		fail("%v", err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root: %v", err)
	}
	fmt.Printf("ok checkpoint: origin %s, size %d, signed by %s\n", lines[0], size, verifier.Name())

	// 2. Every entry, from the entry bundles, into a tree rebuilt with tlog.StoredHashes.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x >= int64(len(stored)) {
				return nil, fmt.Errorf("hash %d not stored", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	var entries [][]byte
	for k := int64(0); k*256 < size; k++ {
		w := size - k*256
		if w > 256 {
			w = 256
		}
		data := readTile(dir, "entries", k, w)
		for i := int64(0); i < w; i++ {
			if len(data) < 2 {
				fail("bundle %d: truncated", k)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				fail("bundle %d: truncated entry", k)
			}
			e := data[2 : 2+l]
			data = data[2+l:]
			hs, err := tlog.StoredHashes(int64(len(entries)), e, reader)
			if err != nil {
				fail("%v", err)
			}
			stored = append(stored, hs...)
			entries = append(entries, e)
		}
	}
	th, err := tlog.TreeHash(size, reader)
	if err != nil {
		fail("%v", err)
	}
	if th != root {
		fail("root over the entries %v != checkpoint root %v", th, root)
	}
	fmt.Printf("ok entries: %d entries rebuild the checkpoint's root\n", len(entries))

	// 3. Hash tiles.
	tiles := 0
	for k := int64(0); k*256 < size; k++ {
		w := size - k*256
		if w > 256 {
			w = 256
		}
		want, err := tlog.ReadTileData(tlog.Tile{H: 8, L: 0, N: k, W: int(w)}, reader)
		if err != nil {
			fail("%v", err)
		}
		got := readTile(dir, "0", k, w)
		if !bytes.Equal(got[:len(want)], want) {
			fail("tile %s differs", tilePath("0", k, w))
		}
		tiles++
	}
	if size >= 256 {
		w := size / 256
		if w > 256 {
			w = 256
		}
		want, err := tlog.ReadTileData(tlog.Tile{H: 8, L: 1, N: 0, W: int(w)}, reader)
		if err != nil {
			fail("%v", err)
		}
		if got := readTile(dir, "1", 0, w); !bytes.Equal(got[:len(want)], want) {
			fail("tile %s differs", tilePath("1", 0, w))
		}
		tiles++
	}
	fmt.Printf("ok tiles: %d hash tiles equal tlog.ReadTileData\n", tiles)

	// 4. The Rust inclusion proof.
	var inc inclusion
	readJSON(os.Args[3], &inc)
	if inc.Size != size {
		fail("inclusion proof is for size %d, checkpoint has %d", inc.Size, size)
	}
	p := hashes(inc.Hashes)
	if err := tlog.CheckRecord(p, inc.Size, root, inc.Index, tlog.RecordHash(entries[inc.Index])); err != nil {
		fail("inclusion proof for entry %d: %v", inc.Index, err)
	}
	ours, err := tlog.ProveRecord(inc.Size, inc.Index, reader)
	if err != nil || fmt.Sprint(ours) != fmt.Sprint(p) {
		fail("tlog.ProveRecord gives another proof for entry %d", inc.Index)
	}
	fmt.Printf("ok inclusion: entry %d in the tree of size %d (%d hashes)\n", inc.Index, inc.Size, len(p))

	// 5. The Rust consistency proof.
	var con consistency
	readJSON(os.Args[4], &con)
	oldRoot, err := tlog.ParseHash(con.OldRoot)
	if err != nil {
		fail("old root: %v", err)
	}
	cp := hashes(con.Hashes)
	if err := tlog.CheckTree(cp, con.NewSize, root, con.OldSize, oldRoot); err != nil {
		fail("consistency proof %d -> %d: %v", con.OldSize, con.NewSize, err)
	}
	theirs, err := tlog.ProveTree(con.NewSize, con.OldSize, reader)
	if err != nil || fmt.Sprint(theirs) != fmt.Sprint(cp) {
		fail("tlog.ProveTree gives another proof")
	}
	fmt.Printf("ok consistency: size %d is a prefix of size %d (%d hashes)\n", con.OldSize, con.NewSize, len(cp))
}
