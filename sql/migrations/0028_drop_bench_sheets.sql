-- The intake benchmark's old in-app baseline (migration 0009, `POST /bench/baseline` behind
-- JURY_BENCH_ROUTES) is gone: the benchmark now compares with a bare Litestar + asyncpg app of its own
-- (tests/bench/bare_app.py), which creates its tables itself. Its table goes with it.

drop table if exists bench_sheets;
