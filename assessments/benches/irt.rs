//! IRT benchmarks: `CARGO_BUILD_JOBS=1 cargo bench -p assessments --bench irt -- --quick`

use assessments::irt::calibrate::{calibrate, CalibrationOptions};
use assessments::irt::estimate::{eap_from_table, map, LogProbTable};
use assessments::irt::quadrature::Quadrature;
use assessments::irt::grm::test_information;
use assessments::irt::sim::{normal_thetas, random_items, simulate_responses};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn scoring(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(50);
    let items = random_items(&mut rng, 50, 5, (0.8, 2.5));
    let answers = simulate_responses(&mut rng, &items, &[0.4], 0.0).remove(0);
    let quad = Quadrature::standard();
    let table = LogProbTable::new(&items, &quad);
    c.bench_function("irt/eap_50_items_5_categories", |b| {
        b.iter(|| eap_from_table(black_box(&table), &quad, black_box(&answers)))
    });
    c.bench_function("irt/map_50_items_5_categories", |b| {
        b.iter(|| map(black_box(&items), black_box(&answers)))
    });
    c.bench_function("irt/test_information_50_items", |b| {
        b.iter(|| test_information(black_box(&items), black_box(0.3)))
    });
}

fn calibration(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let items = random_items(&mut rng, 40, 5, (0.8, 2.5));
    let thetas = normal_thetas(&mut rng, 5000);
    let data = simulate_responses(&mut rng, &items, &thetas, 0.0);
    let mut group = c.benchmark_group("irt");
    group.sample_size(10);
    group.bench_function("calibrate_5000x40_5_categories", |b| {
        b.iter(|| calibrate(black_box(&data), &[5; 40], &CalibrationOptions::default()))
    });
    group.finish();
}

criterion_group!(benches, scoring, calibration);
criterion_main!(benches);
