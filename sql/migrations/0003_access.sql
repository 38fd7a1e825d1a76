-- Sign-in: a key-value store in PostgreSQL for sessions and rate-limit counters (so replicas share them),
-- and the access codes printed on jurors' cards.

create table kv_store (
    namespace text not null,
    key text not null,
    value bytea not null,
    expires_at timestamptz,
    primary key (namespace, key)
);
create index kv_store_expires on kv_store (expires_at) where expires_at is not null;

-- One active code per juror and edition; only a SHA-256 of the code is kept.
create table access_codes (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    person_id integer not null references people (id) on delete cascade,
    code_hash text not null unique,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    last_used_at timestamptz
);
create unique index access_codes_one_active on access_codes (edition_id, person_id) where revoked_at is null;
