//! A faster prover for aggregated Bulletproofs range proofs, byte-compatible with `bulletproofs`.
//!
//! The proofs are the `bulletproofs` crate's own `RangeProof`s (same generators, same transcript,
//! same byte layout) and are checked by that crate's verifier; only the proving is done here,
//! because the crate's prover spends most of its time on two things this one avoids:
//!
//! * It runs the multi-party protocol even for one prover, so every aggregated value pays its
//!   own blinding commitments (`A`, `S`, `T_1`, `T_2` shares and a second Pedersen commitment
//!   of the value). Here the prover is one party: one blinding per proof, and the value
//!   commitments use fixed-base tables.
//! * Its inner-product argument folds the generator vectors in every round with one two-point
//!   scalar multiplication per generator (about `2·N` of them for `N` proven bits). Here the
//!   first [`DEFERRED_ROUNDS`] rounds compute `L` and `R` as multiscalar multiplications over
//!   the original generators (their folded coefficients are products of challenges), then the
//!   generators are folded once, `2^DEFERRED_ROUNDS` at a time, and the remaining rounds fold
//!   as usual on vectors eight times shorter.
//!
//! Operations on secret values (`A`, `S`, `T_1`, `T_2`, the value commitments) are
//! constant-time, as in `bulletproofs`; the inner-product argument works on blinded vectors
//! with variable-time arithmetic, as in `bulletproofs`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use bulletproofs::RangeProof;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{MultiscalarMul, VartimeMultiscalarMul};
use merlin::Transcript;
use rand::{CryptoRng, RngCore};
use sha3::Shake256;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroize;

use crate::counts::{blinding_table, pedersen_commit};
use crate::error::EscrowError;

/// Inner-product rounds computed over the original generators before they are folded.
pub(crate) const DEFERRED_ROUNDS: usize = 3;

/// Points per constant-time multiscalar multiplication chunk (keeps its tables in cache).
const CHUNK: usize = 128;

/// The aggregated generator vectors `G` and `H` for `bits` x `parties`, in proof order.
pub(crate) struct Generators {
    g: Vec<RistrettoPoint>,
    h: Vec<RistrettoPoint>,
}

/// The `bulletproofs` generator chain: SHAKE256("GeneratorsChain" ‖ label), 64 bytes a point.
///
/// Rebuilt here because `bulletproofs` 5.0.0 does not expose its `H` generators; the tests check
/// `G` against the crate, and the crate's verifier accepting our proofs checks `H`.
fn chain(label: &[u8], count: usize) -> Vec<RistrettoPoint> {
    let mut shake = Shake256::default();
    shake.update(b"GeneratorsChain");
    shake.update(label);
    let mut reader = shake.finalize_xof();
    (0..count)
        .map(|_| {
            let mut bytes = [0u8; 64];
            reader.read(&mut bytes);
            RistrettoPoint::from_uniform_bytes(&bytes)
        })
        .collect()
}

type Cache = Mutex<HashMap<(usize, usize), Arc<Generators>>>;

/// The generators `bulletproofs::BulletproofGens::new(bits, parties)` holds, built once and shared.
pub(crate) fn generators(bits: usize, parties: usize) -> Arc<Generators> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry((bits, parties))
        .or_insert_with(|| {
            let mut g = Vec::with_capacity(bits * parties);
            let mut h = Vec::with_capacity(bits * parties);
            for j in 0..parties as u32 {
                let mut label = [b'G', 0, 0, 0, 0];
                label[1..].copy_from_slice(&j.to_le_bytes());
                g.extend(chain(&label, bits));
                label[0] = b'H';
                h.extend(chain(&label, bits));
            }
            Arc::new(Generators { g, h })
        })
        .clone()
}

fn challenge(t: &mut Transcript, label: &'static [u8]) -> Scalar {
    let mut buf = [0u8; 64];
    t.challenge_bytes(label, &mut buf);
    Scalar::from_bytes_mod_order_wide(&buf)
}

fn inner(a: &[Scalar], b: &[Scalar]) -> Scalar {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Proves that every `values[j]` lies in `[0, 2^bits)`, as one aggregated range proof.
///
/// `values.len()` must be a power of two; the transcript is the caller's (domain-separated
/// as `bulletproofs` does it, so `RangeProof::verify_multiple` checks the result). Returns
/// the proof and the compressed Pedersen commitments to the values.
pub(crate) fn prove_range(
    transcript: &mut Transcript,
    values: &[u64],
    blindings: &[Scalar],
    bits: usize,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(RangeProof, Vec<CompressedRistretto>), EscrowError> {
    let m = values.len();
    if !matches!(bits, 8 | 16 | 32 | 64) {
        return Err(EscrowError::Proving(format!(
            "unsupported bit width {bits}"
        )));
    }
    if m == 0 || !m.is_power_of_two() || blindings.len() != m {
        return Err(EscrowError::Proving(format!(
            "{m} values and {} blindings: need a power of two of each",
            blindings.len()
        )));
    }
    if bits < 64
        && let Some(v) = values.iter().find(|&&v| v >> bits != 0)
    {
        return Err(EscrowError::Proving(format!(
            "value {v} does not fit in {bits} bits"
        )));
    }
    let n = bits;
    let nm = n * m;
    let gens = generators(n, m);

    let commitments: Vec<CompressedRistretto> = values
        .iter()
        .zip(blindings)
        .map(|(&v, r)| pedersen_commit(v, r).compress())
        .collect();
    transcript.append_message(b"dom-sep", b"rangeproof v1");
    transcript.append_u64(b"n", n as u64);
    transcript.append_u64(b"m", m as u64);
    for v in &commitments {
        transcript.append_message(b"V", v.as_bytes());
    }

    let bit = |k: usize| ((values[k / n] >> (k % n)) & 1) as u8;
    let mut alpha = Scalar::random(rng);
    let mut a_point = &alpha * blinding_table();
    for k in 0..nm {
        let neg_h = -gens.h[k];
        a_point += RistrettoPoint::conditional_select(&neg_h, &gens.g[k], Choice::from(bit(k)));
    }
    let mut rho = Scalar::random(rng);
    let s_l: Vec<Scalar> = (0..nm).map(|_| Scalar::random(rng)).collect();
    let mut s_r: Vec<Scalar> = (0..nm).map(|_| Scalar::random(rng)).collect();
    let mut s_point = &rho * blinding_table();
    for first in (0..nm).step_by(CHUNK) {
        let end = (first + CHUNK).min(nm);
        s_point += RistrettoPoint::multiscalar_mul(
            s_l[first..end].iter().chain(&s_r[first..end]),
            gens.g[first..end].iter().chain(&gens.h[first..end]),
        );
    }
    let a_c = a_point.compress();
    let s_c = s_point.compress();
    transcript.append_message(b"A", a_c.as_bytes());
    transcript.append_message(b"S", s_c.as_bytes());
    let y = challenge(transcript, b"y");
    let z = challenge(transcript, b"z");

    // l(X) = l0 + l1·X, r(X) = r0 + r1·X, as each party of `bulletproofs` would build its share.
    let mut l0 = Vec::with_capacity(nm);
    let mut r0 = Vec::with_capacity(nm);
    let mut r1 = Vec::with_capacity(nm);
    let mut exp_y = Scalar::ONE;
    let mut z_j = z * z;
    let mut blinding_z = Scalar::ZERO;
    for (j, gamma) in blindings.iter().enumerate() {
        blinding_z += z_j * gamma;
        let mut exp_2 = Scalar::ONE;
        for i in 0..n {
            let k = j * n + i;
            let a_l = Scalar::from(bit(k));
            l0.push(a_l - z);
            r0.push(exp_y * (a_l - Scalar::ONE + z) + z_j * exp_2);
            r1.push(exp_y * s_r[k]);
            exp_y *= y;
            exp_2 += exp_2;
        }
        z_j *= z;
    }
    let mut l1 = s_l;
    let mut t1 = inner(&l0, &r1) + inner(&l1, &r0);
    let mut t2 = inner(&l1, &r1);
    let mut tau1 = Scalar::random(rng);
    let mut tau2 = Scalar::random(rng);
    let t1_c = (&t1 * RISTRETTO_BASEPOINT_TABLE + &tau1 * blinding_table()).compress();
    let t2_c = (&t2 * RISTRETTO_BASEPOINT_TABLE + &tau2 * blinding_table()).compress();
    transcript.append_message(b"T_1", t1_c.as_bytes());
    transcript.append_message(b"T_2", t2_c.as_bytes());
    let x = challenge(transcript, b"x");

    let l: Vec<Scalar> = l0.iter().zip(&l1).map(|(a, b)| a + b * x).collect();
    let r: Vec<Scalar> = r0.iter().zip(&r1).map(|(a, b)| a + b * x).collect();
    let t_x = inner(&l, &r);
    let t_x_blinding = blinding_z + tau1 * x + tau2 * x * x;
    let e_blinding = alpha + rho * x;
    // The blinding factors and the bit vectors are secret: clear them as `bulletproofs` does.
    for v in [&mut l0, &mut l1, &mut r0, &mut r1] {
        v.zeroize();
    }
    s_r.zeroize();
    for s in [
        &mut alpha,
        &mut rho,
        &mut tau1,
        &mut tau2,
        &mut blinding_z,
        &mut t1,
        &mut t2,
    ] {
        s.zeroize();
    }
    transcript.append_message(b"t_x", t_x.as_bytes());
    transcript.append_message(b"t_x_blinding", t_x_blinding.as_bytes());
    transcript.append_message(b"e_blinding", e_blinding.as_bytes());
    let w = challenge(transcript, b"w");
    let q = &w * RISTRETTO_BASEPOINT_TABLE;

    let mut bytes = Vec::with_capacity((9 + 2 * nm.trailing_zeros() as usize) * 32);
    for p in [a_c, s_c, t1_c, t2_c] {
        bytes.extend_from_slice(p.as_bytes());
    }
    for s in [t_x, t_x_blinding, e_blinding] {
        bytes.extend_from_slice(s.as_bytes());
    }
    inner_product(transcript, &gens, &q, y.invert(), l, r, &mut bytes);
    let proof = RangeProof::from_bytes(&bytes)
        .map_err(|e| EscrowError::Proving(format!("assembling the proof: {e}")))?;
    Ok((proof, commitments))
}

/// The inner-product argument for `<a, b>` over `G` and `H·y^-k` with `Q`, appended to `out`.
fn inner_product(
    transcript: &mut Transcript,
    gens: &Generators,
    q: &RistrettoPoint,
    y_inv: Scalar,
    mut a: Vec<Scalar>,
    mut b: Vec<Scalar>,
    out: &mut Vec<u8>,
) {
    let nm = a.len();
    transcript.append_message(b"dom-sep", b"ipp v1");
    transcript.append_u64(b"n", nm as u64);
    let mut y_inv_pow = Vec::with_capacity(nm);
    let mut acc = Scalar::ONE;
    for _ in 0..nm {
        y_inv_pow.push(acc);
        acc *= y_inv;
    }
    let (g0, h0) = (&gens.g[..nm], &gens.h[..nm]);
    // Deferred rounds: the current G[i] is Σ_t gc[t]·G0[i + t·len], and H[i] is
    // Σ_t hc[t]·y^-(i + t·len)·H0[i + t·len], len being the current length.
    let mut gc = vec![Scalar::ONE];
    let mut hc = vec![Scalar::ONE];
    let mut len = nm;
    let round = |transcript: &mut Transcript,
                 l_point: RistrettoPoint,
                 r_point: RistrettoPoint,
                 out: &mut Vec<u8>| {
        let (lc, rc) = (l_point.compress(), r_point.compress());
        out.extend_from_slice(lc.as_bytes());
        out.extend_from_slice(rc.as_bytes());
        transcript.append_message(b"L", lc.as_bytes());
        transcript.append_message(b"R", rc.as_bytes());
        let u = challenge(transcript, b"u");
        (u, u.invert())
    };
    let fold = |a: &mut Vec<Scalar>, b: &mut Vec<Scalar>, u: Scalar, u_inv: Scalar| {
        let half = a.len() / 2;
        for i in 0..half {
            a[i] = a[i] * u + u_inv * a[half + i];
            b[i] = b[i] * u_inv + u * b[half + i];
        }
        a.truncate(half);
        b.truncate(half);
    };
    let mut deferred = 0;
    while len > 1 && deferred < DEFERRED_ROUNDS {
        let half = len / 2;
        let c_l = inner(&a[..half], &b[half..]);
        let c_r = inner(&a[half..], &b[..half]);
        let blocks = gc.len();
        let mut ls = Vec::with_capacity(len + 1);
        let mut lp = Vec::with_capacity(len + 1);
        let mut rs = Vec::with_capacity(len + 1);
        let mut rp = Vec::with_capacity(len + 1);
        for t in 0..blocks {
            let base = t * len;
            for i in 0..half {
                ls.push(a[i] * gc[t]);
                lp.push(g0[base + half + i]);
                rs.push(a[half + i] * gc[t]);
                rp.push(g0[base + i]);
                ls.push(b[half + i] * hc[t] * y_inv_pow[base + i]);
                lp.push(h0[base + i]);
                rs.push(b[i] * hc[t] * y_inv_pow[base + half + i]);
                rp.push(h0[base + half + i]);
            }
        }
        ls.push(c_l);
        lp.push(*q);
        rs.push(c_r);
        rp.push(*q);
        let (u, u_inv) = round(
            transcript,
            RistrettoPoint::vartime_multiscalar_mul(&ls, &lp),
            RistrettoPoint::vartime_multiscalar_mul(&rs, &rp),
            out,
        );
        fold(&mut a, &mut b, u, u_inv);
        gc = gc.iter().flat_map(|c| [u_inv * c, u * c]).collect();
        hc = hc.iter().flat_map(|c| [u * c, u_inv * c]).collect();
        len = half;
        deferred += 1;
    }
    if len > 1 {
        // Fold the generators `gc.len()` at a time, then go on with the usual rounds.
        let blocks = gc.len();
        let mut g: Vec<RistrettoPoint> = (0..len)
            .map(|i| {
                RistrettoPoint::vartime_multiscalar_mul(&gc, (0..blocks).map(|t| g0[i + t * len]))
            })
            .collect();
        let mut h: Vec<RistrettoPoint> = (0..len)
            .map(|i| {
                RistrettoPoint::vartime_multiscalar_mul(
                    (0..blocks).map(|t| hc[t] * y_inv_pow[i + t * len]),
                    (0..blocks).map(|t| h0[i + t * len]),
                )
            })
            .collect();
        while len > 1 {
            let half = len / 2;
            let c_l = inner(&a[..half], &b[half..]);
            let c_r = inner(&a[half..], &b[..half]);
            let l_point = RistrettoPoint::vartime_multiscalar_mul(
                a[..half].iter().chain(&b[half..]).chain([&c_l]),
                g[half..].iter().chain(&h[..half]).chain([q]),
            );
            let r_point = RistrettoPoint::vartime_multiscalar_mul(
                a[half..].iter().chain(&b[..half]).chain([&c_r]),
                g[..half].iter().chain(&h[half..]).chain([q]),
            );
            let (u, u_inv) = round(transcript, l_point, r_point, out);
            fold(&mut a, &mut b, u, u_inv);
            for i in 0..half {
                g[i] = RistrettoPoint::vartime_multiscalar_mul([u_inv, u], [g[i], g[half + i]]);
                h[i] = RistrettoPoint::vartime_multiscalar_mul([u, u_inv], [h[i], h[half + i]]);
            }
            g.truncate(half);
            h.truncate(half);
            len = half;
        }
    }
    out.extend_from_slice(a[0].as_bytes());
    out.extend_from_slice(b[0].as_bytes());
    // `l` and `r` (here `a` and `b`) are the blinded bit vectors: cleared, spare capacity too.
    a.zeroize();
    b.zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulletproofs::{BulletproofGens, PedersenGens};

    fn check(bits: usize, values: &[u64]) {
        let mut rng = crate::test_rng();
        let blindings: Vec<Scalar> = values.iter().map(|_| Scalar::random(&mut rng)).collect();
        let mut t = Transcript::new(b"accord prover test");
        let (proof, vs) = prove_range(&mut t, values, &blindings, bits, &mut rng).unwrap();
        let bp = BulletproofGens::new(bits, values.len());
        let pc = PedersenGens::default();
        for (v, (x, r)) in vs.iter().zip(values.iter().zip(&blindings)) {
            assert_eq!(*v, pc.commit(Scalar::from(*x), *r).compress());
        }
        let mut t = Transcript::new(b"accord prover test");
        proof
            .verify_multiple(&bp, &pc, &mut t, &vs, bits)
            .unwrap_or_else(|e| panic!("{bits} bits x {}: {e}", values.len()));
        let mut t = Transcript::new(b"another transcript");
        assert!(proof.verify_multiple(&bp, &pc, &mut t, &vs, bits).is_err());
        // The same values with one commitment swapped for another value's do not verify.
        if values.len() > 1 {
            let mut swapped = vs.clone();
            swapped.swap(0, 1);
            if swapped != vs {
                let mut t = Transcript::new(b"accord prover test");
                assert!(
                    proof
                        .verify_multiple(&bp, &pc, &mut t, &swapped, bits)
                        .is_err()
                );
            }
        }
    }

    #[test]
    fn proofs_verify_with_the_bulletproofs_verifier() {
        check(8, &[0]);
        check(8, &[255, 1]);
        check(16, &[65_535, 0, 7, 300]);
        check(32, &[u64::from(u32::MAX), 12]);
        check(64, &[u64::MAX]);
        // Long enough that rounds run both deferred and folded.
        let many: Vec<u64> = (0..64u64).map(|i| i * 977 % 65_536).collect();
        check(16, &many);
    }

    #[test]
    fn generators_match_bulletproofs() {
        let bp = BulletproofGens::new(16, 4);
        let ours = generators(16, 4);
        for j in 0..4 {
            let theirs: Vec<RistrettoPoint> = bp.share(j).G(16).copied().collect();
            assert_eq!(theirs, ours.g[j * 16..(j + 1) * 16]);
        }
    }

    #[test]
    fn values_out_of_range_or_badly_shaped_are_refused() {
        let r = [Scalar::ONE, Scalar::ONE];
        let mut t = Transcript::new(b"t");
        assert!(prove_range(&mut t, &[1 << 16, 0], &r, 16, &mut crate::test_rng()).is_err());
        assert!(prove_range(&mut t, &[1, 2], &r, 12, &mut crate::test_rng()).is_err());
        assert!(
            prove_range(
                &mut t,
                &[1, 2, 3],
                &[Scalar::ONE; 3],
                16,
                &mut crate::test_rng()
            )
            .is_err()
        );
        assert!(prove_range(&mut t, &[1], &r, 16, &mut crate::test_rng()).is_err());
    }
}
