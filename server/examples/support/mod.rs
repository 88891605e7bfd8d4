//! What the benchmarks share: where their database lives, and percentiles.

/// The database a benchmark runs on: a fresh PostgreSQL database on the
/// server named by a `postgres…` argument (so earlier runs weigh nothing),
/// another URL as given, or SQLite in `dir`.
pub async fn database_url(arg: Option<String>, prefix: &str, dir: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(match arg {
        Some(admin) if admin.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let name = format!("{prefix}_{}", &vigil::store::new_id()[..8]);
            let pool = sqlx::AnyPool::connect(&admin).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
            pool.close().await;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_string();
            println!("database: {base}/{name} (drop it afterwards)");
            format!("{base}/{name}")
        }
        Some(other) => other,
        None => format!("sqlite://{}", dir.join("vigil.db").display()),
    })
}

/// The nearest-rank percentile of sorted values: the value at ceil(p × n).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
