//! Arms sales and aid: who buys, sells, gives and receives.

use super::*;

/// The one who buys the figure at `q_start`: the name last before a verb of buying that governs
/// the figure ("to buy 30", "purchase of 30"), unless it is the seller ("with France").
pub(super) fn buyer<'m>(
    ctx: &Ctx,
    s: &Sentence,
    ments: &'m [Mention],
    q_start: usize,
) -> Option<&'m Mention> {
    let w = &ctx.words;
    let trade = speaks_of_trade(&w[s.first..s.last]);
    let verb = (q_start.saturating_sub(4).max(s.first)..q_start)
        .rev()
        .take_while(|&k| ctx.toks[k].kind == TokenKind::Word)
        .find(|&k| {
            BUY_VERBS.contains(&w[k])
                || (trade
                    && (SELL_VERBS.contains(&w[k])
                        || matches!(w[k], "receive" | "receives" | "received" | "receiving")))
        })?;
    // Only articles, quantifiers, "of" and a year stand between the verb and the figure.
    let governs = (verb + 1..q_start).all(|k| {
        (w[k].len() == 4 && w[k].bytes().all(|b| b.is_ascii_digit()))
            || matches!(
                w[k],
                "of" | "a"
                    | "an"
                    | "the"
                    | "another"
                    | "up"
                    | "to"
                    | "about"
                    | "some"
                    | "more"
                    | "than"
                    | "over"
                    | "at"
                    | "least"
                    | "further"
                    | "additional"
                    | "nearly"
                    | "in"
            )
    });
    if !governs {
        return None;
    }
    // "France has agreed to sell 30 more Rafale fighter jets to Egypt": the one sold to buys;
    // "Hanwha Defense of South Korea signed a basic contract with Poland ... to supply 288":
    // so does the one the seller signs with.
    let after = |m: &Mention, word: &str| {
        m.at > s.first
            && (w[m.at - 1] == word
                || (m.at > s.first + 1 && w[m.at - 1] == "the" && w[m.at - 2] == word))
    };
    if SELL_VERBS.contains(&w[verb]) {
        return ments
            .iter()
            .find(|m| m.at > q_start && m.at <= q_start + 12 && after(m, "to"))
            .or_else(|| ments.iter().rev().find(|m| m.at < verb && after(m, "with")));
    }
    ments.iter().rev().find(|m| {
        m.at < verb
            && (!m.place || m.recipient)
            && !m.maker
            && !m.agent
            && (m.at == s.first || !matches!(w[m.at - 1], "with" | "from" | "by" | "to"))
    })
}

/// In a report about a sale, the state a figure is delivered to or arrives in ("18 launchers
/// that will be delivered to Poland next year", "with 18 expected to arrive in Poland").
pub(super) fn delivered_to(
    ctx: &Ctx,
    s: &Sentence,
    ments: &[Mention],
    q_start: usize,
) -> Option<String> {
    let w = &ctx.words;
    if !ctx.sale_report || w[s.first..s.last].iter().any(|x| GIFT_WORDS.contains(x)) {
        return None;
    }
    ments
        .iter()
        .find(|m| {
            m.at > q_start
                && !m.person
                && m.at >= 2
                && (matches!(w[m.at - 1], "to" | "in")
                    || (w[m.at - 1] == "the" && matches!(w[m.at - 2], "to" | "in")))
                && (m.at.saturating_sub(6).max(q_start)..m.at)
                    .any(|k| DELIVERY_VERBS.contains(&w[k]))
        })
        .map(|m| m.code.clone())
}

/// The buyer of a figure whose verb of buying has a pronoun for its subject ("It has also
/// ordered 366 ..."): the first state named in the sentence before, before its verb.
pub(super) fn buyer_before(
    ctx: &Ctx,
    sents: &[Sentence],
    si: usize,
    q_start: usize,
) -> Option<String> {
    let w = &ctx.words;
    let s = &sents[si];
    if si == 0 || !matches!(w[s.first], "it" | "they") {
        return None;
    }
    // The pronoun, an auxiliary or adverbs, the verb of buying, then the figure.
    let verb = (s.first + 1..q_start).find(|&k| BUY_VERBS.contains(&w[k]))?;
    if verb > s.first + 4
        || q_start > verb + 3
        || (s.first + 1..verb).any(|k| ctx.toks[k].kind != TokenKind::Word)
    {
        return None;
    }
    let p = &sents[si - 1];
    mentions(ctx, p)
        .into_iter()
        .find(|m| !m.place && !m.person && !m.maker && m.at <= p.first + 6)
        .map(|m| m.code)
}

/// Whether the word at `k` designates a weapon's model ("K2", "F-16", "AW149") and the sentence
/// is about a purchase: the state named just before it made the model, another buys it ("Poland
/// will buy 980 tanks of the South Korean K2 model").
pub(super) fn makes_model(ctx: &Ctx, s: &Sentence, k: usize) -> bool {
    let model = ctx.words.get(k).is_some_and(|w| {
        w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().any(|b| b.is_ascii_alphabetic())
    });
    model && speaks_of_trade(&ctx.words[s.first..s.last])
}

/// Whether the name that ends before token `k` is joined to a participle of making ("U.S.-made",
/// "U.S.-manufactured", "Russian-built"): it names the maker, not the owner.
pub(super) fn made_by(ctx: &Ctx, k: usize) -> bool {
    ctx.is_punct(k, &["-"])
        && ctx.words.get(k + 1).is_some_and(|w| {
            matches!(
                *w,
                "made" | "built" | "manufactured" | "designed" | "produced" | "developed"
            )
        })
}

/// Whether `words` speak of buying or selling arms (a verb of buying or a word of trade).
pub(super) fn speaks_of_trade(words: &[&str]) -> bool {
    words
        .iter()
        .any(|x| BUY_VERBS.contains(x) || TRADE_WORDS.contains(x))
}

/// Verbs of buying: what is bought is the buyer's, the one bought from sells it.
pub(super) const BUY_VERBS: &[&str] = &[
    "buy",
    "buys",
    "bought",
    "buying",
    "purchase",
    "purchases",
    "purchased",
    "order",
    "orders",
    "ordered",
    "acquire",
    "acquires",
    "acquired",
    "procure",
    "procures",
    "procured",
];

/// Words that make a transfer of arms a gift or aid rather than a sale.
pub(super) const GIFT_WORDS: &[&str] = &[
    "aid",
    "assistance",
    "donate",
    "donated",
    "donates",
    "donation",
    "donations",
    "drawdown",
    "gift",
    "pledged",
    "pledge",
];

/// Verbs of delivery and arrival: in a report about a sale, the state delivered to buys.
pub(super) const DELIVERY_VERBS: &[&str] = &[
    "delivered",
    "deliver",
    "delivers",
    "delivery",
    "deliveries",
    "shipped",
    "ship",
    "exported",
    "export",
    "arrive",
    "arrived",
    "arrives",
    "arriving",
    "supplied",
    "supply",
    "transferred",
];

/// Verbs and nouns of selling: in a sentence about a sale, what is sold is the buyer's.
pub(super) const SELL_VERBS: &[&str] = &[
    "sale",
    "sales",
    "sell",
    "sells",
    "sold",
    "selling",
    "deliver",
    "delivers",
    "delivered",
    "delivering",
    "supply",
    "supplies",
    "supplied",
    "supplying",
];

/// Words of buying and selling: money in their sentence is a price, not aid.
pub(super) const TRADE_WORDS: &[&str] = &[
    "purchase",
    "purchases",
    "purchased",
    "purchasing",
    "buy",
    "buys",
    "buying",
    "bought",
    "deal",
    "contract",
    "contracts",
    "export",
    "exports",
    "sale",
    "sales",
    "sell",
    "sells",
    "sold",
    "procurement",
    "acquisition",
];

/// Verbs of giving: a name right after one receives what is given ("providing Ukraine with",
/// "will help Ukraine with 14 Leopards").
pub(super) const GIVE_VERBS: &[&str] = &[
    "provide",
    "provides",
    "providing",
    "provided",
    "supply",
    "supplies",
    "supplying",
    "supplied",
    "give",
    "gives",
    "giving",
    "gave",
    "send",
    "sends",
    "sending",
    "sent",
    "arm",
    "arming",
    "equip",
    "equipping",
    "offer",
    "offers",
    "offering",
    "offered",
    "grant",
    "granting",
    "help",
    "helps",
    "helping",
    "helped",
];

/// Whether `words` speak of aid: a word of aid that is not the modifier of people ("1,000
/// assistance personnel" are troops, not aid).
pub(super) fn aid_in(g: &Gazetteer, words: &[&str]) -> bool {
    (0..words.len()).any(|i| {
        g.aid_words.match_at(words, i).is_some_and(|(len, _)| {
            !g.category_words
                .match_at(words, i + len)
                .is_some_and(|(_, hit)| match hit {
                    crate::gazetteer::CategoryHit::Category(c) => g.categories[*c].id == "troops",
                    _ => false,
                })
        })
    })
}

/// The parties of a report about a sale, as its opening names them: the state that buys and the
/// states that sell or make what it buys.
#[derive(Debug, PartialEq)]
pub(super) struct SaleParties {
    pub(super) buyer: String,
    pub(super) sellers: Vec<String>,
}

impl SaleParties {
    /// The owner a claim of the report should have: what a seller or maker is credited with, or
    /// buyer and seller together, is what the buyer buys ("Under the plan, France is to deliver
    /// the first six twin-engine aircraft in 2024" in a report on Croatia's purchase). Forces,
    /// money, what a state's service flies or sails ("two Russian Air Force AN-124 cargo
    /// planes") and what its sentence says is given ("will send at least 14 Leopard 2 tanks to
    /// Ukraine") keep their owner.
    pub(super) fn owner_of(&self, ctx: &Ctx, s: &Sentence, c: &Claim) -> Option<&str> {
        if c.label == "troops" || c.category == "military_aid_usd" || c.actor == self.buyer {
            return None;
        }
        let text = c.text.to_lowercase();
        if ["air force", "navy", "army", "armed forces", "military"]
            .iter()
            .any(|x| text.contains(x))
        {
            return None;
        }
        let words = &ctx.words[s.first..s.last];
        let given = words.iter().any(|x| {
            (GIVE_VERBS.contains(x) && !SELL_VERBS.contains(x) && !DELIVERY_VERBS.contains(x))
                || GIFT_WORDS.contains(x)
        });
        if given {
            return None;
        }
        // Only a figure of the transaction itself: its sentence speaks of buying, selling,
        // delivery or receipt, and sends nothing to another state ("Dassault has sold 36 Rafales
        // to India" in a report on another buyer). A seller's fleet told as background stays
        // its own.
        let transaction = speaks_of_trade(words)
            || words
                .iter()
                .any(|x| DELIVERY_VERBS.contains(x) || RECEIVE_VERBS.contains(x) || selling(x));
        if !transaction {
            return None;
        }
        let w = &ctx.words;
        let elsewhere = mentions(ctx, s).iter().any(|m| {
            if m.at < s.first + 3 {
                return false;
            }
            let to = if w[m.at - 1] == "the" {
                m.at - 2
            } else {
                m.at - 1
            };
            m.code != self.buyer
                && w[to] == "to"
                // "according to the French Ministry of Defense" names a source.
                && w[to - 1] != "according"
                && (m.at.saturating_sub(12).max(s.first)..m.at)
                    .any(|k| selling(w[k]) || DELIVERY_VERBS.contains(&w[k]))
        });
        if elsewhere {
            return None;
        }
        let parts: Vec<&str> = c.actor.split('+').collect();
        let of_parties = parts
            .iter()
            .all(|p| *p == self.buyer || self.sellers.iter().any(|s| s == p));
        of_parties.then_some(self.buyer.as_str())
    }
}

/// Verbs of receiving: in a report about a sale, the one who receives buys.
const RECEIVE_VERBS: &[&str] = &["receive", "receives", "received", "receiving"];

/// Nouns of buying: the subject of their sentence buys ("India signed a deal ... for the
/// procurement of 26 Rafale aircraft").
const BUY_NOUNS: &[&str] = &["procurement", "acquisition", "purchase", "purchases"];

/// Whether `w` is a verb whose subject sells ("France has agreed to sell", "Hyundai Rotem Co.
/// will ship"): a verb of selling (not the noun "sale"), of export or of shipping.
fn selling(w: &str) -> bool {
    (SELL_VERBS.contains(&w) && !matches!(w, "sale" | "sales"))
        || matches!(
            w,
            "export" | "exports" | "exported" | "ship" | "ships" | "shipped"
        )
}

/// The buyer and sellers of a report about a sale, from its first three sentences that speak of
/// trade and not of aid: the subject of a verb or noun of buying or receiving ("Croatia has
/// agreed to buy a batch of used fighter jets from France", "Taiwan has received the first
/// batch"), the one sold to ("agreed to sell 30 Rafale jets to Egypt") and the partner of a deal
/// to sell ("agreed a $5.76 billion deal with Poland to export tanks") buy; the one bought from,
/// the partner of a deal to buy, the subject of a verb of selling and the maker named on what is
/// bought sell.
pub(super) fn sale_parties(ctx: &Ctx, sents: &[Sentence]) -> Option<SaleParties> {
    let w = &ctx.words;
    let mut buyer: Option<String> = None;
    let mut sellers: Vec<String> = Vec::new();
    let after = |m: &Mention, word: &str| {
        m.at > 0
            && (w[m.at - 1] == word || (m.at > 1 && w[m.at - 1] == "the" && w[m.at - 2] == word))
    };
    // Two states joined by "and" ("India and France have finalized a deal for the purchase")
    // name no one subject.
    let subject = |ments: &[Mention], k: usize| {
        let m = ments.iter().rev().find(|m| {
            m.at < k
                && m.at + 15 >= k
                && (!m.place || m.recipient)
                && !m.maker
                && !m.agent
                && !m.person
                && !["with", "from", "by", "to", "of"]
                    .iter()
                    .any(|x| after(m, x))
        })?;
        (!after(m, "and")).then(|| m.code.clone())
    };
    for s in sents.iter().take(3) {
        let words = &w[s.first..s.last];
        let receives = words.iter().any(|x| RECEIVE_VERBS.contains(x));
        if !(speaks_of_trade(words) || receives) || words.iter().any(|x| GIFT_WORDS.contains(x)) {
            continue;
        }
        let ments = mentions(ctx, s);
        sellers.extend(ments.iter().filter(|m| m.maker).map(|m| m.code.clone()));
        // A state named on what is bought made it ("to purchase 288 South Korean rocket
        // artillery systems").
        let made = |k: usize| {
            ments
                .iter()
                .filter(move |m| {
                    m.at > k + 1
                        && m.at <= k + 6
                        && (k + 1..m.at).any(|j| ctx.toks[j].kind == TokenKind::Number)
                })
                .map(|m| m.code.clone())
        };
        // The partner of a deal named before the verb ("a deal with Poland to export").
        let partner = |k: usize| {
            ments
                .iter()
                .rev()
                .find(|m| m.at < k && m.at + 10 >= k && after(m, "with"))
                .map(|m| m.code.clone())
        };
        for k in s.first..s.last {
            let buys = BUY_VERBS.contains(&w[k])
                || RECEIVE_VERBS.contains(&w[k])
                || (BUY_NOUNS.contains(&w[k]) && w.get(k + 1) == Some(&"of"));
            if buys {
                if buyer.is_none() {
                    buyer = subject(&ments, k);
                }
                sellers.extend(
                    ments
                        .iter()
                        .filter(|m| m.at > k && m.at <= k + 15 && after(m, "from"))
                        .map(|m| m.code.clone()),
                );
                sellers.extend(partner(k));
                sellers.extend(made(k));
            } else if selling(w[k]) || matches!(w[k], "sale" | "sales") {
                let to = ments
                    .iter()
                    .find(|m| m.at > k && m.at <= k + 12 && after(m, "to") && !m.person)
                    .map(|m| m.code.clone());
                let with = partner(k);
                if buyer.is_none() {
                    buyer = to.or(with.clone());
                }
                let before = with.map_or(k, |_| {
                    ments
                        .iter()
                        .rev()
                        .find(|m| m.at < k && after(m, "with"))
                        .map_or(k, |m| m.at)
                });
                // The one who approves a sale sells ("U.S. State Dept approves sale of F-35B
                // jets to Singapore"); the subject of a sale otherwise may be either party.
                let approves = (k.saturating_sub(3)..k).any(|j| {
                    ["approve", "clear", "authoriz"]
                        .iter()
                        .any(|x| w[j].starts_with(x))
                });
                if selling(w[k]) || approves {
                    sellers.extend(subject(&ments, before));
                }
            }
        }
    }
    let buyer = buyer?;
    sellers.sort();
    sellers.dedup();
    sellers.retain(|s| *s != buyer);
    (!sellers.is_empty()).then_some(SaleParties { buyer, sellers })
}
