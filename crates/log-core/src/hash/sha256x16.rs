//! Sixteen SHA-256 computations at once in the lanes of AVX-512 vectors (FIPS 180-4).
//!
//! Written here because no maintained crate offers multi-message SHA-256 over messages of any
//! length: `sha2` and the assembly it can use hash one message at a time, and at one message
//! at a time this CPU class (no SHA extensions) spends about a thousand cycles per block.
//! Lane `i` of every vector holds the state and message words of message `i`; messages of
//! different lengths share a pass, a lane dropping out (by mask) once its last block is in.
//!
//! `unsafe` is confined to the entry point that checks the CPU features at run time and to the
//! unaligned vector loads and stores of local arrays.

/// Messages hashed per pass.
pub(super) const LANES: usize = 16;

/// Whether this CPU runs the sixteen-lane path.
pub(super) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// SHA-256(prefix ‖ body) of each of up to 16 bodies; lanes past `bodies.len()` are zero.
///
/// Callers check [`available`] first; without AVX-512 this falls back to one at a time.
pub(super) fn hash(prefix: u8, bodies: &[&[u8]]) -> [[u8; 32]; LANES] {
    assert!(bodies.len() <= LANES, "at most {LANES} messages per pass");
    #[cfg(target_arch = "x86_64")]
    {
        if available() {
            // SAFETY: the CPU supports AVX-512F, checked just above.
            return unsafe { x86::hash16(prefix, bodies) };
        }
    }
    let mut out = [[0u8; 32]; LANES];
    for (o, b) in out.iter_mut().zip(bodies) {
        *o = super::one(prefix, b).0;
    }
    out
}

/// The SHA-256 initial hash value (FIPS 180-4, 5.3.3).
pub(super) const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The SHA-256 round constants (FIPS 180-4, 4.2.2).
pub(super) const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The number of 64-byte blocks of SHA-256(prefix ‖ body) once padded.
pub(super) fn block_count(body_len: usize) -> usize {
    // One prefix byte, the 0x80 terminator and the 8-byte bit length, rounded up to blocks.
    (body_len + 1 + 1 + 8).div_ceil(64)
}

/// Block `j` of the padded message prefix ‖ body, as sixteen big-endian words.
fn padded_block(prefix: u8, body: &[u8], j: usize, blocks: usize) -> [u32; 16] {
    let mut b = [0u8; 64];
    fill_block(prefix, body, j, blocks, &mut b);
    let mut w = [0u32; 16];
    for (w, c) in w.iter_mut().zip(b.chunks_exact(4)) {
        *w = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    w
}

/// Writes block `j` (of `blocks`) of the padded message prefix ‖ body into `b`.
pub(super) fn fill_block(prefix: u8, body: &[u8], j: usize, blocks: usize, b: &mut [u8; 64]) {
    *b = [0; 64];
    let len = body.len() + 1; // message length with the prefix byte
    let start = 64 * j; // offset of this block in the message
    if start == 0 {
        b[0] = prefix;
        let n = body.len().min(63);
        b[1..1 + n].copy_from_slice(&body[..n]);
    } else if start < len {
        let from = start - 1;
        let n = (body.len() - from).min(64);
        b[..n].copy_from_slice(&body[from..from + n]);
    }
    if (start..start + 64).contains(&len) {
        b[len - start] = 0x80;
    }
    if j + 1 == blocks {
        b[56..].copy_from_slice(&(len as u64 * 8).to_be_bytes());
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{H0, K, LANES, block_count, padded_block};

    /// Σ0(a) = ROTR²(a) ⊕ ROTR¹³(a) ⊕ ROTR²²(a).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn big_sigma0(a: __m512i) -> __m512i {
        xor3(
            _mm512_ror_epi32::<2>(a),
            _mm512_ror_epi32::<13>(a),
            _mm512_ror_epi32::<22>(a),
        )
    }

    /// Σ1(e) = ROTR⁶(e) ⊕ ROTR¹¹(e) ⊕ ROTR²⁵(e).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn big_sigma1(e: __m512i) -> __m512i {
        xor3(
            _mm512_ror_epi32::<6>(e),
            _mm512_ror_epi32::<11>(e),
            _mm512_ror_epi32::<25>(e),
        )
    }

    /// σ0(x) = ROTR⁷(x) ⊕ ROTR¹⁸(x) ⊕ SHR³(x).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn small_sigma0(x: __m512i) -> __m512i {
        xor3(
            _mm512_ror_epi32::<7>(x),
            _mm512_ror_epi32::<18>(x),
            _mm512_srli_epi32::<3>(x),
        )
    }

    /// σ1(x) = ROTR¹⁷(x) ⊕ ROTR¹⁹(x) ⊕ SHR¹⁰(x).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn small_sigma1(x: __m512i) -> __m512i {
        xor3(
            _mm512_ror_epi32::<17>(x),
            _mm512_ror_epi32::<19>(x),
            _mm512_srli_epi32::<10>(x),
        )
    }

    /// a ⊕ b ⊕ c in one instruction (truth table 0x96).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn xor3(a: __m512i, b: __m512i, c: __m512i) -> __m512i {
        _mm512_ternarylogic_epi32::<0x96>(a, b, c)
    }

    /// Ch(e, f, g) = (e ∧ f) ⊕ (¬e ∧ g): f where e is set, else g (truth table 0xCA).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn ch(e: __m512i, f: __m512i, g: __m512i) -> __m512i {
        _mm512_ternarylogic_epi32::<0xCA>(e, f, g)
    }

    /// Maj(a, b, c): the bitwise majority (truth table 0xE8).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn maj(a: __m512i, b: __m512i, c: __m512i) -> __m512i {
        _mm512_ternarylogic_epi32::<0xE8>(a, b, c)
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn add(a: __m512i, b: __m512i) -> __m512i {
        _mm512_add_epi32(a, b)
    }

    /// Loads sixteen words, lane `i` from `w[i]`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load(w: &[u32; LANES]) -> __m512i {
        // SAFETY: `w` is 64 readable bytes; the load is unaligned.
        unsafe { _mm512_loadu_si512(w.as_ptr().cast()) }
    }

    /// One SHA-256 compression of one block in every lane; lanes outside `active` keep `state`.
    #[target_feature(enable = "avx512f")]
    fn compress(state: &mut [__m512i; 8], block: &[[u32; LANES]; 16], active: __mmask16) {
        let mut w = [_mm512_setzero_si512(); 16];
        for (v, words) in w.iter_mut().zip(block) {
            *v = load(words);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for (t, &k) in K.iter().enumerate() {
            let wt = if t < 16 {
                w[t]
            } else {
                // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], kept in a ring of 16.
                let next = add(
                    add(small_sigma1(w[(t - 2) % 16]), w[(t - 7) % 16]),
                    add(small_sigma0(w[(t - 15) % 16]), w[t % 16]),
                );
                w[t % 16] = next;
                next
            };
            let t1 = add(
                add(h, big_sigma1(e)),
                add(ch(e, f, g), add(_mm512_set1_epi32(k as i32), wt)),
            );
            let t2 = add(big_sigma0(a), maj(a, b, c));
            h = g;
            g = f;
            f = e;
            e = add(d, t1);
            d = c;
            c = b;
            b = a;
            a = add(t1, t2);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = _mm512_mask_add_epi32(*s, active, *s, v);
        }
    }

    /// SHA-256(prefix ‖ body) of up to sixteen bodies.
    #[target_feature(enable = "avx512f")]
    pub(super) fn hash16(prefix: u8, bodies: &[&[u8]]) -> [[u8; 32]; LANES] {
        let mut blocks = [0usize; LANES];
        for (n, body) in blocks.iter_mut().zip(bodies) {
            *n = block_count(body.len());
        }
        let most = blocks.iter().copied().max().unwrap_or(0);
        let mut state = H0.map(|h| _mm512_set1_epi32(h as i32));
        // Message words transposed: block[t][i] is word t of lane i's current block.
        let mut block = [[0u32; LANES]; 16];
        for j in 0..most {
            let mut active: __mmask16 = 0;
            for (i, (body, &n)) in bodies.iter().zip(&blocks).enumerate() {
                if j < n {
                    active |= 1 << i;
                    for (t, word) in padded_block(prefix, body, j, n).into_iter().enumerate() {
                        block[t][i] = word;
                    }
                }
            }
            compress(&mut state, &block, active);
        }
        let mut words = [[0u32; LANES]; 8];
        for (out, v) in words.iter_mut().zip(&state) {
            // SAFETY: `out` is 64 writable bytes; the store is unaligned.
            unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), *v) };
        }
        let mut digests = [[0u8; 32]; LANES];
        for (i, d) in digests.iter_mut().enumerate().take(bodies.len()) {
            for (t, lane_words) in words.iter().enumerate() {
                d[4 * t..4 * t + 4].copy_from_slice(&lane_words[i].to_be_bytes());
            }
        }
        digests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 32 bits of the fractional part of `x`.
    fn fraction_bits(x: f64) -> u32 {
        ((x - x.floor()) * 4_294_967_296.0) as u32
    }

    #[test]
    fn constants_are_the_roots_of_the_first_primes() {
        // FIPS 180-4: K from the cube roots of the first 64 primes, H0 from the square roots of
        // the first 8. A mistyped constant would still hash, just not to SHA-256.
        let primes: Vec<u32> = (2u32..)
            .filter(|&p| (2..p).all(|d| p % d != 0))
            .take(64)
            .collect();
        for (t, &p) in primes.iter().enumerate() {
            assert_eq!(K[t], fraction_bits(f64::from(p).cbrt()), "K[{t}]");
        }
        for (t, &p) in primes.iter().take(8).enumerate() {
            assert_eq!(H0[t], fraction_bits(f64::from(p).sqrt()), "H0[{t}]");
        }
    }

    #[test]
    fn block_counts_follow_the_padding_rule() {
        // prefix + body + 0x80 + 8 length bytes must fit: 54 body bytes fit one block, 55 not.
        assert_eq!(block_count(0), 1);
        assert_eq!(block_count(54), 1);
        assert_eq!(block_count(55), 2);
        assert_eq!(block_count(64), 2); // an RFC 6962 interior node
        assert_eq!(block_count(256), 5); // a 256-byte leaf
    }

    #[test]
    fn padded_blocks_reassemble_the_message() {
        for len in [0usize, 54, 55, 63, 64, 127, 200] {
            let body: Vec<u8> = (0..len).map(|i| i as u8 ^ 0xA5).collect();
            let n = block_count(len);
            let bytes: Vec<u8> = (0..n)
                .flat_map(|j| padded_block(7, &body, j, n))
                .flat_map(u32::to_be_bytes)
                .collect();
            assert_eq!(bytes.len(), 64 * n);
            assert_eq!(bytes[0], 7);
            assert_eq!(&bytes[1..=len], &body[..]);
            assert_eq!(bytes[len + 1], 0x80);
            assert!(bytes[len + 2..64 * n - 8].iter().all(|&b| b == 0));
            let bits = u64::from_be_bytes(bytes[64 * n - 8..].try_into().unwrap());
            assert_eq!(bits, (len as u64 + 1) * 8);
        }
    }
}
