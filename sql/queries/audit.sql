-- name: lock_audit_chain
-- Serialise appenders until the end of the transaction.
select pg_advisory_xact_lock(hashtext('jury:audit'))

-- name: last_audit_hash
select hash from audit_events order by id desc limit 1

-- name: insert_audit_event
insert into audit_events (occurred_at, actor_id, actor_label, action, target, digest, prev_hash, hash)
values (:occurred_at, :actor_id, :actor_label, :action, :target, :digest, :prev_hash, :hash)

-- name: list_audit_chain
-- The whole chain in order, for verification.
select id, occurred_at, actor_label, action, target, digest, prev_hash, hash
from audit_events
order by id
