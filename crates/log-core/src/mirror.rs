//! The pure parts of the C2SP tlog-mirror protocol: subtrees and their consistency proofs (as
//! draft-ietf-plants-merkle-tree-certs, section 4, defines them), the `add-entries` request body
//! in entry packages aligned at 256, and the `text/x.tlog.mirror-info` answer.
//!
//! A mirror client first sends the log's checkpoint with `add-checkpoint` (C2SP tlog-witness,
//! [`crate::witness`]), then the entries up to it with `add-entries`: each package carries the
//! entries of one entry bundle's span and a proof that the subtree they complete is consistent
//! with that checkpoint, so the mirror authenticates every package before it stores it.
//! `tlog_tiles` 0.2.0 has no subtrees, so they are written here from the draft.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::Digest as _;
use tlog_tiles::{Hash, HashReader, node_hash, stored_hash_index};

use crate::error::{LogError, Result};
use crate::tree::MerkleTree;

/// The span of an entry package: entry packages align with entry bundles.
pub const PACKAGE_WIDTH: u64 = 256;

/// The most subtree consistency proof hashes a package may carry.
pub const MAX_PACKAGE_HASHES: usize = 63;

/// The content type of the `add-entries` request body.
pub const ADD_ENTRIES_CONTENT_TYPE: &str = "application/octet-stream";

/// The content type of the body of a 409 or 202 answer to `add-entries`.
pub const MIRROR_INFO_CONTENT_TYPE: &str = "text/x.tlog.mirror-info";

/// The hash of the empty tree, SHA-256 of the empty string.
fn empty_hash() -> Hash {
    Hash(sha2::Sha256::digest(b"").into())
}

/// The largest power of two smaller than `n` (`n` at least 2).
fn split_point(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// Whether `[start, end)` is a subtree: empty, or of a size whose next power of two divides
/// `start`.
pub fn is_valid_subtree(start: u64, end: u64) -> bool {
    if start > end {
        return false;
    }
    if start == end {
        return true;
    }
    match (end - start).checked_next_power_of_two() {
        Some(ceil) => start & (ceil - 1) == 0,
        None => start == 0,
    }
}

/// The Merkle tree hash of the leaves `[start, end)` of `tree`, a subtree.
pub fn subtree_hash(tree: &MerkleTree, start: u64, end: u64) -> Result<Hash> {
    if !is_valid_subtree(start, end) {
        return Err(LogError::Proof(format!(
            "[{start}, {end}) is not a subtree"
        )));
    }
    if end > tree.size() {
        return Err(LogError::OutOfRange {
            what: "subtree end",
            value: end,
            size: tree.size(),
        });
    }
    if start == end {
        return Ok(empty_hash());
    }
    // The complete subtrees that make it up, largest first, one per set bit of its size.
    let n = end - start;
    let mut indexes = Vec::new();
    let mut at = start;
    for level in (0..64u8).rev() {
        if n & (1 << level) != 0 {
            indexes.push(stored_hash_index(level, at >> level));
            at += 1 << level;
        }
    }
    let hashes = tree
        .read_hashes(&indexes)
        .map_err(|e| LogError::Proof(e.to_string()))?;
    let mut it = hashes.into_iter().rev();
    let last = it.next().unwrap_or_else(empty_hash);
    Ok(it.fold(last, |right, left| node_hash(left, right)))
}

/// The Merkle tree hash of a list of leaf hashes.
pub fn hash_of_leaves(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_hash(),
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(hash_of_leaves(&leaves[..k]), hash_of_leaves(&leaves[k..]))
        }
    }
}

/// A proof that the subtree `[start, end)` is consistent with the tree of size `n`: the hashes
/// that, with the subtree's hash, give the root of size `n`.
pub fn prove_subtree_consistency(
    tree: &MerkleTree,
    start: u64,
    end: u64,
    n: u64,
) -> Result<Vec<Hash>> {
    if !is_valid_subtree(start, end) || end > n {
        return Err(LogError::Proof(format!(
            "[{start}, {end}) is not a subtree of the tree of size {n}"
        )));
    }
    if n > tree.size() {
        return Err(LogError::OutOfRange {
            what: "size",
            value: n,
            size: tree.size(),
        });
    }
    let mut out = Vec::new();
    if start < end {
        subproof(tree, start, end, 0, n, true, &mut out)?;
    }
    Ok(out)
}

/// The proof of `[start, end)` within the window `[lo, hi)`; `known` says whether the verifier
/// knows the hash of the part of the subtree in the window.
fn subproof(
    tree: &MerkleTree,
    start: u64,
    end: u64,
    lo: u64,
    hi: u64,
    known: bool,
    out: &mut Vec<Hash>,
) -> Result<()> {
    if start == lo && end == hi {
        if !known {
            out.push(subtree_hash(tree, lo, hi)?);
        }
        return Ok(());
    }
    let split = lo + split_point(hi - lo);
    let sibling = if end <= split {
        subproof(tree, start, end, lo, split, known, out)?;
        (split, hi)
    } else if split <= start {
        subproof(tree, start, end, split, hi, known, out)?;
        (lo, split)
    } else {
        // The subtree spans the split, so it starts at `lo`: its right part is not known.
        subproof(tree, split, end, split, hi, false, out)?;
        (lo, split)
    };
    out.push(subtree_hash(tree, sibling.0, sibling.1)?);
    Ok(())
}

/// Checks that the subtree `[start, end)` with hash `subtree` is consistent with the tree of
/// size `n` with root `root`, by `proof`.
pub fn verify_subtree_consistency(
    start: u64,
    end: u64,
    n: u64,
    subtree: &Hash,
    root: &Hash,
    proof: &[Hash],
) -> Result<()> {
    let fail = |why: &str| {
        Err(LogError::Proof(format!(
            "subtree [{start}, {end}) of the tree of size {n}: {why}"
        )))
    };
    if !is_valid_subtree(start, end) || end > n {
        return fail("not a subtree of that tree");
    }
    if start == end {
        return if proof.is_empty() {
            Ok(())
        } else {
            fail("the proof of an empty subtree must be empty")
        };
    }
    let mut it = proof.iter();
    let Some((sub, window)) = evaluate(start, end, 0, n, Some(subtree), &mut it) else {
        return fail("the proof is too short");
    };
    if it.next().is_some() {
        return fail("the proof is too long");
    }
    if sub != *subtree || window != *root {
        return fail("the proof does not lead to the checkpoint's root");
    }
    Ok(())
}

/// Rebuilds, from the proof, the hash of the part of the subtree inside `[lo, hi)` and the hash
/// of the window; `known` is the subtree's hash while the verifier knows it.
fn evaluate<'a>(
    start: u64,
    end: u64,
    lo: u64,
    hi: u64,
    known: Option<&Hash>,
    proof: &mut impl Iterator<Item = &'a Hash>,
) -> Option<(Hash, Hash)> {
    if start == lo && end == hi {
        let h = match known {
            Some(h) => *h,
            None => *proof.next()?,
        };
        return Some((h, h));
    }
    let split = lo + split_point(hi - lo);
    if end <= split {
        let (sub, window) = evaluate(start, end, lo, split, known, proof)?;
        Some((sub, node_hash(window, *proof.next()?)))
    } else if split <= start {
        let (sub, window) = evaluate(start, end, split, hi, known, proof)?;
        Some((sub, node_hash(*proof.next()?, window)))
    } else {
        let (sub, window) = evaluate(split, end, split, hi, None, proof)?;
        let left = *proof.next()?;
        Some((node_hash(left, sub), node_hash(left, window)))
    }
}

/// The canonical sequence of entry packages of an upload of `[upload_start, upload_end)`: the
/// entries each carries, as `[start, end)`.
pub fn packages(upload_start: u64, upload_end: u64) -> Vec<(u64, u64)> {
    if upload_start >= upload_end {
        return Vec::new();
    }
    let first = upload_start / PACKAGE_WIDTH * PACKAGE_WIDTH;
    (first..upload_end)
        .step_by(PACKAGE_WIDTH as usize)
        .map(|base| {
            (
                base.max(upload_start),
                (base + PACKAGE_WIDTH).min(upload_end),
            )
        })
        .collect()
}

/// The start of the subtree a package ending at `end` proves: its entry bundle's first index.
pub fn package_base(end: u64) -> u64 {
    (end - 1) / PACKAGE_WIDTH * PACKAGE_WIDTH
}

/// The header of an `add-entries` request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddEntries {
    /// The log's origin line.
    pub origin: String,
    /// The first entry uploaded.
    pub upload_start: u64,
    /// The size of the pending checkpoint the entries are proven against.
    pub upload_end: u64,
    /// The opaque value the mirror last gave, or empty.
    pub ticket: Vec<u8>,
}

/// Why an `add-entries` body could not be read.
fn malformed(why: impl Into<String>) -> LogError {
    LogError::Proof(format!("add-entries: {}", why.into()))
}

impl AddEntries {
    /// The header's bytes, to be followed by the packages.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let origin = u16::try_from(self.origin.len())
            .map_err(|_| malformed("the origin is longer than 65535 bytes"))?;
        let ticket = u16::try_from(self.ticket.len())
            .map_err(|_| malformed("the ticket is longer than 65535 bytes"))?;
        let mut out = Vec::with_capacity(20 + self.origin.len() + self.ticket.len());
        out.extend_from_slice(&origin.to_be_bytes());
        out.extend_from_slice(self.origin.as_bytes());
        out.extend_from_slice(&self.upload_start.to_be_bytes());
        out.extend_from_slice(&self.upload_end.to_be_bytes());
        out.extend_from_slice(&ticket.to_be_bytes());
        out.extend_from_slice(&self.ticket);
        Ok(out)
    }

    /// Reads the header from the front of `body`, leaving the packages in it.
    pub fn read(body: &mut &[u8]) -> Result<Self> {
        let n = take_u16(body).ok_or_else(|| malformed("the origin length is missing"))?;
        let origin = take(body, usize::from(n)).ok_or_else(|| malformed("the origin is cut"))?;
        let origin = std::str::from_utf8(origin)
            .map_err(|_| malformed("the origin is not UTF-8"))?
            .to_owned();
        let upload_start = take_u64(body).ok_or_else(|| malformed("upload_start is missing"))?;
        let upload_end = take_u64(body).ok_or_else(|| malformed("upload_end is missing"))?;
        let n = take_u16(body).ok_or_else(|| malformed("the ticket length is missing"))?;
        let ticket = take(body, usize::from(n))
            .ok_or_else(|| malformed("the ticket is cut"))?
            .to_vec();
        if upload_start > upload_end {
            return Err(malformed(format!(
                "upload_start {upload_start} exceeds upload_end {upload_end}"
            )));
        }
        Ok(AddEntries {
            origin,
            upload_start,
            upload_end,
            ticket,
        })
    }
}

fn take<'a>(body: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if body.len() < n {
        return None;
    }
    let (head, rest) = body.split_at(n);
    *body = rest;
    Some(head)
}

fn take_u16(body: &mut &[u8]) -> Option<u16> {
    take(body, 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn take_u64(body: &mut &[u8]) -> Option<u64> {
    take(body, 8).and_then(|b| b.try_into().ok().map(u64::from_be_bytes))
}

/// Appends a package: its entries, each with a 16-bit length, and its proof.
pub fn write_package<E: AsRef<[u8]>>(
    out: &mut Vec<u8>,
    entries: &[E],
    proof: &[Hash],
) -> Result<()> {
    if proof.len() > MAX_PACKAGE_HASHES {
        return Err(malformed(format!(
            "a package proof of {} hashes; at most {MAX_PACKAGE_HASHES}",
            proof.len()
        )));
    }
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| LogError::EntryTooLarge { len: e.len() })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    out.push(proof.len() as u8);
    for h in proof {
        out.extend_from_slice(&h.0);
    }
    Ok(())
}

/// One package read from a body: its entries and proof.
#[derive(Debug, Clone, PartialEq)]
pub struct Package<'a> {
    /// The entries, in order.
    pub entries: Vec<&'a [u8]>,
    /// The subtree consistency proof.
    pub proof: Vec<Hash>,
}

/// Reads a package of `count` entries from the front of `body`; `None` if the body ends first
/// or the package is malformed (the mirror then stops at the last whole package).
pub fn read_package<'a>(body: &mut &'a [u8], count: u64) -> Option<Package<'a>> {
    let mut entries = Vec::with_capacity(count.min(PACKAGE_WIDTH) as usize);
    for _ in 0..count {
        let n = take_u16(body)?;
        entries.push(take(body, usize::from(n))?);
    }
    let hashes = take(body, 1)?[0] as usize;
    if hashes > MAX_PACKAGE_HASHES {
        return None;
    }
    let proof = (0..hashes)
        .map(|_| take(body, 32).and_then(|b| b.try_into().ok().map(Hash)))
        .collect::<Option<Vec<Hash>>>()?;
    Some(Package { entries, proof })
}

/// The body of a 409 or 202 answer to `add-entries`: a valid pending checkpoint's size, the
/// mirror's next entry, and an opaque ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorInfo {
    /// The size of a valid pending checkpoint.
    pub size: u64,
    /// The first entry the mirror lacks.
    pub next: u64,
    /// The ticket to send with the next request.
    pub ticket: Vec<u8>,
}

impl MirrorInfo {
    /// The answer's text: three lines.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!(
            "{}\n{}\n{}\n",
            self.size,
            self.next,
            B64.encode(&self.ticket)
        )
        .into_bytes()
    }

    /// Parses an answer's text.
    pub fn parse(text: &[u8]) -> Result<Self> {
        let bad = |why: &str| LogError::Proof(format!("mirror info: {why}"));
        let text = std::str::from_utf8(text).map_err(|_| bad("not UTF-8"))?;
        let mut lines = text.split_terminator('\n');
        let mut number = |what: &str| -> Result<u64> {
            lines
                .next()
                .and_then(|l| l.parse().ok())
                .ok_or_else(|| bad(&format!("the {what} line is not a number")))
        };
        let size = number("size")?;
        let next = number("next entry")?;
        let ticket = B64
            .decode(lines.next().unwrap_or(""))
            .map_err(|_| bad("the ticket is not base64"))?;
        Ok(MirrorInfo { size, next, ticket })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(n: u64) -> MerkleTree {
        let entries: Vec<Vec<u8>> = (0..n).map(|i| i.to_be_bytes().to_vec()).collect();
        let mut t = MerkleTree::new();
        t.extend(&entries);
        t
    }

    #[test]
    fn subtree_hashes_match_the_hash_of_their_leaves() {
        let t = tree(700);
        for (start, end) in [
            (0, 700),
            (0, 512),
            (512, 700),
            (256, 512),
            (640, 700),
            (5, 6),
        ] {
            let leaves: Vec<Hash> = (start..end).map(|i| t.leaf_hash(i).unwrap()).collect();
            assert_eq!(
                subtree_hash(&t, start, end).unwrap(),
                hash_of_leaves(&leaves)
            );
        }
        assert_eq!(subtree_hash(&t, 0, 700).unwrap(), t.root());
        assert!(subtree_hash(&t, 3, 7).is_err(), "not a subtree");
        assert!(subtree_hash(&t, 512, 1024).is_err(), "beyond the tree");
    }

    #[test]
    fn subtree_consistency_proofs_verify_for_every_subtree_and_nothing_else() {
        let t = tree(70);
        for n in 1..=70u64 {
            let root = t.root_at(n).unwrap();
            for start in 0..n {
                for end in start + 1..=n {
                    if !is_valid_subtree(start, end) {
                        continue;
                    }
                    let sub = subtree_hash(&t, start, end).unwrap();
                    let proof = prove_subtree_consistency(&t, start, end, n).unwrap();
                    verify_subtree_consistency(start, end, n, &sub, &root, &proof)
                        .unwrap_or_else(|e| panic!("[{start}, {end}) in {n}: {e}"));
                    let wrong = Hash([7; 32]);
                    assert!(
                        verify_subtree_consistency(start, end, n, &wrong, &root, &proof).is_err()
                    );
                    if let Some(first) = proof.first() {
                        let mut bent = proof.clone();
                        bent[0] = node_hash(*first, *first);
                        assert!(
                            verify_subtree_consistency(start, end, n, &sub, &root, &bent).is_err()
                        );
                        assert!(
                            verify_subtree_consistency(start, end, n, &sub, &root, &proof[1..])
                                .is_err()
                        );
                    }
                    let mut long = proof.clone();
                    long.push(root);
                    assert!(verify_subtree_consistency(start, end, n, &sub, &root, &long).is_err());
                }
            }
        }
    }

    #[test]
    fn valid_subtrees_are_aligned_to_their_size_rounded_up() {
        assert!(is_valid_subtree(0, 13));
        assert!(is_valid_subtree(8, 13));
        assert!(!is_valid_subtree(4, 13));
        assert!(is_valid_subtree(256, 300));
        assert!(!is_valid_subtree(300, 256));
        assert!(is_valid_subtree(7, 7));
    }

    #[test]
    fn packages_follow_the_canonical_sequence() {
        assert_eq!(packages(5, 5), vec![]);
        assert_eq!(packages(0, 3), vec![(0, 3)]);
        assert_eq!(packages(250, 600), vec![(250, 256), (256, 512), (512, 600)]);
        assert_eq!(packages(256, 512), vec![(256, 512)]);
        assert_eq!(package_base(600), 512);
        assert_eq!(package_base(256), 0);
    }

    #[test]
    fn bodies_and_answers_round_trip() {
        let head = AddEntries {
            origin: "accord/log/US".into(),
            upload_start: 3,
            upload_end: 5,
            ticket: b"t".to_vec(),
        };
        let mut body = head.to_bytes().unwrap();
        write_package(
            &mut body,
            &[b"abc".as_slice(), b"".as_slice()],
            &[Hash([1; 32])],
        )
        .unwrap();
        let mut rest = body.as_slice();
        assert_eq!(AddEntries::read(&mut rest).unwrap(), head);
        let p = read_package(&mut rest, 2).unwrap();
        assert_eq!(p.entries, vec![b"abc".as_slice(), b"".as_slice()]);
        assert_eq!(p.proof, vec![Hash([1; 32])]);
        assert!(rest.is_empty());
        let mut cut = &body[..body.len() - 1];
        AddEntries::read(&mut cut).unwrap();
        assert_eq!(read_package(&mut cut, 2), None);
        let info = MirrorInfo {
            size: 9,
            next: 4,
            ticket: vec![],
        };
        assert_eq!(info.to_bytes(), b"9\n4\n\n");
        assert_eq!(MirrorInfo::parse(&info.to_bytes()).unwrap(), info);
        let mut reversed = &[
            0u8, 1, b'x', 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
        ][..];
        assert!(AddEntries::read(&mut reversed).is_err());
    }
}
