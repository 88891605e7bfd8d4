//! CAT benchmarks: `CARGO_BUILD_JOBS=1 cargo bench -p assessments --bench cat -- --quick`
//!
//! The 300-item bank is the one the irt_report example writes for the
//! Python comparison (seed 300, a ~ U(0.8, 2.5), 5 categories).

use assessments::cat::{next_step, Answer, CatConfig, CatPool, CatSession, PoolItem};
use assessments::irt::sim::random_items;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn cat(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(300);
    let items: Vec<PoolItem> = random_items(&mut rng, 300, 5, (0.8, 2.5))
        .into_iter()
        .enumerate()
        .map(|(i, grm)| PoolItem::new(format!("i{i}"), "scale", grm))
        .collect();
    let pool = CatPool::new(items).expect("valid pool");
    // Never stop on SE: every step is a full step.
    let config = CatConfig {
        se_target: 1e-6,
        min_items: 1,
        max_items: 300,
        ..CatConfig::default()
    };
    let mut session = CatSession::new(&pool, &config, 7).expect("valid config");
    let mut answers = Vec::new();
    for j in 0..10 {
        let item = session.next_item().expect("items left");
        session.answer(item, Some(j % 5)).expect("answer");
        answers.push(Answer {
            item,
            category: Some(j % 5),
        });
    }
    let pending = session.next_item().expect("items left");

    // One CAT step: record the answer (EAP update) and select the next item.
    c.bench_function("cat/step_300_items_5_categories", |b| {
        b.iter_batched_ref(
            || session.clone(),
            |s| {
                s.answer(pending, Some(2)).expect("answer");
                black_box(s.next_item())
            },
            BatchSize::SmallInput,
        )
    });
    // The same step timed on a session built just before (warm caches): the
    // session is advanced to 10 answers untimed, then one answer + selection
    // is timed.
    c.bench_function("cat/step_warm_300_items_5_categories", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let mut s = session.clone();
                s.next_item();
                let start = std::time::Instant::now();
                s.answer(pending, Some(2)).expect("answer");
                black_box(s.next_item());
                total += start.elapsed();
            }
            total
        })
    });
    let randomesque = CatConfig {
        randomesque: 5,
        ..config.clone()
    };
    let mut s5 = CatSession::new(&pool, &randomesque, 7).expect("valid config");
    let p5 = s5.next_item().expect("items left");
    c.bench_function("cat/step_300_items_randomesque_5", |b| {
        b.iter_batched_ref(
            || s5.clone(),
            |s| {
                s.answer(p5, Some(2)).expect("answer");
                black_box(s.next_item())
            },
            BatchSize::SmallInput,
        )
    });
    // A whole 30-item session from scratch (per step = time / 30), trace included.
    c.bench_function("cat/session_30_steps_300_items", |b| {
        b.iter(|| {
            let mut s = CatSession::new(&pool, &config, 11).expect("valid config");
            for j in 0..30 {
                let item = s.next_item().expect("items left");
                s.answer(item, Some((j * 3) % 5)).expect("answer");
            }
            black_box(s.outcomes())
        })
    });
    // The pure state-machine call a server makes after a crash: replay 10 answers.
    c.bench_function("cat/next_step_replay_10_answers", |b| {
        b.iter(|| next_step(&pool, &config, 7, black_box(&answers)))
    });
}

criterion_group!(benches, cat);
criterion_main!(benches);
