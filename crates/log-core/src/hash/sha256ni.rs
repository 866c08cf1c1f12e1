//! Several SHA-256 computations in flight at once with the x86 SHA extensions (FIPS 180-4).
//!
//! Written here because no maintained crate offers multi-message SHA-256: `sha2` uses the same
//! instructions one message at a time, and one message at a time each `sha256rnds2` waits for
//! the one before it (every round depends on the last). Messages in different lanes do not
//! depend on each other, so running [`LANES`] of them through the rounds together keeps the
//! SHA unit busy while each lane waits. Each lane holds its own message; a lane whose message
//! is done takes the next one of the batch, so messages of different lengths share the lanes.
//!
//! Two lanes: the SHA instructions have only the legacy encoding, which reaches sixteen xmm
//! registers; two lanes' state and message schedule (twelve registers) fit in them, where
//! three or four lanes spill to memory every step, and two measured fastest.
//!
//! `unsafe` is confined to the entry point that checks the CPU features at run time and to the
//! unaligned loads and stores of 64-byte blocks and 32-byte digests.

use tlog_tiles::Hash;

use super::sha256x16::{block_count, fill_block};

/// Messages in flight at once.
pub(super) const LANES: usize = 2;

/// Whether this CPU has the SHA extensions and the SSE levels the path uses.
pub(super) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse4.1")
            && std::arch::is_x86_feature_detected!("ssse3")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// SHA-256(prefix ‖ body) of every body into the matching slot of `out` (as long as `bodies`).
///
/// Callers check [`available`] first; without the SHA extensions this hashes one at a time.
pub(super) fn hash_all<E: AsRef<[u8]>>(prefix: u8, bodies: &[E], out: &mut [Hash]) {
    assert_eq!(bodies.len(), out.len(), "one output slot per message");
    #[cfg(target_arch = "x86_64")]
    {
        if available() {
            // SAFETY: the CPU supports SHA, SSE2, SSSE3 and SSE4.1, checked just above.
            unsafe { x86::hash_all(prefix, bodies, out) };
            return;
        }
    }
    for (o, b) in out.iter_mut().zip(bodies) {
        *o = super::one(prefix, b.as_ref());
    }
}

/// Where block `j` of the padded message prefix ‖ body is: inside `body` (a whole block of
/// message bytes past the first), or built in `scratch` (the first block, which starts with
/// the prefix byte, and the last ones, which hold the padding).
fn block<'a>(
    prefix: u8,
    body: &'a [u8],
    j: usize,
    blocks: usize,
    scratch: &'a mut [u8; 64],
) -> &'a [u8; 64] {
    let len = body.len() + 1; // message length with the prefix byte
    let start = 64 * j; // offset of this block in the message
    if j > 0
        && start + 64 <= len
        && let Some(whole) = body[start - 1..].first_chunk::<64>()
    {
        return whole;
    }
    fill_block(prefix, body, j, blocks, scratch);
    scratch
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use tlog_tiles::Hash;

    use super::super::sha256x16::{H0, K_BY_16};
    use super::{LANES, block, block_count};

    /// The message a lane is hashing: its index in the batch, the next block and how many.
    #[derive(Clone, Copy)]
    struct Lane {
        message: usize,
        next: usize,
        blocks: usize,
    }

    /// A block for lanes with no message (its result is thrown away).
    const IDLE: [u8; 64] = [0; 64];

    /// The byte shuffle that turns four little-endian loads into big-endian words and back.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn byte_swap_mask() -> __m128i {
        _mm_set_epi64x(
            0x0C0D_0E0F_0809_0A0Bu64 as i64,
            0x0405_0607_0001_0203u64 as i64,
        )
    }

    /// The initial hash value in the two registers the SHA instructions use: (a, b, e, f) and
    /// (c, d, g, h).
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn initial_state() -> (__m128i, __m128i) {
        let dcba = _mm_set_epi32(H0[3] as i32, H0[2] as i32, H0[1] as i32, H0[0] as i32);
        let hgfe = _mm_set_epi32(H0[7] as i32, H0[6] as i32, H0[5] as i32, H0[4] as i32);
        let cdab = _mm_shuffle_epi32::<0xB1>(dcba);
        let efgh = _mm_shuffle_epi32::<0x1B>(hgfe);
        (
            _mm_alignr_epi8::<8>(cdab, efgh),
            _mm_blend_epi16::<0xF0>(efgh, cdab),
        )
    }

    /// Writes the digest held in (a, b, e, f), (c, d, g, h) to `out`, big-endian.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn store_digest(abef: __m128i, cdgh: __m128i, out: &mut Hash) {
        let feba = _mm_shuffle_epi32::<0x1B>(abef);
        let dchg = _mm_shuffle_epi32::<0xB1>(cdgh);
        let dcba = _mm_blend_epi16::<0xF0>(feba, dchg);
        let hgef = _mm_alignr_epi8::<8>(dchg, feba);
        let mask = byte_swap_mask();
        let ptr = out.0.as_mut_ptr().cast::<__m128i>();
        // SAFETY: `out` is 32 writable bytes; both stores are unaligned and within it.
        unsafe {
            _mm_storeu_si128(ptr, _mm_shuffle_epi8(dcba, mask));
            _mm_storeu_si128(ptr.add(1), _mm_shuffle_epi8(hgef, mask));
        }
    }

    /// One SHA-256 compression in each of `N` lanes, the lanes' rounds interleaved.
    ///
    /// The message schedule is a ring of four registers per lane (four words each); the
    /// sixteen steps of four rounds are written out four at a time with constant ring slots,
    /// so that the ring stays in registers.
    // Lane `l` indexes several arrays at once (state, schedule); a range reads plainest.
    #[allow(clippy::needless_range_loop)]
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn compress<const N: usize>(
        abef: &mut [__m128i; N],
        cdgh: &mut [__m128i; N],
        blocks: [&[u8; 64]; N],
    ) {
        let mask = byte_swap_mask();
        let saved = (*abef, *cdgh);
        let mut ring = [[_mm_setzero_si128(); N]; 4];
        for (l, b) in blocks.iter().enumerate() {
            let ptr = b.as_ptr().cast::<__m128i>();
            for (q, slot) in ring.iter_mut().enumerate() {
                // SAFETY: `b` is 64 readable bytes; load `q` of 4 reads bytes 16q..16q+16,
                // unaligned.
                slot[l] = _mm_shuffle_epi8(unsafe { _mm_loadu_si128(ptr.add(q)) }, mask);
            }
        }
        let [mut w0, mut w1, mut w2, mut w3] = ring;
        // Four rounds with the words of slot `$w` (W[4s..4s+4] for step s), first computing
        // them from the four slots before (`$w` itself the oldest, `$w3` the newest) when
        // `$schedule`; the lanes' `sha256rnds2` are independent, so they overlap.
        macro_rules! step {
            ($k:expr, $q:literal, $schedule:expr, $w:ident, $w1:ident, $w2:ident, $w3:ident) => {{
                if $schedule {
                    for l in 0..N {
                        let t1 = _mm_sha256msg1_epu32($w[l], $w1[l]);
                        let t2 = _mm_alignr_epi8::<4>($w3[l], $w2[l]);
                        $w[l] = _mm_sha256msg2_epu32(_mm_add_epi32(t1, t2), $w3[l]);
                    }
                }
                let k = _mm_set_epi32(
                    $k[4 * $q + 3] as i32,
                    $k[4 * $q + 2] as i32,
                    $k[4 * $q + 1] as i32,
                    $k[4 * $q] as i32,
                );
                let mut wk = [_mm_setzero_si128(); N];
                for l in 0..N {
                    wk[l] = _mm_add_epi32($w[l], k);
                    cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], wk[l]);
                }
                for l in 0..N {
                    abef[l] =
                        _mm_sha256rnds2_epu32(abef[l], cdgh[l], _mm_shuffle_epi32::<0x0E>(wk[l]));
                }
            }};
        }
        macro_rules! sixteen_rounds {
            ($k:expr, $schedule:expr) => {
                step!($k, 0, $schedule, w0, w1, w2, w3);
                step!($k, 1, $schedule, w1, w2, w3, w0);
                step!($k, 2, $schedule, w2, w3, w0, w1);
                step!($k, 3, $schedule, w3, w0, w1, w2);
            };
        }
        sixteen_rounds!(&K_BY_16[0], false);
        for k in &K_BY_16[1..] {
            sixteen_rounds!(k, true);
        }
        for l in 0..N {
            abef[l] = _mm_add_epi32(abef[l], saved.0[l]);
            cdgh[l] = _mm_add_epi32(cdgh[l], saved.1[l]);
        }
    }

    /// SHA-256(prefix ‖ body) of every body into the matching slot of `out`.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn hash_all<E: AsRef<[u8]>>(prefix: u8, bodies: &[E], out: &mut [Hash]) {
        let init = initial_state();
        let mut abef = [init.0; LANES];
        let mut cdgh = [init.1; LANES];
        let mut lanes: [Option<Lane>; LANES] = [None; LANES];
        let mut scratch = [[0u8; 64]; LANES];
        let mut waiting = bodies.iter().enumerate();
        loop {
            // Every free lane takes the next message.
            for (l, lane) in lanes.iter_mut().enumerate() {
                if lane.is_none()
                    && let Some((message, body)) = waiting.next()
                {
                    *lane = Some(Lane {
                        message,
                        next: 0,
                        blocks: block_count(body.as_ref().len()),
                    });
                    (abef[l], cdgh[l]) = init;
                }
            }
            let active = lanes.iter().flatten().count();
            if active == 0 {
                return;
            }
            let mut sources = [&IDLE; LANES];
            for ((source, lane), scratch) in sources.iter_mut().zip(&lanes).zip(&mut scratch) {
                if let Some(lane) = lane {
                    let body = bodies[lane.message].as_ref();
                    *source = block(prefix, body, lane.next, lane.blocks, scratch);
                }
            }
            if active == 1 {
                // The batch's last message alone: one lane, no work thrown away.
                let l = lanes.iter().position(Option::is_some).unwrap_or(0);
                let (mut a, mut c) = ([abef[l]], [cdgh[l]]);
                compress::<1>(&mut a, &mut c, [sources[l]]);
                (abef[l], cdgh[l]) = (a[0], c[0]);
            } else {
                compress::<LANES>(&mut abef, &mut cdgh, sources);
            }
            for (l, slot) in lanes.iter_mut().enumerate() {
                if let Some(lane) = slot {
                    lane.next += 1;
                    if lane.next == lane.blocks {
                        store_digest(abef[l], cdgh[l], &mut out[lane.message]);
                        *slot = None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_reassemble_the_padded_message() {
        for len in [0usize, 54, 55, 62, 63, 64, 126, 127, 128, 200, 256] {
            let body: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5A).collect();
            let n = block_count(len);
            let mut scratch = [0u8; 64];
            let bytes: Vec<u8> = (0..n)
                .flat_map(|j| *block(3, &body, j, n, &mut scratch))
                .collect();
            assert_eq!(bytes.len(), 64 * n, "{len}");
            assert_eq!(bytes[0], 3);
            assert_eq!(&bytes[1..=len], &body[..]);
            assert_eq!(bytes[len + 1], 0x80);
            assert!(bytes[len + 2..64 * n - 8].iter().all(|&b| b == 0), "{len}");
            let bits = u64::from_be_bytes(bytes[64 * n - 8..].try_into().unwrap());
            assert_eq!(bits, (len as u64 + 1) * 8);
        }
    }
}
