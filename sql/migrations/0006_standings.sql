-- Standings: what was published (frozen, with everything needed to recompute it) and a cache of the last
-- computation, so that the organisers' page does not rerun a 200-replicate bootstrap on every visit.

-- One row per standing (panel × category of a round) and publication. A publication is numbered per
-- round (`version`); publishing again adds a version and never rewrites an earlier one. `observations`
-- are the marks the standing was computed from ([juror, candidate, total, eliminated], sorted) and
-- `input_digest` their SHA-256, so a later change of a sheet shows as a different digest.
-- `observations` and `result` are `json`, not `jsonb`: the text is kept byte for byte as the service
-- encoded it (its SHA-256 is in the audit event), and storing a thousand standings is three times
-- faster without jsonb's conversion.
create table standings (
    id bigint generated always as identity primary key,
    round_id integer not null references rounds (id) on delete cascade,
    version integer not null check (version > 0),
    panel_id integer,
    category_id integer references categories (id),
    method text not null,
    parameters jsonb not null,
    seed bigint not null check (seed >= 0),
    input_digest text not null check (input_digest ~ '^[0-9a-f]{64}$'),
    observations json not null,
    result json not null,
    published_by integer not null references people (id),
    published_at timestamptz not null default now(),
    foreign key (panel_id, round_id) references panels (id, round_id),
    unique nulls not distinct (round_id, version, panel_id, category_id)
);
create index standings_round on standings (round_id, version);

-- The last computed result of each standing. `cache_key` hashes the input digest with the method and
-- every parameter, so a changed sheet, method or quota misses the cache instead of showing stale figures.
-- Kept in PostgreSQL (not in process memory) so that every replica of the service shares it.
create table standing_cache (
    round_id integer not null references rounds (id) on delete cascade,
    panel_id integer,
    category_id integer,
    cache_key text not null,
    input_digest text not null,
    result json not null,
    computed_at timestamptz not null default now(),
    unique nulls not distinct (round_id, panel_id, category_id)
);
