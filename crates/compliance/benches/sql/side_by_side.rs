//! The engine and plain SQL over the same records: a synthetic data set of three parties, its
//! loading into SQLite tables (schema.sql), the three questions an analyst would write in SQL
//! (limits.sql, overdue_replies.sql, unnotified.sql), and the same answers read from the
//! engine's findings, so that the two can be compared.
//!
//! Shared by the `sql` bench and the `sql_agrees` test.

use std::collections::BTreeSet;

use accord_agreements::{Agreement, CountStatus, ProvisionBody, Vocabulary};
use accord_model::{
    Activity, ActivityKind, AgreementId, Area, Category, Confidence, Date, Declaration,
    ExplanationReply, ExplanationRequest, Finding, ForceCount, Holding, HoldingStatus, Instant,
    Notification, Observation, PartyId, ProvisionId, Qualifier, Record, RecordBody, RecordId,
    Severity, SiteId, Source, ZoneId,
};
use accord_state::State;
use rusqlite::{Connection, named_params};

/// The tables and their indexes.
pub const SCHEMA: &str = include_str!("schema.sql");
/// Limits per party and date.
pub const LIMITS: &str = include_str!("limits.sql");
/// Overdue replies to requests for explanation.
pub const OVERDUE_REPLIES: &str = include_str!("overdue_replies.sql");
/// Unnotified activities above a threshold.
pub const UNNOTIFIED: &str = include_str!("unnotified.sql");

/// The parties of the data set, each with the zones its forces are notified and seen in.
const PARTIES: [(&str, &[&str]); 3] = [
    ("US", &["poland", "lithuania", "united-states"]),
    ("RU", &["near-ukraine", "russia-european-part", "belarus"]),
    ("BY", &["belarus", "russia-european-part"]),
];
const FIRST_YEAR: i16 = 2013;
const LAST_YEAR: i16 = 2022;
const NEW_START: &str = "new-start";
const VIENNA: &str = "vienna-document-2011";

/// How large a data set to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Sites in each declaration (six holdings each).
    pub sites: usize,
    /// Notified activities.
    pub notifications: usize,
    /// Observations of notified activities (a twentieth more are of activities seen at random).
    pub observations: usize,
    /// Requests for explanation.
    pub requests: usize,
}

/// The instant the data set is evaluated at: the last day of its last year.
pub fn evaluated_at() -> Instant {
    accord_state::start_of(date(LAST_YEAR, 12, 31))
}

/// The agreements evaluated: every embedded one.
pub fn agreements() -> Vec<Agreement> {
    accord_agreements::builtin().expect("the embedded agreements load")
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn within(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// A day of the data set's years, in the months given.
    fn day(&mut self, months: std::ops::RangeInclusive<i8>) -> Date {
        let span = (months.end() - months.start() + 1) as u64;
        date(
            self.within(FIRST_YEAR as u64, LAST_YEAR as u64) as i16,
            months.start() + self.below(span) as i8,
            1 + self.below(28) as i8,
        )
    }
}

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("a valid date")
}

fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(jiff::Span::new().days(days))
        .expect("a date in range")
}

fn party(p: &str) -> PartyId {
    PartyId::new(p).expect("a valid party id")
}

fn id(s: String) -> RecordId {
    RecordId::new(s).expect("a valid record id")
}

fn area(zone: &str) -> Area {
    Area {
        zone: Some(ZoneId::new(zone).expect("a valid zone id")),
        description: zone.to_owned(),
    }
}

fn category(c: &str) -> Category {
    Category::new(c).expect("a valid category")
}

/// The records of the data set, in log order: New START declarations of the United States and
/// Russia twice a year, with levels around the limits (some with published aggregates); notified
/// activities of all three parties with troops around the notification threshold, some notified
/// late; observations of notified activities and of unnotified ones; requests for explanation
/// with replies on time, late and missing.
pub fn records(size: Size) -> Vec<Record> {
    let mut rng = Rng(0x5eed_acc0_5011_0001);
    let mut out = Vec::new();
    declarations(&mut out, &mut rng, size.sites);
    let notified = notifications(&mut out, &mut rng, size.notifications);
    observations(&mut out, &mut rng, &notified, size.observations);
    requests(&mut out, &mut rng, size.requests);
    out.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.id.cmp(&b.id)));
    out
}

fn declarations(out: &mut Vec<Record>, rng: &mut Rng, sites: usize) {
    // Each category's total for the whole party, spread over the sites; together they sit
    // around the three limits (700, 1,550 and 800).
    let base: [(&str, HoldingStatus, u64); 6] = [
        ("icbms", HoldingStatus::Deployed, 300),
        ("slbms", HoldingStatus::Deployed, 250),
        ("heavy_bombers", HoldingStatus::Deployed, 150),
        ("warheads", HoldingStatus::Deployed, 1_400),
        ("icbm_launchers", HoldingStatus::Deployed, 450),
        ("icbm_launchers", HoldingStatus::NonDeployed, 200),
    ];
    for (p, name) in ["US", "RU"].iter().enumerate() {
        for (k, as_of) in (FIRST_YEAR..=LAST_YEAR)
            .flat_map(|y| [date(y, 3, 1), date(y, 9, 1)])
            .enumerate()
        {
            let mut holdings = Vec::with_capacity(sites * base.len() + 1);
            let mut delivery_vehicles = 0;
            for (c, status, total) in base {
                let total = total * rng.within(85, 115) / 100;
                if status == HoldingStatus::Deployed
                    && ["icbms", "slbms", "heavy_bombers"].contains(&c)
                {
                    delivery_vehicles += total;
                }
                let mut counts = vec![0u64; sites];
                for _ in 0..total {
                    counts[rng.below(sites as u64) as usize] += 1;
                }
                for (s, count) in counts.into_iter().enumerate() {
                    holdings.push(Holding {
                        site: Some(
                            SiteId::new(format!("site-{}", p * sites + s))
                                .expect("a valid site id"),
                        ),
                        category: category(c),
                        status,
                        count,
                        derived: None,
                    });
                }
            }
            // Every fourth declaration also publishes the aggregate, a little off the sum.
            if k % 4 == 3 {
                holdings.push(Holding {
                    site: None,
                    category: category("strategic_delivery_vehicles"),
                    status: HoldingStatus::Deployed,
                    count: delivery_vehicles + rng.below(20),
                    derived: None,
                });
            }
            out.push(Record {
                id: id(format!("{name}-NS-{as_of}")),
                party: party(name),
                issued_at: accord_state::start_of(add_days(as_of, 29)),
                body: RecordBody::Declaration(Declaration {
                    agreement: AgreementId::new(NEW_START).expect("a valid agreement id"),
                    as_of,
                    holdings,
                    source: None,
                    channel: Default::default(),
                }),
            });
        }
    }
}

/// A notified activity: who, where, when, and how many troops.
struct Notified {
    party: &'static str,
    zone: &'static str,
    start: Date,
    days: i64,
    troops: u64,
}

fn notifications(out: &mut Vec<Record>, rng: &mut Rng, n: usize) -> Vec<Notified> {
    let mut notified = Vec::with_capacity(n);
    for k in 0..n {
        let (name, zones) = *rng.pick(&PARTIES);
        let zone = *rng.pick(zones);
        let start = rng.day(1..=12).min(date(LAST_YEAR, 12, 20));
        let days = rng.below(6) as i64;
        let troops = rng.within(4_000, 14_000);
        let lead = rng.within(10, 60) as i64;
        let mut forces = vec![ForceCount {
            category: category("troops"),
            count: troops,
        }];
        if k % 5 == 0 {
            forces.push(ForceCount {
                category: category("battle_tanks"),
                count: rng.within(100, 300),
            });
        }
        out.push(Record {
            id: id(format!("N-{k}")),
            party: party(name),
            issued_at: accord_state::start_of(add_days(start, -lead)),
            body: RecordBody::Notification(Notification {
                agreement: AgreementId::new(VIENNA).expect("a valid agreement id"),
                activity: Activity {
                    name: format!("exercise {k}"),
                    kind: ActivityKind::Exercise,
                    start,
                    end: add_days(start, days),
                    area: area(zone),
                    forces,
                    participants: Vec::new(),
                },
            }),
        });
        notified.push(Notified {
            party: name,
            zone,
            start,
            days,
            troops,
        });
    }
    notified
}

fn observation(k: usize, actor: &str, zone: &str, day: Date, quantity: u64, score: u8) -> Record {
    Record {
        id: id(format!("O-{k}")),
        party: party("OSINT"),
        issued_at: accord_state::start_of(day),
        body: RecordBody::Observation(Observation {
            source: Source {
                url: format!("https://example.org/report/{k}"),
                outlet: "Example".into(),
                title: "troops seen".into(),
                published: day,
            },
            actor: party(actor),
            category: category("troops"),
            quantity,
            qualifier: Qualifier::About,
            area: area(zone),
            date: day,
            attribution: None,
            text: format!("about {quantity} troops"),
            confidence: Confidence {
                independent_sources: 1,
                official_sources: 0,
                score,
            },
        }),
    }
}

/// Observations of notified activities (on one of their days, at most the troops notified, in
/// the notified zone or one within it), then a twentieth more of activities seen at random
/// (February to October, so that runs of reports do not cross a year's end), which no
/// notification may cover.
fn observations(out: &mut Vec<Record>, rng: &mut Rng, notified: &[Notified], n: usize) {
    let mut k = 0;
    for _ in 0..n {
        let a = rng.pick(notified);
        let day = add_days(a.start, rng.below(a.days as u64 + 1) as i64);
        let zone = if a.zone == "russia-european-part" && rng.below(2) == 0 {
            "near-ukraine"
        } else {
            a.zone
        };
        let quantity = a.troops * rng.within(70, 100) / 100;
        out.push(observation(k, a.party, zone, day, quantity, 40));
        k += 1;
    }
    for _ in 0..n / 20 {
        let (name, zones) = *rng.pick(&PARTIES);
        let zone = *rng.pick(zones);
        let day = rng.day(2..=10);
        let quantity = rng.within(5_000, 20_000);
        let score = rng.within(30, 80) as u8;
        out.push(observation(k, name, zone, day, quantity, score));
        k += 1;
    }
}

fn requests(out: &mut Vec<Record>, rng: &mut Rng, n: usize) {
    const HOUR: i64 = 3_600;
    let at = |t: Instant, seconds: i64| {
        t.checked_add(jiff::SignedDuration::from_secs(seconds))
            .expect("an instant in range")
    };
    for k in 0..n {
        let (to, zones) = *rng.pick(&PARTIES);
        let from = loop {
            let (p, _) = *rng.pick(&PARTIES);
            if p != to {
                break p;
            }
        };
        let asked = at(
            accord_state::start_of(rng.day(1..=12)),
            rng.below(24 * HOUR as u64) as i64,
        );
        let request = id(format!("Q-{k}"));
        out.push(Record {
            id: request.clone(),
            party: party(from),
            issued_at: asked,
            body: RecordBody::ExplanationRequest(ExplanationRequest {
                agreement: AgreementId::new(VIENNA).expect("a valid agreement id"),
                provision: ProvisionId::new("ch-iii-unusual-activities")
                    .expect("a valid provision id"),
                to: party(to),
                area: area(*rng.pick(zones)),
                text: "explain the activity".into(),
            }),
        });
        // Six in ten replied in time, a quarter late, the rest not at all; one in twenty
        // replied twice.
        let after = match rng.below(20) {
            0..12 => rng.within(HOUR as u64, 47 * HOUR as u64),
            12..17 => rng.within(49 * HOUR as u64, 300 * HOUR as u64),
            _ => continue,
        } as i64;
        let mut replies = vec![after];
        if rng.below(20) == 0 {
            replies.push(after + rng.within(1, 100) as i64 * HOUR);
        }
        for (j, after) in replies.into_iter().enumerate() {
            out.push(Record {
                id: id(format!("A-{k}-{j}")),
                party: party(to),
                issued_at: at(asked, after),
                body: RecordBody::ExplanationReply(ExplanationReply {
                    request: request.clone(),
                    text: "the activity is an exercise".into(),
                }),
            });
        }
    }
}

/// What the three questions answer, in a form both sides give.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Answers {
    /// Limits: (agreement, provision, party, declaration, level, over the limit).
    pub limits: BTreeSet<(String, String, String, String, i64, bool)>,
    /// Overdue replies: (agreement, party asked, request, first reply if any).
    pub overdue: BTreeSet<(String, String, String, Option<String>)>,
    /// Unnotified activities: (agreement, provision, party, the observations of the run).
    pub unnotified: BTreeSet<(String, String, String, Vec<String>)>,
}

impl Answers {
    /// How many answers of each question, for a line of output.
    pub fn describe(&self) -> String {
        let breaches = self.limits.iter().filter(|l| l.5).count();
        format!(
            "{} limit levels ({breaches} over), {} overdue replies, {} unnotified activities",
            self.limits.len(),
            self.overdue.len(),
            self.unnotified.len()
        )
    }
}

/// Opens an in-memory database with the tables and indexes, loaded with the records of the
/// state (at their state positions) and the agreements' terms.
pub fn load(state: &State, agreements: &[Agreement]) -> rusqlite::Result<Connection> {
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    {
        let mut declaration =
            tx.prepare("INSERT INTO declaration VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let mut holding = tx.prepare("INSERT INTO holding VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut notification =
            tx.prepare("INSERT INTO notification VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
        let mut force = tx.prepare("INSERT INTO notified_force VALUES (?1, ?2, ?3)")?;
        let mut observation =
            tx.prepare("INSERT INTO observation VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        let mut request = tx.prepare("INSERT INTO request VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        let mut reply = tx.prepare("INSERT INTO reply VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (pos, r) in state.records().iter().enumerate() {
            let pos = int(pos as u64);
            let (rid, who, at) = (r.id.as_str(), r.party.as_str(), r.issued_at.as_second());
            match &r.body {
                RecordBody::Declaration(d) => {
                    declaration.execute((
                        rid,
                        pos,
                        who,
                        d.agreement.as_str(),
                        d.as_of.to_string(),
                        at,
                    ))?;
                    for h in &d.holdings {
                        holding.execute((
                            rid,
                            h.site.as_ref().map(|s| s.as_str()),
                            h.category.as_str(),
                            status(h.status),
                            int(h.count),
                        ))?;
                    }
                }
                RecordBody::Notification(n) => {
                    let a = &n.activity;
                    notification.execute((
                        rid,
                        pos,
                        who,
                        n.agreement.as_str(),
                        at,
                        format!("{:?}", a.kind),
                        a.start.to_string(),
                        a.end.to_string(),
                        a.area.zone.as_ref().map(|z| z.as_str()),
                    ))?;
                    for f in &a.forces {
                        force.execute((rid, f.category.as_str(), int(f.count)))?;
                    }
                }
                RecordBody::Observation(o) => {
                    observation.execute((
                        rid,
                        pos,
                        o.actor.as_str(),
                        o.category.as_str(),
                        int(o.quantity),
                        o.date.to_string(),
                        o.area.zone.as_ref().map(|z| z.as_str()),
                        at,
                    ))?;
                }
                RecordBody::ExplanationRequest(q) => {
                    request.execute((
                        rid,
                        pos,
                        who,
                        q.to.as_str(),
                        q.agreement.as_str(),
                        q.provision.as_str(),
                        at,
                    ))?;
                }
                RecordBody::ExplanationReply(a) => {
                    reply.execute((rid, pos, who, a.request.as_str(), at))?;
                }
                _ => {}
            }
        }
        load_terms(&tx, agreements)?;
    }
    tx.commit()?;
    db.execute_batch("ANALYZE")?;
    Ok(db)
}

/// A count as SQLite stores it.
fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn status(s: HoldingStatus) -> &'static str {
    match s {
        HoldingStatus::Deployed => "deployed",
        HoldingStatus::NonDeployed => "non_deployed",
    }
}

/// The agreements' limits, notification thresholds and zones, reply times, and the zones of
/// their vocabulary.
fn load_terms(tx: &rusqlite::Transaction<'_>, agreements: &[Agreement]) -> rusqlite::Result<()> {
    let mut max = tx.prepare("INSERT INTO limit_max VALUES (?1, ?2, ?3, ?4)")?;
    let mut term = tx.prepare("INSERT INTO limit_term VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    let mut threshold = tx.prepare("INSERT INTO threshold VALUES (?1, ?2, ?3, ?4)")?;
    let mut zone = tx.prepare("INSERT INTO provision_zone VALUES (?1, ?2, ?3)")?;
    let mut reply = tx.prepare("INSERT OR REPLACE INTO reply_time VALUES (?1, ?2)")?;
    for a in agreements {
        for p in &a.provisions {
            let (ag, pr) = (a.id.as_str(), p.id.as_str());
            match &p.body {
                ProvisionBody::Limit(l) => {
                    max.execute((ag, pr, int(l.max), p.binds_from.map(|d| d.to_string())))?;
                    let terms = l.counts.iter().map(|t| (t, false));
                    for (t, aggregate) in terms.chain(l.aggregate.iter().map(|t| (t, true))) {
                        let s = match t.status {
                            CountStatus::Deployed => "deployed",
                            CountStatus::NonDeployed => "non_deployed",
                            CountStatus::Any => "any",
                        };
                        term.execute((ag, pr, t.category.as_str(), s, t.weight, aggregate))?;
                    }
                }
                ProvisionBody::Notification(n) => {
                    for t in &n.thresholds {
                        threshold.execute((ag, pr, t.category.as_str(), int(t.at_least)))?;
                    }
                    for z in &n.zones {
                        zone.execute((ag, pr, z.as_str()))?;
                    }
                }
                ProvisionBody::RiskReduction(x) => {
                    reply.execute((ag, x.reply_within_hours))?;
                }
                _ => {}
            }
        }
    }
    let vocabulary =
        Vocabulary::for_agreements(agreements).unwrap_or_else(|_| Vocabulary::builtin().clone());
    let mut within = tx.prepare("INSERT INTO zone_within VALUES (?1, ?2)")?;
    let mut meets = tx.prepare("INSERT INTO zone_meets VALUES (?1, ?2)")?;
    for inner in vocabulary.zones.keys() {
        for outer in vocabulary.zones.keys() {
            let (i, o) = (inner.as_str(), outer.as_str());
            if inner == outer || vocabulary.zone_within(inner, outer) {
                within.execute((i, o))?;
            }
            if inner == outer
                || vocabulary.zone_within(inner, outer)
                || vocabulary.zone_within(outer, inner)
            {
                meets.execute((i, o))?;
            }
        }
    }
    Ok(())
}

/// Runs the three questions at `at`: each statement prepared, executed and its rows read.
pub fn ask(db: &Connection, at: Instant) -> rusqlite::Result<Answers> {
    let at = at.as_second();
    let mut answers = Answers::default();
    let mut limits = db.prepare(LIMITS)?;
    let mut rows = limits.query(named_params! { ":at": at })?;
    while let Some(r) = rows.next()? {
        answers.limits.insert((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(5)?,
            r.get(7)?,
        ));
    }
    let mut overdue = db.prepare(OVERDUE_REPLIES)?;
    let mut rows = overdue.query(named_params! { ":at": at })?;
    while let Some(r) = rows.next()? {
        answers
            .overdue
            .insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    }
    let mut unnotified = db.prepare(UNNOTIFIED)?;
    let mut rows = unnotified.query(named_params! { ":at": at })?;
    while let Some(r) = rows.next()? {
        let ids: String = r.get(6)?;
        let mut ids: Vec<String> = ids.split(' ').map(str::to_owned).collect();
        ids.sort();
        answers
            .unnotified
            .insert((r.get(0)?, r.get(1)?, r.get(2)?, ids));
    }
    Ok(answers)
}

/// The same answers read from the engine's findings: the level judged for each limit, the
/// requests replied to late or unanswered past their time, and the runs of observations of
/// forces no notification covered.
pub fn from_findings(findings: &[Finding], state: &State, agreements: &[Agreement]) -> Answers {
    let mut answers = Answers::default();
    for f in findings {
        let Some(provision) = agreements
            .iter()
            .find(|a| a.id == f.agreement)
            .and_then(|a| a.provisions.iter().find(|p| p.id == f.provision))
        else {
            continue;
        };
        let records: Vec<&Record> = f
            .evidence
            .iter()
            .filter_map(|e| match e {
                accord_model::Evidence::Record { id, .. } => state.get(id),
                _ => None,
            })
            .collect();
        let key = (
            f.agreement.to_string(),
            f.provision.to_string(),
            f.party.to_string(),
        );
        match (&provision.body, f.message.id.as_str()) {
            (
                ProvisionBody::Limit(_),
                "limit-exceeded" | "limit-within" | "limit-within-zero" | "limit-before-binding",
            ) => {
                assert_eq!(records.len(), 1, "one declaration judged: {f:?}");
                answers.limits.insert((
                    key.0,
                    key.1,
                    key.2,
                    records[0].id.to_string(),
                    f.figures[0].value,
                    f.severity == Severity::Violation,
                ));
            }
            (ProvisionBody::RiskReduction(_), "request-unanswered")
            | (ProvisionBody::RiskReduction(_), "request-replied")
                if f.severity == Severity::Violation =>
            {
                let of = |want: fn(&RecordBody) -> bool| {
                    records
                        .iter()
                        .find(|r| want(&r.body))
                        .map(|r| r.id.to_string())
                };
                let request = of(|b| matches!(b, RecordBody::ExplanationRequest(_)))
                    .expect("the request is evidence");
                let reply = of(|b| matches!(b, RecordBody::ExplanationReply(_)));
                answers.overdue.insert((key.0, key.2, request, reply));
            }
            (ProvisionBody::Notification(_), "unnotified-observed") => {
                let mut ids: Vec<String> = records.iter().map(|r| r.id.to_string()).collect();
                ids.sort();
                answers.unnotified.insert((key.0, key.1, key.2, ids));
            }
            _ => {}
        }
    }
    answers
}
