-- Baseline table of the intake benchmark (tests/bench/intake.py): the bench-only route
-- `POST /bench/baseline` upserts here, so the benchmark can compare the full score-sheet path with the
-- cheapest write the same server can do (one upsert and one audit event in a transaction). Empty and
-- unused unless JURY_BENCH_ROUTES=true; kept in every database so the schema does not depend on a setting.

create table bench_sheets (
    id bigserial primary key,
    key uuid not null unique,
    body jsonb not null,
    version integer not null
);
