// Command witness-interop is a C2SP tlog-witness client and server written from the
// specifications (c2sp.org/tlog-witness, tlog-cosignature, tlog-checkpoint) against Go's
// standard library and golang.org/x/mod/sumdb/{note,tlog} (Debian's golang-golang-x-mod-dev),
// sharing no code with accord. accord's tests run it against accord's witness and client.
//
// Usage:
//
//	witness-interop serve LOG_VKEY WITNESS_NAME WITNESS_SEED_HEX
//	    Serves POST /add-checkpoint on 127.0.0.1 (a free port, printed as "listening PORT"),
//	    witnessing the one log whose checkpoints verify with LOG_VKEY, keeping its state in
//	    memory, cosigning with the Ed25519 key of the 32-byte seed.
//	witness-interop client URL LOG_SKEY WITNESS_VKEY
//	    Builds a log of its own with tlog, signs checkpoints with LOG_SKEY (a signed-note
//	    private key) and drives the witness at URL through every answer of the protocol,
//	    checking each cosignature with WITNESS_VKEY. Prints "ok <step>" per step.
//
// Build offline in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o witness-interop main.go
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

// cosignKeyID is SHA-256(name || "\n" || 0x04 || public key)[:4] (tlog-cosignature).
func cosignKeyID(name string, pub ed25519.PublicKey) []byte {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write([]byte{0x04})
	h.Write(pub)
	return h.Sum(nil)[:4]
}

// cosignedMessage is what a cosignature/v1 signs.
func cosignedMessage(t uint64, body []byte) []byte {
	return append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), body...)
}

// splitNote returns the text (with its final newline) and the signature lines of a note.
func splitNote(msg []byte) ([]byte, []string, error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 || !bytes.HasSuffix(msg, []byte("\n")) {
		return nil, nil, errors.New("malformed note")
	}
	lines := strings.Split(strings.TrimSuffix(string(msg[i+2:]), "\n"), "\n")
	return msg[:i+1], lines, nil
}

// ---------------------------------------------------------------------------------------
// Server.

type server struct {
	mu       sync.Mutex
	verifier note.Verifier
	origin   string
	name     string
	key      ed25519.PrivateKey
	size     int64
	root     tlog.Hash
}

func (s *server) answer(w http.ResponseWriter, code int, body string) {
	if code == http.StatusConflict {
		w.Header().Set("Content-Type", "text/x.tlog.size")
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(code)
	io.WriteString(w, body)
}

func (s *server) addCheckpoint(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.answer(w, http.StatusMethodNotAllowed, "POST only\n")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.answer(w, http.StatusBadRequest, "unreadable body\n")
		return
	}
	// old size line, proof lines, empty line, checkpoint.
	nl := bytes.IndexByte(body, '\n')
	if nl < 0 || !bytes.HasPrefix(body, []byte("old ")) {
		s.answer(w, http.StatusBadRequest, "no old size line\n")
		return
	}
	oldText := string(body[4:nl])
	old, err := strconv.ParseInt(oldText, 10, 64)
	if err != nil || old < 0 || strconv.FormatInt(old, 10) != oldText {
		s.answer(w, http.StatusBadRequest, "bad old size\n")
		return
	}
	rest := body[nl+1:]
	var proof tlog.TreeProof
	for {
		nl = bytes.IndexByte(rest, '\n')
		if nl < 0 {
			s.answer(w, http.StatusBadRequest, "no empty line before the checkpoint\n")
			return
		}
		line := rest[:nl]
		rest = rest[nl+1:]
		if len(line) == 0 {
			break
		}
		if len(proof) == 63 {
			s.answer(w, http.StatusBadRequest, "too many proof lines\n")
			return
		}
		h, err := tlog.ParseHash(string(line))
		if err != nil {
			s.answer(w, http.StatusBadRequest, "bad proof line\n")
			return
		}
		proof = append(proof, h)
	}
	msg := rest
	text, _, err := splitNote(msg)
	if err != nil {
		s.answer(w, http.StatusBadRequest, "not a note\n")
		return
	}
	origin := strings.SplitN(string(text), "\n", 2)[0]
	if origin != s.origin {
		s.answer(w, http.StatusNotFound, "unknown log\n")
		return
	}
	n, err := note.Open(msg, note.VerifierList(s.verifier))
	if err != nil {
		s.answer(w, http.StatusForbidden, "no valid signature by the log's key\n")
		return
	}
	tree, err := parseCheckpoint(n.Text)
	if err != nil {
		s.answer(w, http.StatusBadRequest, "not a checkpoint\n")
		return
	}
	if old > tree.N {
		s.answer(w, http.StatusBadRequest, "old size above the checkpoint's\n")
		return
	}
	// Check and update atomically.
	s.mu.Lock()
	defer s.mu.Unlock()
	if old != s.size {
		s.answer(w, http.StatusConflict, fmt.Sprintf("%d\n", s.size))
		return
	}
	if old == tree.N {
		if tree.Hash != s.root || len(proof) != 0 {
			s.answer(w, http.StatusConflict, fmt.Sprintf("%d\n", s.size))
			return
		}
	} else if old == 0 {
		if len(proof) != 0 {
			s.answer(w, http.StatusUnprocessableEntity, "a proof from 0 must be empty\n")
			return
		}
	} else if err := tlog.CheckTree(proof, tree.N, tree.Hash, old, s.root); err != nil {
		s.answer(w, http.StatusUnprocessableEntity, "inconsistent\n")
		return
	}
	s.size, s.root = tree.N, tree.Hash
	t := uint64(time.Now().Unix())
	sig := make([]byte, 8)
	binary.BigEndian.PutUint64(sig, t)
	sig = append(sig, ed25519.Sign(s.key, cosignedMessage(t, text))...)
	blob := append(cosignKeyID(s.name, s.key.Public().(ed25519.PublicKey)), sig...)
	s.answer(w, http.StatusOK, fmt.Sprintf("— %s %s\n", s.name, base64.StdEncoding.EncodeToString(blob)))
}

// parseCheckpoint reads a C2SP tlog-checkpoint body: origin, size and base64 root lines, then
// optional extension lines.
func parseCheckpoint(text string) (tlog.Tree, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return tlog.Tree{}, errors.New("short checkpoint")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return tlog.Tree{}, errors.New("bad size")
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, err
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

func serve(vkey, name, seedHex string) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("log vkey: %v", err)
	}
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		fail("seed must be 32 bytes of hex")
	}
	s := &server{verifier: v, origin: v.Name(), name: name, key: ed25519.NewKeyFromSeed(seed)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	fmt.Printf("listening %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	mux := http.NewServeMux()
	mux.HandleFunc("/add-checkpoint", s.addCheckpoint)
	fail("serve: %v", http.Serve(ln, mux))
}

// ---------------------------------------------------------------------------------------
// Client.

type witnessKey struct {
	name string
	id   []byte
	pub  ed25519.PublicKey
}

func parseWitnessKey(vkey string) witnessKey {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		fail("witness vkey %q", vkey)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		fail("witness vkey is not a cosignature/v1 key")
	}
	pub := ed25519.PublicKey(raw[1:])
	id := cosignKeyID(parts[0], pub)
	if hex.EncodeToString(id) != parts[1] {
		fail("witness vkey id mismatch")
	}
	return witnessKey{parts[0], id, pub}
}

// checkCosignature checks a 200 answer: signature lines, one by the witness, valid over text.
func (k witnessKey) checkCosignature(text []byte, answer string) {
	found := false
	for _, line := range strings.Split(strings.TrimSuffix(answer, "\n"), "\n") {
		rest := strings.TrimPrefix(line, "— ")
		if rest == line {
			fail("answer line %q does not start with an em dash", line)
		}
		f := strings.SplitN(rest, " ", 2)
		blob, err := base64.StdEncoding.DecodeString(f[1])
		if err != nil || f[0] != k.name || !bytes.Equal(blob[:4], k.id) {
			continue
		}
		if len(blob) != 4+8+64 {
			fail("cosignature of %d bytes", len(blob))
		}
		t := binary.BigEndian.Uint64(blob[4:12])
		if !ed25519.Verify(k.pub, cosignedMessage(t, text), blob[12:]) {
			fail("the witness's cosignature does not verify")
		}
		if d := time.Since(time.Unix(int64(t), 0)); d < -time.Minute || d > time.Hour {
			fail("cosignature timestamp %d is not now", t)
		}
		found = true
	}
	if !found {
		fail("no cosignature by %s in %q", k.name, answer)
	}
}

type logState struct {
	origin string
	signer note.Signer
	stored []tlog.Hash
	n      int64
}

func (l *logState) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= int64(len(l.stored)) {
			return nil, errors.New("index out of range")
		}
		out[i] = l.stored[x]
	}
	return out, nil
}

func (l *logState) grow(to int64) {
	for ; l.n < to; l.n++ {
		hs, err := tlog.StoredHashes(l.n, []byte(fmt.Sprintf("entry %d", l.n)), l)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		l.stored = append(l.stored, hs...)
	}
}

func (l *logState) checkpoint(signer note.Signer, root tlog.Hash) []byte {
	text := fmt.Sprintf("%s\n%d\n%s\n", l.origin, l.n, root)
	msg, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		fail("sign: %v", err)
	}
	return msg
}

func (l *logState) root(n int64) tlog.Hash {
	h, err := tlog.TreeHash(n, l)
	if err != nil {
		fail("TreeHash: %v", err)
	}
	return h
}

func request(url string, old int64, proof tlog.TreeProof, msg []byte) (int, string, string) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		fmt.Fprintf(&b, "%s\n", h)
	}
	b.WriteString("\n")
	b.Write(msg)
	resp, err := http.Post(url+"/add-checkpoint", "text/plain", &b)
	if err != nil {
		fail("POST: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

func expect(step string, code int, want int) {
	if code != want {
		fail("%s: status %d, want %d", step, code, want)
	}
	fmt.Printf("ok %s (%d)\n", step, code)
}

func client(url, skey, wvkey string) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		fail("log skey: %v", err)
	}
	wk := parseWitnessKey(wvkey)
	l := &logState{origin: signer.Name(), signer: signer}

	// First sight: old 0, no proof.
	l.grow(17)
	cp17 := l.checkpoint(signer, l.root(17))
	code, _, body := request(url, 0, nil, cp17)
	expect("first checkpoint cosigned", code, 200)
	text, _, _ := splitNote(cp17)
	wk.checkCosignature(text, body)

	// Growth to 300 from a stale old size: 409 with the size the witness holds.
	l.grow(300)
	cp300 := l.checkpoint(signer, l.root(300))
	code, ctype, body := request(url, 0, nil, cp300)
	expect("stale old size refused", code, 409)
	if ctype != "text/x.tlog.size" || body != "17\n" {
		fail("409 answer %q (%s), want \"17\\n\" as text/x.tlog.size", body, ctype)
	}

	// A proof that does not verify: 422.
	proof, err := tlog.ProveTree(300, 17, l)
	if err != nil {
		fail("ProveTree: %v", err)
	}
	bad := append(tlog.TreeProof{}, proof...)
	bad[0][0] ^= 1
	code, _, _ = request(url, 17, bad, cp300)
	expect("bad consistency proof refused", code, 422)

	// The good proof: cosigned.
	code, _, body = request(url, 17, proof, cp300)
	expect("consistent growth cosigned", code, 200)
	text, _, _ = splitNote(cp300)
	wk.checkCosignature(text, body)

	// The same checkpoint again: cosigned; another root at that size: 409.
	code, _, _ = request(url, 300, nil, cp300)
	expect("same checkpoint cosigned again", code, 200)
	fork := l.checkpoint(signer, l.root(299))
	code, _, body = request(url, 300, nil, fork)
	expect("fork at the same size refused", code, 409)
	if body != "300\n" {
		fail("fork answer %q", body)
	}

	// Old size above the checkpoint's size: 400. Garbage: 400.
	code, _, _ = request(url, 301, nil, cp300)
	expect("old size above the size refused", code, 400)
	resp, err := http.Post(url+"/add-checkpoint", "text/plain", strings.NewReader("hello\n"))
	if err != nil {
		fail("POST: %v", err)
	}
	resp.Body.Close()
	expect("malformed body refused", resp.StatusCode, 400)

	// Another origin: 404. The right origin under a key the witness does not trust: 403.
	skeyOther, _, err := note.GenerateKey(rand.Reader, "other.example/log")
	if err != nil {
		fail("GenerateKey: %v", err)
	}
	other, _ := note.NewSigner(skeyOther)
	stranger := &logState{origin: "other.example/log"}
	stranger.grow(3)
	code, _, _ = request(url, 0, nil, stranger.checkpoint(other, stranger.root(3)))
	expect("unknown origin refused", code, 404)
	skeyImpostor, _, _ := note.GenerateKey(rand.Reader, l.origin)
	impostor, _ := note.NewSigner(skeyImpostor)
	code, _, _ = request(url, 300, nil, l.checkpoint(impostor, l.root(300)))
	expect("untrusted key refused", code, 403)
}

func main() {
	if len(os.Args) == 5 && os.Args[1] == "serve" {
		serve(os.Args[2], os.Args[3], os.Args[4])
	} else if len(os.Args) == 5 && os.Args[1] == "client" {
		client(os.Args[2], os.Args[3], os.Args[4])
	} else {
		fail("usage: witness-interop serve LOG_VKEY NAME SEED_HEX | client URL LOG_SKEY WITNESS_VKEY")
	}
}
