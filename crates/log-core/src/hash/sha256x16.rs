//! Sixteen SHA-256 computations at once in the lanes of AVX-512 vectors (FIPS 180-4).
//!
//! Written here because no maintained crate offers multi-message SHA-256 over messages of any
//! length: `sha2` and the assembly it can use hash one message at a time. Lane `i` of every
//! vector holds the state and message words of message `i`; messages of different lengths
//! share a pass, a lane dropping out (by mask) once its last block is in. Each block of each
//! message is one masked load of its bytes plus its padding; sixteen such blocks are
//! transposed into sixteen vectors of words, and the 64 rounds are written out with the
//! message schedule kept in registers. Where the CPU also has the SHA extensions this path can
//! still be the faster one (it is on CPUs that start one SHA round instruction every few
//! cycles); [`super::Backend::Fastest`] measures which.
//!
//! `unsafe` is confined to the entry point that checks the CPU features at run time, to the
//! masked loads of the messages' bytes, to prefetches and to unaligned vector loads and stores
//! of local arrays.

use tlog_tiles::Hash;

/// Messages hashed per pass.
pub(super) const LANES: usize = 16;

/// Whether this CPU runs the sixteen-lane path.
pub(super) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// SHA-256(prefix ‖ body) of every body into the matching slot of `out` (as long as `bodies`).
///
/// Callers check [`available`] first; without AVX-512 this hashes one at a time.
pub(super) fn hash_all<E: AsRef<[u8]>>(prefix: u8, bodies: &[E], out: &mut [Hash]) {
    assert_eq!(bodies.len(), out.len(), "one output slot per message");
    #[cfg(target_arch = "x86_64")]
    {
        if available() {
            // SAFETY: the CPU supports AVX-512F and AVX-512BW, checked just above.
            unsafe { x86::hash_all(prefix, bodies, out) };
            return;
        }
    }
    for (o, b) in out.iter_mut().zip(bodies) {
        *o = super::one(prefix, b.as_ref());
    }
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

/// The round constants sixteen at a time, as the rounds take them.
pub(super) const K_BY_16: [[u32; 16]; 4] = {
    let mut by = [[0; 16]; 4];
    let mut t = 0;
    while t < 64 {
        by[t / 16][t % 16] = K[t];
        t += 1;
    }
    by
};

/// The number of 64-byte blocks of SHA-256(prefix ‖ body) once padded.
pub(super) fn block_count(body_len: usize) -> usize {
    // One prefix byte, the 0x80 terminator and the 8-byte bit length, rounded up to blocks.
    (body_len + 1 + 1 + 8).div_ceil(64)
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

    use tlog_tiles::Hash;

    use super::{H0, K_BY_16, LANES, block_count};

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

    /// How block `j` of a padded message prefix ‖ body is made, the same for every body of
    /// one length: which of its bytes come from the body, and the bytes it adds (the prefix,
    /// the 0x80 terminator, the bit length).
    #[derive(Clone, Copy)]
    struct Shape {
        body_len: usize,
        from_body: __mmask64,
        added: __m512i,
    }

    /// The [`Shape`] of block `j` (of `blocks`) for a body of `body_len` bytes.
    #[target_feature(enable = "avx512f")]
    fn shape(prefix: u8, body_len: usize, j: usize, blocks: usize) -> Shape {
        let len = body_len + 1; // message length with the prefix byte
        let start = 64 * j; // offset of this block in the message
        // Byte i of the block is byte start + i - 1 of the body, where that is inside it.
        let lo = usize::from(j == 0);
        let hi = len.saturating_sub(start).min(64);
        let from_body = if hi > lo {
            (u64::MAX >> (64 - (hi - lo))) << lo
        } else {
            0
        };
        let mut added = [0u8; 64];
        if j == 0 {
            added[0] = prefix;
        }
        if (start..start + 64).contains(&len) {
            added[len - start] = 0x80;
        }
        if j + 1 == blocks {
            added[56..].copy_from_slice(&(len as u64 * 8).to_be_bytes());
        }
        Shape {
            body_len,
            from_body,
            // SAFETY: `added` is 64 readable bytes; the load is unaligned.
            added: unsafe { _mm512_loadu_si512(added.as_ptr().cast()) },
        }
    }

    /// Block `j` of the padded message prefix ‖ body as 64 bytes in a vector, `shape` being
    /// that block's [`Shape`] for bodies of this length: one masked load of the body's bytes
    /// (bytes outside the body are neither read nor kept), then the added bytes.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw")]
    fn load_block(body: &[u8], j: usize, shape: &Shape) -> __m512i {
        debug_assert_eq!(body.len(), shape.body_len);
        let ptr = body.as_ptr().wrapping_add(64 * j).wrapping_sub(1);
        // SAFETY: the shape's mask selects byte i only where 64j + i - 1 lies inside a body of
        // this length, so every byte read is inside the slice; masked-out bytes are not
        // accessed (AVX-512 masked loads suppress faults on them) and read as zero. The load
        // is unaligned.
        let v = unsafe { _mm512_maskz_loadu_epi8(shape.from_body, ptr.cast()) };
        _mm512_or_si512(v, shape.added)
    }

    /// [`load_block`]'s 64 bytes, for tests.
    #[cfg(test)]
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn load_block_bytes(prefix: u8, body: &[u8], j: usize, blocks: usize) -> [u8; 64] {
        let mut b = [0u8; 64];
        let v = load_block(body, j, &shape(prefix, body.len(), j, blocks));
        // SAFETY: `b` is 64 writable bytes; the store is unaligned.
        unsafe { _mm512_storeu_si512(b.as_mut_ptr().cast(), v) };
        b
    }

    /// Asks for block `j` of the padded message prefix ‖ body to be brought into the cache.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn prefetch(body: &[u8], j: usize) {
        // The block's body bytes are 64j - 1 .. 64j + 63: two cache lines at most.
        for at in [(64 * j).saturating_sub(1), 64 * j + 63] {
            if at < body.len() {
                // SAFETY: `at` is inside `body`; a prefetch reads nothing into the program.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(body.as_ptr().add(at).cast()) };
            }
        }
    }

    /// Transposes sixteen rows of sixteen words: word `t` of row `i` goes to word `i` of row `t`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn transpose(r: [__m512i; 16]) -> [__m512i; 16] {
        // Within each 128-bit chunk, 4 x 4 blocks of words: u[g][k] chunk c holds word 4c + k
        // of rows 4g .. 4g + 4.
        let mut u = [[_mm512_setzero_si512(); 4]; 4];
        for (g, u) in u.iter_mut().enumerate() {
            let t0 = _mm512_unpacklo_epi32(r[4 * g], r[4 * g + 1]);
            let t1 = _mm512_unpackhi_epi32(r[4 * g], r[4 * g + 1]);
            let t2 = _mm512_unpacklo_epi32(r[4 * g + 2], r[4 * g + 3]);
            let t3 = _mm512_unpackhi_epi32(r[4 * g + 2], r[4 * g + 3]);
            *u = [
                _mm512_unpacklo_epi64(t0, t2),
                _mm512_unpackhi_epi64(t0, t2),
                _mm512_unpacklo_epi64(t1, t3),
                _mm512_unpackhi_epi64(t1, t3),
            ];
        }
        // Then the 4 x 4 chunks: word 4c + k of every row is chunk c of u[0..4][k].
        let mut w = [_mm512_setzero_si512(); 16];
        for k in 0..4 {
            let x0 = _mm512_shuffle_i32x4::<0x44>(u[0][k], u[1][k]);
            let x1 = _mm512_shuffle_i32x4::<0xEE>(u[0][k], u[1][k]);
            let x2 = _mm512_shuffle_i32x4::<0x44>(u[2][k], u[3][k]);
            let x3 = _mm512_shuffle_i32x4::<0xEE>(u[2][k], u[3][k]);
            w[k] = _mm512_shuffle_i32x4::<0x88>(x0, x2);
            w[4 + k] = _mm512_shuffle_i32x4::<0xDD>(x0, x2);
            w[8 + k] = _mm512_shuffle_i32x4::<0x88>(x1, x3);
            w[12 + k] = _mm512_shuffle_i32x4::<0xDD>(x1, x3);
        }
        w
    }

    /// The byte shuffle that reverses the bytes of every 32-bit word.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn byte_swap_mask() -> __m512i {
        _mm512_broadcast_i32x4(_mm_set_epi64x(
            0x0C0D_0E0F_0809_0A0Bu64 as i64,
            0x0405_0607_0001_0203u64 as i64,
        ))
    }

    /// One SHA-256 compression of one block in every lane (`w[t]` holds word `t` of every
    /// lane's block); lanes outside `active` keep `state`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn compress(state: &mut [__m512i; 8], mut w: [__m512i; 16], active: __mmask16) {
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        // The rounds are written out sixteen at a time with constant indices into the
        // message-schedule ring, so that the ring and the state stay in registers. Round t
        // names the working variables rotated by t places instead of moving them.
        macro_rules! round {
            ($k:expr, $i:literal, $schedule:expr, $a:ident, $b:ident, $c:ident, $d:ident,
             $e:ident, $f:ident, $g:ident, $h:ident) => {{
                if $schedule {
                    // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
                    w[$i] = add(
                        add(small_sigma1(w[($i + 14) % 16]), w[($i + 9) % 16]),
                        add(small_sigma0(w[($i + 1) % 16]), w[$i]),
                    );
                }
                // h + K + W does not depend on this round's e: it is summed off the
                // critical path.
                let hkw = add($h, add(_mm512_set1_epi32($k[$i] as i32), w[$i]));
                let t1 = add(add(hkw, ch($e, $f, $g)), big_sigma1($e));
                let t2 = add(big_sigma0($a), maj($a, $b, $c));
                $d = add($d, t1);
                $h = add(t1, t2);
            }};
        }
        macro_rules! sixteen_rounds {
            ($k:expr, $schedule:expr) => {
                round!($k, 0, $schedule, a, b, c, d, e, f, g, h);
                round!($k, 1, $schedule, h, a, b, c, d, e, f, g);
                round!($k, 2, $schedule, g, h, a, b, c, d, e, f);
                round!($k, 3, $schedule, f, g, h, a, b, c, d, e);
                round!($k, 4, $schedule, e, f, g, h, a, b, c, d);
                round!($k, 5, $schedule, d, e, f, g, h, a, b, c);
                round!($k, 6, $schedule, c, d, e, f, g, h, a, b);
                round!($k, 7, $schedule, b, c, d, e, f, g, h, a);
                round!($k, 8, $schedule, a, b, c, d, e, f, g, h);
                round!($k, 9, $schedule, h, a, b, c, d, e, f, g);
                round!($k, 10, $schedule, g, h, a, b, c, d, e, f);
                round!($k, 11, $schedule, f, g, h, a, b, c, d, e);
                round!($k, 12, $schedule, e, f, g, h, a, b, c, d);
                round!($k, 13, $schedule, d, e, f, g, h, a, b, c);
                round!($k, 14, $schedule, c, d, e, f, g, h, a, b);
                round!($k, 15, $schedule, b, c, d, e, f, g, h, a);
            };
        }
        sixteen_rounds!(&K_BY_16[0], false);
        for k in &K_BY_16[1..] {
            sixteen_rounds!(k, true);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = _mm512_mask_add_epi32(*s, active, *s, v);
        }
    }

    /// SHA-256(prefix ‖ body) of every body into the matching slot of `out`, sixteen at a time.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn hash_all<E: AsRef<[u8]>>(prefix: u8, bodies: &[E], out: &mut [Hash]) {
        let swap = byte_swap_mask();
        for (g, (group, slots)) in bodies.chunks(LANES).zip(out.chunks_mut(LANES)).enumerate() {
            // The next group's first blocks are fetched into the cache while this one is hashed.
            for body in bodies.iter().skip((g + 1) * LANES).take(LANES) {
                prefetch(body.as_ref(), 0);
            }
            let mut blocks = [0usize; LANES];
            for (n, body) in blocks.iter_mut().zip(group) {
                *n = block_count(body.as_ref().len());
            }
            let most = blocks.iter().copied().max().unwrap_or(0);
            let mut state = H0.map(|h| _mm512_set1_epi32(h as i32));
            let mut rows = [_mm512_setzero_si512(); 16];
            // Sixteen bodies of one length (entries of a fixed size, interior nodes) take the
            // short way: one shape per block for all lanes, every lane active.
            let uniform = group.len() == LANES
                && group
                    .iter()
                    .all(|b| b.as_ref().len() == group[0].as_ref().len());
            for j in 0..most {
                let mut active: __mmask16 = 0;
                if uniform {
                    let shape = shape(prefix, group[0].as_ref().len(), j, most);
                    for (row, body) in rows.iter_mut().zip(group) {
                        *row = load_block(body.as_ref(), j, &shape);
                        prefetch(body.as_ref(), j + 1);
                    }
                    active = u16::MAX;
                } else {
                    // Bodies of one length share a shape: it is worked out once per run of them.
                    let mut last: Option<Shape> = None;
                    for (i, (body, &n)) in group.iter().zip(&blocks).enumerate() {
                        let body = body.as_ref();
                        if j < n {
                            active |= 1 << i;
                            let shape = match last {
                                Some(s) if s.body_len == body.len() => s,
                                _ => *last.insert(shape(prefix, body.len(), j, n)),
                            };
                            rows[i] = load_block(body, j, &shape);
                            prefetch(body, j + 1);
                        }
                    }
                }
                let mut w = transpose(rows);
                for v in &mut w {
                    *v = _mm512_shuffle_epi8(*v, swap);
                }
                compress(&mut state, w, active);
            }
            // Back to one digest per lane, each word big-endian.
            let mut rows = [_mm512_setzero_si512(); 16];
            for (row, v) in rows.iter_mut().zip(state) {
                *row = _mm512_shuffle_epi8(v, swap);
            }
            let digests = transpose(rows);
            for (slot, d) in slots.iter_mut().zip(digests) {
                let mut words = [0u8; 64];
                // SAFETY: `words` is 64 writable bytes; the store is unaligned.
                unsafe { _mm512_storeu_si512(words.as_mut_ptr().cast(), d) };
                slot.0.copy_from_slice(&words[..32]);
            }
        }
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
        assert_eq!(
            K_BY_16.concat(),
            K,
            "the constants sixteen at a time, in order"
        );
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
            let mut block = [0u8; 64];
            let bytes: Vec<u8> = (0..n)
                .flat_map(|j| {
                    fill_block(7, &body, j, n, &mut block);
                    block
                })
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

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vector_block_loads_match_the_padded_blocks() {
        if !accord_testkit::runs_on_this_machine(
            "vector_block_loads_match_the_padded_blocks",
            "the avx512-x16 hashing path (a CPU feature)",
            available(),
        ) {
            return;
        }
        // Every length around the block and padding boundaries, every block of each; the body
        // sits inside a larger buffer so that a read outside it would show as wrong bytes.
        let buffer: Vec<u8> = (0..400u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in (0..=200).chain([255, 256, 257, 300]) {
            let body = &buffer[50..50 + len];
            let n = block_count(len);
            for j in 0..n {
                let mut want = [0u8; 64];
                fill_block(0xC3, body, j, n, &mut want);
                // SAFETY: the CPU has AVX-512F and AVX-512BW (checked above).
                let got = unsafe { x86::load_block_bytes(0xC3, body, j, n) };
                assert_eq!(got, want, "length {len}, block {j} of {n}");
            }
        }
    }
}
