-- Keyed audit hashes (issue 19): from here on each event's hash is an HMAC-SHA256 under the audit key,
-- which lives outside the database (JURY_AUDIT_KEY or `audit.key` in the data directory).
--
-- The events that exist now were hashed with plain SHA-256; they stay as they are and are verified that
-- way. This one row records where the public scheme ends: every event with a larger id must carry a keyed
-- hash, so rewriting later events with the public function is detected. Like the trail itself, the row
-- can be neither changed nor removed.

create table audit_chain_scheme (
    keyed_after_id bigint not null check (keyed_after_id >= 0),
    one_row boolean not null default true unique check (one_row)
);

insert into audit_chain_scheme (keyed_after_id) select coalesce(max(id), 0) from audit_events;

create function audit_chain_scheme_fixed() returns trigger language plpgsql as $$
begin
    raise exception 'audit_chain_scheme is fixed by migration 0014';
end;
$$;

create trigger audit_chain_scheme_no_change before insert or update or delete on audit_chain_scheme
    for each statement execute function audit_chain_scheme_fixed();
