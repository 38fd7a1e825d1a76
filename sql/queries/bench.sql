-- name: upsert_bench_sheet
-- The baseline write of the intake benchmark: one row per key, replaced by each new version.
insert into bench_sheets (key, body, version)
values (:key, :body::jsonb, :version)
on conflict (key) do update set body = excluded.body, version = excluded.version
returning id
