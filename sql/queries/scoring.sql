-- Jurors' score sheets, conflict-of-interest declarations and the organisers' progress dashboard.
-- Every query a juror's request runs is filtered by that juror's person id: no query here reads another
-- juror's marks for a juror, and in blind rounds the candidate's name, organisation, creation and e-mail
-- are not even selected (null), so they cannot leak through a template or a JSON field by mistake.

-- name: scoring_juror_assignments
-- The juror's assigned candidates in the visible rounds of their edition, with their own sheet's state and
-- whether they declared on conflicts for that candidate yet. Conflicted pairs are never listed.
select r.id as round_id, r.name as round_name, r.kind as round_kind, r.status as round_status,
       r.blind, p.id as panel_id, p.name as panel_name,
       c.id as candidate_id, c.entry_number,
       case when r.blind then null
            else coalesce(nullif(trim(c.organisation_name), ''), c.person_name) end as name,
       case when r.blind then null
            else coalesce(nullif(trim(c.creation_name), ''), nullif(trim(c.project_title), '')) end as title,
       cat.name as category,
       s.status as sheet_status, s.version, s.updated_at,
       d.candidate_id is not null as declared
from assignments a
join panels p on p.id = a.panel_id
join rounds r on r.id = p.round_id
join candidates c on c.id = a.candidate_id and c.edition_id = r.edition_id
left join categories cat on cat.id = c.category_id
left join score_sheets s on s.round_id = r.id and s.person_id = a.person_id and s.candidate_id = c.id
left join conflict_declarations d on d.round_id = r.id and d.person_id = a.person_id and d.candidate_id = c.id
where a.person_id = :person_id
  and r.edition_id = :edition_id
  and r.status in ('open', 'deliberation', 'closed')
  and not coalesce(d.has_conflict, false)
order by r.position, p.name, p.id, c.entry_number nulls last, c.id

-- name: scoring_round_pair
-- One (juror, round, candidate) in one round trip, as a sheet's page and every write need it: the round
-- with its edition (for the scope checks), and, when the candidate belongs to the round's edition
-- (`candidate_id` not null), the candidate as the juror may see it, the panel the pair is assigned in
-- (null when not assigned), whether the juror declared a conflict with the candidate, how many of the
-- juror's assigned candidates in the round still lack a declaration, and the grid of the candidate's
-- category in the order organisers set (scales as text: they are exact decimals; `jury_sheet_grid`,
-- migration 0032) with its digest, which a write passes back to say which grid it validated against.
select r.id, r.edition_id, r.name, r.kind, r.status, r.blind, r.position, e.slug as edition_slug,
       c.id as candidate_id, c.entry_number, c.category_id, cat.name as category,
       case when r.blind then null
            else coalesce(nullif(trim(c.organisation_name), ''), c.person_name) end as candidate_name,
       case when r.blind then null
            else coalesce(nullif(trim(c.creation_name), ''), nullif(trim(c.project_title), '')) end as title,
       (select min(a.panel_id)
          from assignments a join panels p on p.id = a.panel_id
         where p.round_id = r.id and a.person_id = :person_id and a.candidate_id = c.id) as panel_id,
       exists (select 1 from conflict_declarations d
                where d.round_id = r.id and d.person_id = :person_id and d.candidate_id = c.id
                  and d.has_conflict) as conflicted,
       (select count(distinct a.candidate_id)
          from assignments a
          join panels p on p.id = a.panel_id
          left join conflict_declarations d
                 on d.round_id = p.round_id and d.person_id = a.person_id and d.candidate_id = a.candidate_id
         where p.round_id = r.id and a.person_id = :person_id and d.candidate_id is null) as pending_declarations,
       g.criteria, md5(g.criteria::text) as grid_digest
from rounds r
join editions e on e.id = r.edition_id
left join candidates c on c.id = :candidate_id and c.edition_id = r.edition_id
left join categories cat on cat.id = c.category_id
cross join lateral (select jury_sheet_grid(c.category_id) as criteria) g
where r.id = :round_id

-- name: scoring_sheet
-- The juror's own sheet for a candidate in a round (never anyone else's: person_id is always given), with
-- its marks in one round trip (a sheet is read twice on every write).
select s.id, s.round_id, s.candidate_id, s.panel_id, s.status, s.version, s.comment, s.abstained,
       s.abstention_reason, s.updated_at, s.submitted_at,
       coalesce((select jsonb_agg(jsonb_build_object('criterion_id', x.criterion_id, 'value', x.value,
                                                     'comment', x.comment) order by x.criterion_id)
                   from sheet_scores x where x.sheet_id = s.id), '[]'::jsonb) as scores
from score_sheets s
where s.round_id = :round_id and s.person_id = :person_id and s.candidate_id = :candidate_id

-- name: scoring_save_sheet
-- A sheet write in one statement, its own transaction (`jury_save_sheet`, migration 0032): checks, locks,
-- key claim, sheet and marks, stored answer and audit event; a refusal raises SQLSTATE JY000 naming it.
select replayed, sheet_id, status_code, response, owner_person_id, owner_round_id, owner_candidate_id
from jury_save_sheet(:round_id, :candidate_id, :person_id, :edition_id, :key, :now::timestamptz, :version,
                     :grid_digest, :valid, :status, :abstained, :abstention_reason, :comment,
                     :criterion_ids::int[], :marks::numeric[], :comments::text[], :answer_tail, :actor_id,
                     :actor_label, :action, :digest)

-- name: scoring_round_declarations
-- For the declaration page: the juror's assigned candidates in the round plus those they already declared
-- a conflict with (no longer assigned), with their declaration if any.
with mine as (
    select a.candidate_id
    from assignments a join panels p on p.id = a.panel_id
    where p.round_id = :round_id and a.person_id = :person_id
    union
    select candidate_id from conflict_declarations where round_id = :round_id and person_id = :person_id
)
select c.id, c.entry_number, cat.name as category,
       case when r.blind then null
            else coalesce(nullif(trim(c.organisation_name), ''), c.person_name) end as name,
       case when r.blind then null
            else coalesce(nullif(trim(c.creation_name), ''), nullif(trim(c.project_title), '')) end as title,
       d.has_conflict, coalesce(d.reason, '') as reason, d.declared_at
from mine m
join rounds r on r.id = :round_id
join candidates c on c.id = m.candidate_id and c.edition_id = r.edition_id
left join categories cat on cat.id = c.category_id
left join conflict_declarations d
       on d.round_id = r.id and d.person_id = :person_id and d.candidate_id = c.id
order by c.entry_number nulls last, c.id

-- name: scoring_upsert_declaration
-- "No conflict" may become "conflict" (a juror who recognises a candidate later); the reverse is the
-- organisers' call, so an existing conflict is never overwritten here (no row back).
insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason, declared_at)
values (:round_id, :person_id, :candidate_id, :has_conflict, :reason, :now::timestamptz)
on conflict (round_id, person_id, candidate_id) do update
    set has_conflict = excluded.has_conflict, reason = excluded.reason, declared_at = :now::timestamptz
    where not conflict_declarations.has_conflict
returning declared_at

-- name: scoring_remove_assignment
-- A declared conflict takes the juror off the candidate in every panel of the round.
delete from assignments a
using panels p
where p.id = a.panel_id and p.round_id = :round_id
  and a.person_id = :person_id and a.candidate_id = :candidate_id
returning a.panel_id

-- name: scoring_delete_sheet
-- A sheet started before the juror noticed the conflict must not count: it goes, with an audit event.
delete from score_sheets
where round_id = :round_id and person_id = :person_id and candidate_id = :candidate_id
returning id, version, status

-- name: scoring_edition_register
-- The register of declarations of an edition, for organisers (they know the candidates, even in blind
-- rounds). Conflicts first.
select d.round_id, r.name as round_name, d.person_id, pe.full_name as juror_name,
       d.candidate_id, c.entry_number,
       coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as candidate_name,
       d.has_conflict, d.reason, d.declared_at
from conflict_declarations d
join rounds r on r.id = d.round_id
join people pe on pe.id = d.person_id
join candidates c on c.id = d.candidate_id
where r.edition_id = :edition_id
order by d.has_conflict desc, r.position, pe.full_name, c.entry_number nulls last, c.id

-- name: scoring_progress_members
-- Everyone sitting on a panel of the round, with their panels, their declarations and their conflicts.
-- Conflicts counted once for the round (grouped), not by a subquery per juror.
with conflicts as (
    select person_id, count(*) as conflicts
    from conflict_declarations
    where round_id = :round_id and has_conflict
    group by person_id
)
select pm.person_id, pe.full_name,
       array_agg(distinct p.name order by p.name) as panels,
       coalesce(min(x.conflicts), 0) as conflicts
from panel_members pm
join panels p on p.id = pm.panel_id
join people pe on pe.id = pm.person_id
left join conflicts x on x.person_id = pm.person_id
where p.round_id = :round_id
group by pm.person_id, pe.full_name
order by pe.full_name, pm.person_id

-- name: scoring_progress_pairs
-- Every assigned pair of the round with the state of its sheet (one row per pair, whatever the panel).
select distinct on (a.person_id, a.candidate_id)
       p.name as panel, a.person_id, pe.full_name as juror_name, c.id as candidate_id, c.entry_number,
       coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as candidate_name,
       s.status as sheet_status, coalesce(s.abstained, false) as abstained, s.updated_at,
       d.candidate_id is not null as declared
from assignments a
join panels p on p.id = a.panel_id
join people pe on pe.id = a.person_id
join candidates c on c.id = a.candidate_id
left join score_sheets s on s.round_id = p.round_id and s.person_id = a.person_id and s.candidate_id = c.id
left join conflict_declarations d
       on d.round_id = p.round_id and d.person_id = a.person_id and d.candidate_id = c.id
where p.round_id = :round_id
order by a.person_id, a.candidate_id, p.name

-- name: scoring_progress_candidates
-- The candidates competing in the round (withdrawn and ineligible ones expect no sheet), and any other
-- candidate that has assignments in it, with their panel and their number of declared conflicts.
with competing as (
    select cr.candidate_id, cr.panel_id
    from candidate_rounds cr
    where cr.round_id = :round_id and cr.status not in ('withdrawn', 'ineligible')
    union
    select a.candidate_id, min(a.panel_id)
    from assignments a join panels p on p.id = a.panel_id
    where p.round_id = :round_id
      and not exists (select 1 from candidate_rounds cr
                       where cr.round_id = :round_id and cr.candidate_id = a.candidate_id)
    group by a.candidate_id
),
-- Conflicts counted once for the round (grouped): a subquery per candidate scanned every declaration of
-- the round for each (declarations are keyed by juror first), 60 s for 22,000 candidates.
conflicts as (
    select candidate_id, count(*) as conflicts
    from conflict_declarations
    where round_id = :round_id and has_conflict
    group by candidate_id
)
select c.id as candidate_id, c.entry_number,
       coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as name,
       coalesce(p.name, '') as panel,
       coalesce(x.conflicts, 0) as conflicts
from competing k
join candidates c on c.id = k.candidate_id
left join panels p on p.id = k.panel_id
left join conflicts x on x.candidate_id = c.id
order by p.name nulls last, c.entry_number nulls last, c.id

-- name: conflicts_of_round
-- Declared conflicts of interest in a round; a declaration of "no conflict" is not a conflict.
select person_id, candidate_id from conflict_declarations where round_id = :round_id and has_conflict

-- name: conflicts_of_person
-- Candidates a juror declared a conflict of interest with in a round: hidden from them everywhere.
select candidate_id from conflict_declarations
where round_id = :round_id and person_id = :person_id and has_conflict
