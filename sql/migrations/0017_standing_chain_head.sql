-- The audit chain's head at each publication of standings.
--
-- A publication records the chain's event count and last hash once its own `standings.published` event
-- is appended (the appender's lock is still held, so it is exactly that event), and shows them with the
-- publication: written down by whoever reads the standings, they let `jury audit verify --expect-head H
-- --expect-count N` later detect a truncated or rewritten trail. Every standing of one publication (one
-- `version`) carries the same pair. Publications made before this migration have none (null).

alter table standings
    add column audit_count bigint check (audit_count > 0),
    add column audit_head text check (audit_head ~ '^[0-9a-f]{64}$'),
    add constraint standings_audit_head_pair check ((audit_count is null) = (audit_head is null));
