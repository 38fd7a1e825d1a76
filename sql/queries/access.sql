-- name: round_in_edition
-- The one "round with its edition and contest": what every scope check, page header and heading needs.
-- No row lock: a feature that must hold the round's status until commit takes `lock_round_for_update`
-- or `lock_round_for_share` first.
select r.id, r.edition_id, r.name, r.kind, r.status, r.position, r.method, r.advance_count, r.blind,
       r.scheduled_on, e.slug as edition_slug, e.number as edition_number, e.year as edition_year,
       e.status as edition_status, e.place, e.tie_break_policy, e.contest_id, c.slug as contest_slug,
       c.name as contest_name
from rounds r
join editions e on e.id = r.edition_id
join contests c on c.id = e.contest_id
where r.id = :round_id

-- name: lock_round_for_update
-- Serialises changes of the round itself (a move, a plan applied) with each other, and with the sheets
-- being written in it, which hold the round's advisory lock shared (`jury_save_sheet`, migration 0037):
-- they end first, and the next ones wait for this transaction. Returns the round's status.
select r.status
from (select pg_advisory_xact_lock(hashtext('jury:round'), :round_id)) as writes_done, rounds r
where r.id = :round_id
for update of r

-- name: lock_round_for_share
-- Held by writes that depend on the round's status (a sheet, a vote): a move waits for them, and they
-- see the new status once it is committed. Returns the status.
select status from rounds where id = :round_id for share

-- name: is_organiser_of_edition
-- True when the person organises the edition's contest (or is an administrator).
select exists (
    select 1 from people p
    where p.id = :person_id
      and (p.is_admin or exists (
          select 1 from organisers o join editions e on e.contest_id = o.contest_id
          where o.person_id = p.id and e.id = :edition_id))
)

-- name: is_chair_of_round
select exists (select 1 from panel_members pm join panels p on p.id = pm.panel_id
               where p.round_id = :round_id and pm.person_id = :person_id and pm.role = 'chair')
