// accord: re-check a record page in the browser, trusting only the keys the reader pinned.
// RFC 6962 inclusion (SHA-256), the checkpoint's Ed25519 signed-note signature, and C2SP
// cosignature/v1 cosignatures, all through WebCrypto. Pinned keys live in localStorage.
"use strict";
(function () {
  const STORE = "accord-pinned-keys";
  const words = JSON.parse(document.getElementById("words").textContent);
  const enc = new TextEncoder();
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const hex = (a) => Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let i = 0;
    for (const p of parts) { out.set(p, i); i += p.length; }
    return out;
  };
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  function pinned() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }

  // A signed-note verifier key: name+hexkeyid+base64(type || public key). The name holds no
  // "+" and the key id is 8 hex digits; the base64 may hold "+" of its own.
  function parseVkey(text) {
    const t = text.trim();
    const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(t);
    if (!m) return null;
    let raw;
    try { raw = b64(m[3]); } catch (e) { return null; }
    if (raw.length !== 33 || (raw[0] !== 0x01 && raw[0] !== 0x04)) return null;
    return { name: m[1], keyid: m[2], type: raw[0], key: raw.slice(1), text: t };
  }

  async function show() {
    const list = document.getElementById("pinned");
    list.textContent = "";
    for (const k of pinned()) {
      const v = parseVkey(k);
      const li = document.createElement("li");
      const fp = hex((await sha256(enc.encode(k))).slice(0, 8));
      li.textContent = (v ? v.name : "?") + " · " + words["dash-fingerprint"] + " " + fp;
      list.appendChild(li);
    }
  }

  // RFC 9162 section 2.1.3.2: the root of a tree of `size` leaves from a leaf and its path.
  async function rootFromProof(index, size, leaf, proof) {
    if (index >= size) return null;
    let fn = index, sn = size - 1, r = leaf;
    for (const p of proof) {
      if (sn === 0) return null;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat(Uint8Array.of(1), p, r));
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await sha256(concat(Uint8Array.of(1), r, p));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  async function verifyEd25519(key, sig, msg) {
    const k = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, k, sig, msg);
  }

  // A party's log key signs each of its logs: its public log under the key's own name, and
  // its logs of one agreement or one hotline channel under names that extend it.
  function keySigns(k, name) {
    return k.name === name || (k.name.startsWith("accord/log/") && name.startsWith(k.name + "/"));
  }

  async function check() {
    const out = document.getElementById("result");
    const keys = pinned().map(parseVkey).filter((k) => k);
    if (keys.length === 0) { out.className = "invalid"; out.textContent = words["dash-check-no-keys"]; return; }
    let ok = false, signers = [];
    try {
      const note = document.getElementById("checkpoint").textContent;
      const split = note.indexOf("\n\n");
      const body = note.slice(0, split + 1);
      const [origin, sizeLine, rootLine] = body.split("\n");
      const size = Number(sizeLine), root = b64(rootLine);
      const entryEl = document.getElementById("entry");
      const index = Number(entryEl.dataset.index);
      const proof = Array.from(document.querySelectorAll("#proof li"), (li) => b64(li.textContent.trim()));
      const leaf = await sha256(concat(Uint8Array.of(0), b64(entryEl.textContent.trim())));
      const computed = await rootFromProof(index, size, leaf, proof);
      const included = computed !== null && equal(computed, root);
      let logSigned = false;
      for (const line of note.slice(split + 2).split("\n")) {
        if (!line.startsWith("\u2014 ")) continue;
        const [name, sigText] = line.slice(2).split(" ");
        const sig = b64(sigText);
        for (const k of keys) {
          if (!keySigns(k, name)) continue;
          const id = (await sha256(concat(enc.encode(name + "\n"), Uint8Array.of(k.type), k.key))).slice(0, 4);
          if (!equal(id, sig.slice(0, 4))) continue;
          if (k.type === 0x01 && sig.length === 68 &&
              await verifyEd25519(k.key, sig.slice(4), enc.encode(body))) {
            if (name === origin) logSigned = true;
            signers.push(name);
          } else if (k.type === 0x04 && sig.length === 76) {
            let t = 0n;
            for (const b of sig.slice(4, 12)) t = (t << 8n) | BigInt(b);
            const msg = enc.encode("cosignature/v1\ntime " + t.toString() + "\n" + body);
            if (await verifyEd25519(k.key, sig.slice(12), msg)) signers.push(name);
          }
        }
      }
      ok = included && logSigned;
    } catch (e) {
      ok = false;
    }
    out.className = ok ? "valid" : "invalid";
    out.textContent = (ok ? words["dash-check-valid"] : words["dash-check-invalid"]) +
      (signers.length ? " (" + signers.join(", ") + ")" : "");
  }

  document.getElementById("pin-add").addEventListener("click", () => {
    const text = document.getElementById("pin").value;
    const add = text.split("\n").map((l) => l.trim()).filter((l) => parseVkey(l));
    localStorage.setItem(STORE, JSON.stringify(Array.from(new Set(pinned().concat(add)))));
    document.getElementById("pin").value = "";
    show();
  });
  document.getElementById("pin-clear").addEventListener("click", () => {
    localStorage.removeItem(STORE);
    show();
  });
  document.getElementById("check").addEventListener("click", check);
  show();
})();
