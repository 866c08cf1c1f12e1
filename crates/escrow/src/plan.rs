//! Inspection planning: the odds of catching false entries.
//!
//! Of `N` declared sites, `k` are declared falsely; `n` distinct sites are inspected, drawn
//! uniformly without replacement. The number of false sites inspected is hypergeometric, and
//!
//! ```text
//! P(at least one false site inspected) = 1 − C(N−k, n) / C(N, n) = 1 − Π_{i<n} (1 − k / (N − i))
//! ```
//!
//! The product is summed in log space (`ln_1p`) and turned back with `exp_m1`, so there is no
//! overflow for any `N` that fits in a `u64` and the relative error stays near 1e-12 even for
//! `N` = 100,000 (the tests hold it against exact enumeration and exact binomials).

use std::fmt::Write as _;

/// Inputs that do not describe a possible inspection plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// More false sites than sites.
    #[error("{false_sites} false sites among only {sites} sites")]
    TooManyFalse {
        /// Sites declared.
        sites: u64,
        /// False sites assumed.
        false_sites: u64,
    },
    /// More inspections than sites.
    #[error("{inspected} inspections of only {sites} sites")]
    TooManyInspections {
        /// Sites declared.
        sites: u64,
        /// Inspections planned.
        inspected: u64,
    },
    /// A target probability outside (0, 1].
    #[error("target probability {0} must lie in (0, 1]")]
    BadTarget(f64),
}

/// Slack allowed when comparing a computed probability with a target (floating rounding).
pub const TOLERANCE: f64 = 1e-12;

/// `ln` of the probability that `n` inspections of `sites` sites miss all `false_sites`.
fn ln_miss(sites: u64, false_sites: u64, n: u64) -> f64 {
    if n > sites - false_sites {
        return f64::NEG_INFINITY;
    }
    (0..n)
        .map(|i| (-(false_sites as f64) / (sites - i) as f64).ln_1p())
        .sum()
}

/// The probability that inspecting `inspected` of `sites` sites, drawn uniformly without
/// replacement, finds at least one of `false_sites` false ones.
pub fn detection_probability(
    sites: u64,
    false_sites: u64,
    inspected: u64,
) -> Result<f64, PlanError> {
    if false_sites > sites {
        return Err(PlanError::TooManyFalse { sites, false_sites });
    }
    if inspected > sites {
        return Err(PlanError::TooManyInspections { sites, inspected });
    }
    if false_sites == 0 || inspected == 0 {
        return Ok(0.0);
    }
    Ok(-ln_miss(sites, false_sites, inspected).exp_m1())
}

/// The smallest number of inspections whose detection probability reaches `target`, or `None`
/// when no number does (no false site at all).
pub fn inspections_needed(
    sites: u64,
    false_sites: u64,
    target: f64,
) -> Result<Option<u64>, PlanError> {
    if !(target > 0.0 && target <= 1.0) {
        return Err(PlanError::BadTarget(target));
    }
    if false_sites > sites {
        return Err(PlanError::TooManyFalse { sites, false_sites });
    }
    if false_sites == 0 {
        return Ok(None);
    }
    let mut ln = 0.0f64;
    for n in 1..=sites - false_sites {
        ln += (-(false_sites as f64) / (sites - (n - 1)) as f64).ln_1p();
        if -ln.exp_m1() >= target - TOLERANCE {
            return Ok(Some(n));
        }
    }
    // Inspecting one more site than there are honest ones is certain to find a false one.
    Ok(Some(sites - false_sites + 1))
}

/// The table of typical cases printed by `accord inspect plan --table` (Markdown).
pub fn typical_table() -> String {
    let mut out = String::new();
    out.push_str(
        "| declared sites N | false sites k | P(detect) with n = 5 | n = 10 | n = 20 | \
         n for 50 % | n for 90 % | n for 95 % | n for 99 % |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for &sites in &[20u64, 100, 1_000, 10_000, 100_000] {
        let mut ks: Vec<u64> = vec![1, sites / 100, sites / 20, sites / 10];
        ks.retain(|&k| k >= 1);
        ks.dedup();
        for k in ks {
            let p = |n: u64| {
                detection_probability(sites, k, n.min(sites))
                    .map(|p| format!("{:.2} %", p * 100.0))
                    .unwrap_or_default()
            };
            let need = |t: f64| match inspections_needed(sites, k, t) {
                Ok(Some(n)) => n.to_string(),
                _ => "-".into(),
            };
            let _ = writeln!(
                out,
                "| {sites} | {k} ({} %) | {} | {} | {} | {} | {} | {} | {} |",
                k as f64 * 100.0 / sites as f64,
                p(5),
                p(10),
                p(20),
                need(0.5),
                need(0.9),
                need(0.95),
                need(0.99)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact probability by enumerating every subset of `n` sites (sites 0..k are false).
    fn brute_force(sites: u32, k: u32, n: u32) -> (u64, u64) {
        let false_mask = (1u32 << k) - 1;
        let (mut hit, mut all) = (0u64, 0u64);
        for subset in 0u32..(1 << sites) {
            if subset.count_ones() == n {
                all += 1;
                if subset & false_mask != 0 {
                    hit += 1;
                }
            }
        }
        (hit, all)
    }

    fn binom(n: u64, k: u64) -> u128 {
        if k > n {
            return 0;
        }
        let mut r: u128 = 1;
        for i in 0..k {
            r = r * u128::from(n - i) / u128::from(i + 1);
        }
        r
    }

    #[test]
    fn matches_exhaustive_enumeration_for_small_cases() {
        for sites in 1..=14u32 {
            for k in 0..=sites {
                for n in 0..=sites {
                    let (hit, all) = brute_force(sites, k, n);
                    let exact = hit as f64 / all as f64;
                    let p = detection_probability(sites.into(), k.into(), n.into()).unwrap();
                    assert!(
                        (p - exact).abs() < 1e-13,
                        "N={sites} k={k} n={n}: {p} vs {exact}"
                    );
                }
            }
        }
    }

    #[test]
    fn matches_exact_binomials_for_medium_cases() {
        for &(sites, k, n) in &[
            (60u64, 3u64, 10u64),
            (100, 1, 37),
            (100, 10, 20),
            (120, 7, 60),
        ] {
            let miss = binom(sites - k, n) as f64 / binom(sites, n) as f64;
            let p = detection_probability(sites, k, n).unwrap();
            assert!(
                ((1.0 - miss) - p).abs() < 1e-12,
                "{sites} {k} {n}: {p} vs {}",
                1.0 - miss
            );
        }
    }

    #[test]
    fn large_populations_do_not_overflow_and_stay_exact() {
        // With one false site, P = n / N exactly.
        for &n in &[1u64, 17, 5_000, 99_999, 100_000] {
            let p = detection_probability(100_000, 1, n).unwrap();
            let exact = n as f64 / 100_000.0;
            assert!(
                (p - exact).abs() <= 1e-12 * exact.max(1e-300) + 1e-15,
                "{n}: {p}"
            );
        }
        let p = detection_probability(1_000_000, 1_000, 5_000).unwrap();
        assert!(p > 0.99 && p < 1.0, "{p}");
        assert_eq!(detection_probability(100_000, 50_000, 50_001).unwrap(), 1.0);
    }

    #[test]
    fn inverse_is_the_smallest_n_reaching_the_target() {
        for sites in 1..=12u32 {
            for k in 1..=sites {
                for &t in &[0.1, 0.5, 0.9, 0.95, 1.0] {
                    let n = inspections_needed(sites.into(), k.into(), t)
                        .unwrap()
                        .unwrap();
                    let (hit, all) = brute_force(sites, k, n as u32);
                    assert!(
                        hit as f64 / all as f64 >= t - 1e-12,
                        "N={sites} k={k} t={t} n={n}"
                    );
                    if n > 0 {
                        let (hit, all) = brute_force(sites, k, n as u32 - 1);
                        assert!((hit as f64 / all as f64) < t, "N={sites} k={k} t={t} n={n}");
                    }
                }
            }
        }
        // One false site in 100,000: n / N >= 0.5 first at n = 50,000.
        assert_eq!(inspections_needed(100_000, 1, 0.5).unwrap(), Some(50_000));
        assert_eq!(inspections_needed(10, 0, 0.5).unwrap(), None);
        assert!(inspections_needed(10, 1, 0.0).is_err());
        assert!(detection_probability(10, 11, 1).is_err());
        assert!(detection_probability(10, 1, 11).is_err());
    }

    #[test]
    fn table_has_every_row() {
        let t = typical_table();
        assert!(t.contains("| 100000 | 1000 (1 %) |"), "{t}");
        assert_eq!(t.lines().count(), 2 + 1 + 4 * 4);
    }
}
