-- name: lock_audit_chain
-- Serialise appenders until the end of the transaction.
select pg_advisory_xact_lock(hashtext('jury:audit'))

-- name: lock_audit_chain_for_seal
-- The same, in a transaction that only seals pending events: its commit does not wait for the WAL's flush
-- (see `jury.audit.service.seal_pending`).
select pg_advisory_xact_lock(hashtext('jury:audit')), set_config('synchronous_commit', 'off', true)

-- name: last_audit_hash
select hash from audit_events order by id desc limit 1

-- name: insert_audit_event
insert into audit_events (occurred_at, actor_id, actor_label, action, target, digest, prev_hash, hash)
values (:occurred_at, :actor_id, :actor_label, :action, :target, :digest, :prev_hash, :hash)

-- name: insert_audit_pending
-- An event of a request's transaction, sealed into the chain after its commit (migration 0025).
insert into audit_pending (occurred_at, actor_id, actor_label, action, target, digest)
values (:occurred_at, :actor_id, :actor_label, :action, :target, :digest)

-- name: take_audit_pending
-- Under the chain's lock: the committed pending events, removed, in the order they were recorded, with the
-- chain's current head to link the first of them to.
with taken as (
    delete from audit_pending
    returning id, occurred_at, actor_id, actor_label, action, target, digest
)
select t.id, t.occurred_at, t.actor_id, t.actor_label, t.action, t.target, t.digest,
       (select hash from audit_events order by id desc limit 1) as last_hash
from taken t
order by t.id

-- name: insert_sealed_audit_events
-- Pending events, chained and keyed, appended in the given order (ids follow it).
insert into audit_events (occurred_at, actor_id, actor_label, action, target, digest, prev_hash, hash)
select e.occurred_at, e.actor_id, e.actor_label, e.action, e.target, e.digest, e.prev_hash, e.hash
from unnest(:occurred_at::timestamptz[], :actor_id::int[], :actor_label::text[], :action::text[],
            :target::text[], :digest::text[], :prev_hash::text[], :hash::text[])
     with ordinality as e(occurred_at, actor_id, actor_label, action, target, digest, prev_hash, hash, position)
order by e.position

-- name: list_audit_chain
-- The whole chain in order, for verification.
select id, occurred_at, actor_label, action, target, digest, prev_hash, hash
from audit_events
order by id

-- name: audit_keyed_after
-- The last event hashed with the public scheme (migration 0014); later ones carry keyed hashes.
select keyed_after_id from audit_chain_scheme

-- name: audit_chain_head
-- The chain's length and head, as printed on procès-verbaux and written into checkpoints.
select count(*) as count, (select hash from audit_events order by id desc limit 1) as head_hash
from audit_events

-- name: audit_actions
-- The actions that occur in the trail, for the page's filter (code names, nothing personal).
select distinct action from audit_events order by action

-- name: audit_browse
-- The trail as organisers read it: filtered, newest first, one page (or everything when `page_size` is
-- null, for the export). An event belongs to the edition its target names, directly (`edition:slug`) or
-- through its round, candidate, score sheet, ballot or diploma. An administrator sees every event; an organiser
-- only those whose target resolves to an edition of a contest they organise, so an event whose target
-- does not resolve (an unknown kind, a deleted row) stays with the administrators. Dates are days in
-- Paris, `date_to` included.
with events as (
    select a.id, a.occurred_at, a.actor_id, a.actor_label, a.action, a.target, a.digest, a.prev_hash, a.hash,
           split_part(a.target, ':', 1) as kind,
           substr(a.target, strpos(a.target, ':') + 1) as ref
    from audit_events a
    where (:action::text is null or a.action = :action::text)
      and (:target_prefix::text is null or starts_with(a.target, :target_prefix::text))
      and (:date_from::date is null
           or a.occurred_at >= (:date_from::date)::timestamp at time zone 'Europe/Paris')
      and (:date_to::date is null
           or a.occurred_at < (:date_to::date + 1)::timestamp at time zone 'Europe/Paris')
), resolved as (
    select ev.*,
           coalesce(ed.id, r.edition_id, c.edition_id, sr.edition_id, br.edition_id, dz.edition_id) as edition_id
    from events ev
    left join editions ed on ev.kind = 'edition' and ed.slug = ev.ref
    left join rounds r
        on r.id = case when ev.kind = 'round' and ev.ref ~ '^[0-9]{1,9}$' then ev.ref::integer end
    left join candidates c
        on c.id = case when ev.kind = 'candidate' and ev.ref ~ '^[0-9]{1,9}$' then ev.ref::integer end
    left join score_sheets s
        on s.id = case when ev.kind = 'sheet' and ev.ref ~ '^[0-9]{1,18}$' then ev.ref::bigint end
    left join rounds sr on sr.id = s.round_id
    left join ballots b
        on b.id = case when ev.kind = 'ballot' and ev.ref ~ '^[0-9]{1,9}$' then ev.ref::integer end
    left join rounds br on br.id = b.round_id
    left join diplomas dp
        on dp.id = case when ev.kind = 'diploma' and ev.ref ~ '^[0-9]{1,9}$' then ev.ref::integer end
    left join awards aw on aw.id = dp.award_id
    left join prizes dz on dz.id = aw.prize_id
)
select res.id, res.occurred_at,
       to_char(res.occurred_at at time zone 'Europe/Paris', 'YYYY-MM-DD HH24:MI:SS') as local_time,
       res.actor_label, coalesce(p.full_name, '') as actor_name, res.action, res.target,
       coalesce(e.slug, '') as edition_slug, res.digest, res.prev_hash, res.hash,
       count(*) over () as total
from resolved res
left join editions e on e.id = res.edition_id
left join people p on p.id = res.actor_id
where :is_admin::boolean
   or res.edition_id in (
       select e2.id from editions e2 join organisers o on o.contest_id = e2.contest_id
       where o.person_id = :person_id)
order by res.id desc
limit :page_size offset :offset
