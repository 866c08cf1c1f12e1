//! Where a figure is: the zone phrase nearest it.

use super::*;

pub(super) fn resolve_zone(
    ctx: &Ctx,
    s: &Sentence,
    q_start: usize,
    noun_end: usize,
    actor: &str,
    aid: bool,
    exercise: Option<&crate::gazetteer::ExerciseDef>,
) -> (Option<String>, Option<String>) {
    let g = ctx.g;
    let w = &ctx.words;
    let mut best: Option<(usize, usize)> = None; // (distance, zone index)
    for k in s.first..s.last {
        if let Some((len, &zi)) = g.zone_phrases.match_at(w, k) {
            let d = if k >= noun_end {
                k - noun_end
            } else {
                q_start.saturating_sub(k + len) + 2
            };
            if best.is_none_or(|(bd, bz)| d < bd || (d == bd && zi < bz)) {
                best = Some((d, zi));
            }
        }
    }
    if let Some((_, zi)) = best {
        let z = &g.zones[zi];
        // Aid goes to Ukraine as a whole, not to its border.
        if aid
            && z.id == "near-ukraine"
            && let Some(u) = g.zone("ukraine")
        {
            return (Some(u.id.clone()), Some(u.label.clone()));
        }
        return (Some(z.id.clone()), Some(z.label.clone()));
    }
    let fallback = if let Some(e) = exercise.filter(|e| e.actor == actor) {
        Some(e.zone.as_str())
    } else if aid && (s.first..s.last).any(|k| matches!(w[k], "ukraine" | "ukraine's")) {
        Some("ukraine")
    } else {
        None
    };
    match fallback.and_then(|id| g.zone(id)) {
        Some(z) => (Some(z.id.clone()), Some(z.label.clone())),
        None => (None, None),
    }
}
