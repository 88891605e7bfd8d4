//! Scoring throughput for an SVI-sized bank (8 trait scales x 8 items,
//! impression management, 3 check items) with norms: sessions per second.
//! Goal: > 100,000 sessions per second per core.
//!
//! `CARGO_BUILD_JOBS=1 cargo bench -p assessments --bench scoring -- --quick`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use assessments::bank::Bank;
use assessments::norms::{build_norm_table, NormMeta};
use assessments::scoring::Scorer;
use assessments::simulate::{SimulationModel, SimulationOptions, Simulator};
use assessments::validity::assess;

const BANK: &str = include_str!("../tests/fixtures/svi_like.toml");
const MODEL: &str = include_str!("../tests/fixtures/svi_like_simulation.toml");

fn bench(c: &mut Criterion) {
    let bank = Bank::parse(BANK, "svi_like.toml").expect("bank");
    let model = SimulationModel::parse(MODEL, "svi_like_simulation.toml", &bank).expect("model");
    let sessions: Vec<_> = Simulator::new(&bank, &model)
        .expect("simulator")
        .simulate(&SimulationOptions { n: 1000, seed: 9, ..Default::default() })
        .into_iter()
        .map(|s| s.responses)
        .collect();
    let meta = NormMeta {
        id: "bench".into(),
        demonstration: true,
        group: [("en".to_string(), "bench".to_string())].into(),
        country: "x".into(),
        role_family: "x".into(),
        collected_from: "2026-11-23".into(),
        collected_to: "2026-11-23".into(),
    };
    let norms = build_norm_table(&bank, &sessions, &meta).expect("norms");
    let scorer = Scorer::new(&bank, Some(&norms)).expect("scorer");

    let mut g = c.benchmark_group("svi_like_with_norms");
    g.throughput(Throughput::Elements(sessions.len() as u64));
    g.bench_function("score_1000_sessions", |b| {
        b.iter(|| {
            for s in &sessions {
                black_box(scorer.score(black_box(s)));
            }
        })
    });
    g.bench_function("score_and_validity_1000_sessions", |b| {
        b.iter(|| {
            for s in &sessions {
                let r = scorer.score(black_box(s));
                black_box(assess(&bank, s, Some(&r)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
