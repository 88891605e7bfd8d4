-- Shared rate-limit counters (sqlite). Kept in step with ../postgres/20261206000011_rate_windows.sql.

-- Fixed time windows of counted events per key (e.g. failed invitation
-- link openings per client address), so that a limit holds across every
-- `vigil serve` process on one PostgreSQL. SQLite serves one process and
-- keeps its counters in memory; the table exists there too so both
-- schemas stay alike.
CREATE TABLE rate_windows (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
