"""Writes the results file of tests/load/run.sh: the median of the runs of every figure."""
import json, os, platform, statistics, subprocess, sys, datetime

jsonl, loadavg, out = sys.argv[1:4]
env = os.environ.get
rows = [json.loads(l) for l in open(jsonl) if l.strip()]


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
sqlite = sh("awk '/^name = \"libsqlite3-sys\"/{getline; print $3}' Cargo.lock").strip('"')
tag = f" ({env('TAG')})" if env("TAG") else ""
figs = ["requests", "errors", "throughput", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "service_p99_ms", "dispatch_lag_p99_ms"]
L = []
L.append(f"# Answer-save load test, {datetime.date.today()}{tag}\n")
L.append(
    f"`tests/load/run.sh` at commit {env('GIT_STATE')} (when the run started). "
    f"Open loop: {env('RATE')} answers/s for {env('DURATION')} s after {env('WARMUP')} s of warm-up, latency from each "
    f"request's scheduled send time (coordinated omission corrected). Burst: {env('BURST')} workers for {env('BURST_S')} s, "
    f"closed loop. One answer per `POST /api/save_answers`; {env('CANDIDATES')} candidates of the demo campaign "
    + (
        "run adaptively (svi 1.1.0; each save answers the question the engine asks, which the server checks "
        "against the candidate's adaptive run; the acknowledgement names the next question, and only a "
        "candidate's first save of a run is preceded by `GET /assessment` to learn it; "
        "'p99 from send' is the save alone, the other figures include any page read), "
        if env("ADAPTIVE") else "(svi 1.0.0 items, valid values, increasing seq), "
    )
    + f"then {env('SETTLE')} s of quiet before the first run "
    f"(PostgreSQL: VACUUM ANALYZE and CHECKPOINT first). Figures: median of {env('RUNS')} runs "
    f"(each column's median on its own).\n"
)
L.append(f"- Machine: {cpu}, {os.cpu_count()} cores, {mem}; {platform.platform()}")
L.append("- Shared: the load generator runs on the same 2 cores as the server (and the database); other engineers' builds may run too (load averages below).")
L.append(
    f"- Versions: {sh('rustc --version')}; {sh(env('VIGIL') + ' --version')}; SQLite {sqlite} (libsqlite3-sys, bundled); "
    f"PostgreSQL {env('PG_VERSION') or '-'} (`{env('PG_SETTINGS', '')}`, fsync on)"
)
L.append(f"- Server log level: {env('SERVER_LOG')}. Load averages (1, 5, 15 min) just before each run:\n")
L.append("```\n" + open(loadavg).read().strip() + "\n```\n")
L.append("| database | phase | load | requests | errors | answers/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p99 from send ms | pacing lag p99 ms |")
L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for db in env("DATABASES", "").split():
    for phase in ["open", "burst"]:
        rs = [r for r in rows if r["label"].startswith(db + " ") and r["phase"] == phase]
        if not rs:
            continue
        m = {f: statistics.median(r[f] for r in rs) for f in figs}
        load = f"{rs[0]['rate']:g}/s" if phase == "open" else f"{rs[0]['concurrency']} workers"
        extra = f"{m['service_p99_ms']:.2f} | {m['dispatch_lag_p99_ms']:.2f}" if phase == "open" else " | "
        L.append(
            f"| {db} | {phase} | {load} | {m['requests']:.0f} | {m['errors']:.0f} | {m['throughput']:.0f} | {m['p50_ms']:.2f} | "
            f"{m['p90_ms']:.2f} | {m['p99_ms']:.2f} | {m['p999_ms']:.2f} | {m['max_ms']:.1f} | {extra} |"
        )
L.append("\nGoal at 2,000 answers/s: p99 <= 5 ms on SQLite, <= 10 ms on PostgreSQL, 0 errors.\n")
L.append("Every run (`vigil-load run` JSON lines):\n")
L.append("```\n" + "\n".join(json.dumps(r) for r in rows) + "\n```")
with open(out, "w") as f:
    f.write("\n".join(L) + "\n")
print(out)
