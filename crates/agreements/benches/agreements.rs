//! How fast agreement files load, and how fast a CEL condition evaluates over an activity.

use std::hint::black_box;

use accord_agreements::{BUILTIN_FILES, Condition, Status, Vars, Vocabulary, builtin, parse};
use accord_model::{Activity, ActivityKind, Area, Category, ForceCount, PartyId, ZoneId};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let vocabulary = Vocabulary::builtin();
    c.bench_function("parse all five embedded agreements", |b| {
        b.iter(|| {
            for (name, text) in BUILTIN_FILES {
                black_box(parse(black_box(text), name, vocabulary).unwrap());
            }
        })
    });

    let agreements = builtin().unwrap();
    let vd = agreements
        .iter()
        .find(|a| a.id.as_str() == "vienna-document-2011")
        .unwrap();
    let date = "2022-02-15".parse().unwrap();
    let party = PartyId::new("RU").unwrap();
    c.bench_function("status_at and binding of every VD provision", |b| {
        b.iter(|| {
            for p in &vd.provisions {
                black_box(vd.binding(p, &party, black_box(date), false));
            }
        })
    });

    let activity = Activity {
        name: "exercise".into(),
        kind: ActivityKind::Exercise,
        start: "2022-02-10".parse().unwrap(),
        end: "2022-02-20".parse().unwrap(),
        area: Area {
            zone: Some(ZoneId::new("belarus").unwrap()),
            description: String::new(),
        },
        forces: vec![
            ForceCount {
                category: Category::new("troops").unwrap(),
                count: 30_000,
            },
            ForceCount {
                category: Category::new("battle_tanks").unwrap(),
                count: 200,
            },
        ],
        participants: vec![],
    };
    let condition =
        Condition::compile("activity.troops >= 13000 || activity.battle_tanks >= 300").unwrap();
    c.bench_function("build activity vars and evaluate a CEL condition", |b| {
        b.iter(|| {
            let vars = Vars::new(&party, date, Some(Status::InForce)).with_activity(&activity);
            black_box(condition.evaluate(&vars).unwrap())
        })
    });
    let vars = Vars::new(&party, date, Some(Status::InForce)).with_activity(&activity);
    c.bench_function("evaluate a CEL condition over prepared vars", |b| {
        b.iter(|| black_box(condition.evaluate(black_box(&vars)).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
