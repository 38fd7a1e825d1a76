-- The candidates of a round before its panels, and the members of those panels (jury.rounds.entries).

-- name: entries_of_round
-- The candidates entered in a round, with the panel each one stands before (none yet: null).
select cr.candidate_id, cr.panel_id, cr.status, c.organisation_name, c.person_name, c.entry_number,
       cat.name as category_name
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
left join categories cat on cat.id = c.category_id
where cr.round_id = :round_id
order by c.entry_number nulls last, lower(coalesce(nullif(c.organisation_name, ''), c.person_name)), c.id

-- name: entries_round_panels
-- The panels of a round, with the zone a territorial panel judges.
select p.id, p.name, p.venue, z.label as zone_label
from panels p
left join zones z on z.id = p.zone_id
where p.round_id = :round_id
order by p.name, p.id

-- name: entries_round_members
-- Who sits on each panel of a round: chair first, then jurors by name.
select pm.panel_id, pm.person_id, pm.role, pm.is_professional, pe.full_name, pe.title
from panel_members pm
join people pe on pe.id = pm.person_id
join panels p on p.id = pm.panel_id
where p.round_id = :round_id
order by pm.panel_id, pm.role = 'chair' desc, pe.full_name, pe.id

-- name: entries_edition_jurors
-- The jurors of an edition (edition_jurors: imported, seated on one of its panels, or given a card).
select pe.id as person_id, pe.full_name, pe.title
from edition_jurors ej
join people pe on pe.id = ej.person_id
where ej.edition_id = :edition_id
order by pe.full_name, pe.id

-- name: entries_edition_juror
-- One juror of the edition, named by id or by e-mail (any case); nothing for anyone else.
select pe.id as person_id, pe.full_name
from edition_jurors ej
join people pe on pe.id = ej.person_id
where ej.edition_id = :edition_id
  and (pe.id = :person_id::int or lower(pe.email) = lower(:email::text))
order by pe.id
limit 1

-- name: entries_scored_candidates
-- Candidates of a round for whom a score sheet exists (drafts too): their panel can no longer change.
select distinct candidate_id from score_sheets where round_id = :round_id

-- name: entries_drop_stale_assignments
-- Assignments of moved candidates to jurors of the panel they left.
delete from assignments a
using unnest(:candidate_ids::int[], :panel_ids::int[]) as x(candidate_id, panel_id), panels p
where p.id = a.panel_id and p.round_id = :round_id
  and a.candidate_id = x.candidate_id and a.panel_id <> x.panel_id
returning a.candidate_id

-- name: entries_place
-- Put candidates before panels of their round, one panel per candidate.
update candidate_rounds cr
set panel_id = x.panel_id, updated_at = :now::timestamptz
from unnest(:candidate_ids::int[], :panel_ids::int[]) as x(candidate_id, panel_id)
where cr.round_id = :round_id and cr.candidate_id = x.candidate_id

-- name: entries_place_in_only_panel
-- Candidates just entered in a round with exactly one panel go before it; with none or several, nothing.
update candidate_rounds
set panel_id = (select id from panels where round_id = :round_id), updated_at = :now::timestamptz
where round_id = :round_id and candidate_id = any(:candidate_ids::int[]) and panel_id is null
  and (select count(*) from panels where round_id = :round_id) = 1
returning panel_id

-- name: entries_panel_round
-- The round a panel belongs to (its scope and state are read from there).
select round_id, name from panels where id = :panel_id

-- name: entries_panel_member
-- One seat of a panel, if the person has it.
select role from panel_members where panel_id = :panel_id and person_id = :person_id

-- name: entries_panel_chair
select pm.person_id from panel_members pm where pm.panel_id = :panel_id and pm.role = 'chair'

-- name: entries_add_member
-- Nothing when the seat was taken meanwhile (a second request for the same juror): the caller says so.
insert into panel_members (panel_id, person_id, role, is_professional)
values (:panel_id, :person_id, :role, :is_professional)
on conflict (panel_id, person_id) do nothing
returning person_id

-- name: entries_member_sheets
-- Score sheets a member opened in this panel: with any, their seat cannot be taken away.
select count(*) from score_sheets where panel_id = :panel_id and person_id = :person_id

-- name: entries_drop_member_assignments
delete from assignments where panel_id = :panel_id and person_id = :person_id
returning candidate_id

-- name: entries_remove_member
delete from panel_members where panel_id = :panel_id and person_id = :person_id
