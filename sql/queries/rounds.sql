-- name: round_snapshot
-- Everything opening a round depends on, in one round trip. Only candidates still in play count: a
-- withdrawn or ineligible entry keeps its history in the round but needs no panel and no jurors.
with entries as (
    select cr.candidate_id, cr.panel_id from candidate_rounds cr
    where cr.round_id = :round_id and cr.status not in ('withdrawn', 'ineligible')
)
select
    (select count(*) from entries) as candidates,
    (select count(*) from panels p where p.round_id = r.id) as panels,
    coalesce((select array_agg(p.name order by p.name) from panels p
              where p.round_id = r.id
                and not exists (select 1 from panel_members pm where pm.panel_id = p.id)), '{}') as panels_without_jurors,
    coalesce((select array_agg(distinct cat.name) from entries e
              join candidates c on c.id = e.candidate_id
              join categories cat on cat.id = c.category_id
              where not exists (select 1 from criteria k where k.category_id = cat.id)), '{}')
        as categories_without_criteria,
    (select count(*) from entries e where e.panel_id is null) as candidates_without_panel,
    (select count(*) from entries e where e.panel_id is not null
       and not exists (select 1 from assignments a where a.panel_id = e.panel_id
                       and a.candidate_id = e.candidate_id)) as candidates_without_jurors
from rounds r
where r.id = :round_id

-- name: set_round_status
update rounds set status = :status where id = :round_id

-- name: round_routing_inputs
-- The candidates of a round with their commune, and any organiser override already recorded.
select cr.candidate_id, coalesce(c.insee_code, '') as insee_code, cr.status,
       exists (select 1 from decisions d where d.candidate_id = cr.candidate_id and d.round_id = cr.round_id
               and d.kind = 'override') as overridden
from candidate_rounds cr join candidates c on c.id = cr.candidate_id
where cr.round_id = :round_id
order by cr.candidate_id

-- name: round_zone_panels
-- Panels of a round with the zone each one judges.
select p.id as panel_id, z.code as zone_code, z.label as zone_label, z.ept_codes
from panels p join zones z on z.id = p.zone_id
where p.round_id = :round_id

-- name: edition_accepted_outside
select accepted_outside_insee from editions where id = :edition_id

-- name: all_communes
select insee_code, name, department_code, ept_code from communes

-- name: set_candidate_round_routing
update candidate_rounds set panel_id = :panel_id, status = :status, reason = :reason, updated_at = :now::timestamptz
where candidate_id = :candidate_id and round_id = :round_id

-- name: insert_override_decision
insert into decisions (edition_id, round_id, candidate_id, kind, reason, decided_by, decided_at)
values (:edition_id, :round_id, :candidate_id, 'override', :reason, :decided_by, :now::timestamptz)
returning id

-- name: correction_sheet
-- A submitted sheet of a closed round, with the chair of its panel, for a correction.
select s.id, s.version, s.panel_id, r.status as round_status, r.edition_id,
       exists (select 1 from panel_members pm where pm.panel_id = s.panel_id
               and pm.person_id = :chair_id and pm.role = 'chair') as is_chair
from score_sheets s join rounds r on r.id = s.round_id
where s.round_id = :round_id and s.person_id = :person_id and s.candidate_id = :candidate_id
for update of s

-- name: correction_criteria
select c.id, c.label, c.scale_min, c.scale_max, c.scale_step
from sheet_scores ss join criteria c on c.id = ss.criterion_id
where ss.sheet_id = :sheet_id

-- name: correct_sheet_score
update sheet_scores set value = :value where sheet_id = :sheet_id and criterion_id = :criterion_id

-- name: bump_sheet_version
update score_sheets set version = version + 1, updated_at = :now::timestamptz where id = :sheet_id returning version

-- name: eligibility_inputs
-- Candidates of an eligibility round still to be judged by its rules (not withdrawn, not yet moved on), with
-- every column the rules read, the organisers' override, and whether an ineligible decision already stands.
select cr.candidate_id, cr.status, c.organisation_name, c.person_name, c.email,
       coalesce(c.insee_code, '') as insee_code, c.legal_form, c.founded_on, c.requested_eur,
       c.entry_number, c.creation_name, cat.code as category_code, c.project_title, c.eligibility_override,
       c.eligibility_overridden_at is not null as overridden,
       exists (select 1 from decisions d where d.round_id = cr.round_id and d.candidate_id = cr.candidate_id
               and d.kind = 'ineligible') as decided_ineligible
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
left join categories cat on cat.id = c.category_id
where cr.round_id = :round_id and cr.status in ('pending', 'eligible', 'ineligible') and c.withdrawn_at is null
order by cr.candidate_id

-- name: communes_of_department
select insee_code from communes where department_code = :department

-- name: insert_eligibility_decision
insert into decisions (edition_id, round_id, candidate_id, kind, reason, decided_by, decided_at)
values (:edition_id, :round_id, :candidate_id, 'ineligible', :reason, :decided_by, :now::timestamptz)

-- name: set_entry_status
-- A candidate's status in a round (eligibility, qualification, withdrawal), with the reason shown beside it.
update candidate_rounds set status = :status, reason = :reason, updated_at = :now::timestamptz
where candidate_id = :candidate_id and round_id = :round_id

-- name: round_after
-- The round that follows a round in its edition, if any.
select name, status from rounds
where edition_id = :edition_id and position > :position
order by position limit 1

-- name: round_live_decisions
-- Decisions resting on a round that have not been undone: while there is one, the round cannot go back to
-- scoring.
select count(*) from decisions
where round_id = :round_id and undone_at is null and kind in ('advance', 'eliminate', 'award', 'laureate')

-- name: round_sheet_counts
-- How many sheets the round expects (assigned pairs of candidates still in play, without a declared
-- conflict), how many are not submitted and how many of those are drafts: what « Passer en délibération »
-- would freeze or leave missing, counted without reading every pair (90,000 at the largest contest).
-- A sheet exists only for an assigned pair (a pair with a sheet cannot be removed), so the sheets are
-- counted from their own table rather than joined to every pair.
with playing as (
    select cr.candidate_id from candidate_rounds cr
    where cr.round_id = :round_id and cr.status not in ('withdrawn', 'ineligible')
),
expected as (
    select count(*)::int as n
    from assignments a
    join panels p on p.id = a.panel_id
    join playing k on k.candidate_id = a.candidate_id
    where p.round_id = :round_id
      and not exists (select 1 from conflict_declarations d
                      where d.round_id = :round_id and d.person_id = a.person_id
                        and d.candidate_id = a.candidate_id and d.has_conflict)
),
sheets as (
    select (count(*) filter (where s.status = 'submitted'))::int as submitted,
           (count(*) filter (where s.status = 'draft'))::int as drafts
    from score_sheets s
    join playing k on k.candidate_id = s.candidate_id
    where s.round_id = :round_id
      and not exists (select 1 from conflict_declarations d
                      where d.round_id = :round_id and d.person_id = s.person_id
                        and d.candidate_id = s.candidate_id and d.has_conflict)
)
select e.n as expected, e.n - s.submitted as missing, s.drafts
from expected e, sheets s

-- name: round_missing_sheets
-- The first :limit expected sheets not submitted (by juror, then candidate), with the names the page
-- shows: the confirmation names them, the follow-up page has the rest.
select distinct on (a.person_id, a.candidate_id)
       pe.full_name as juror_name, c.entry_number,
       coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as candidate_name,
       coalesce(s.status, 'todo') as sheet_status
from assignments a
join panels p on p.id = a.panel_id
join people pe on pe.id = a.person_id
join candidates c on c.id = a.candidate_id
join candidate_rounds cr
    on cr.candidate_id = c.id and cr.round_id = p.round_id and cr.status not in ('withdrawn', 'ineligible')
left join score_sheets s on s.round_id = p.round_id and s.person_id = a.person_id and s.candidate_id = c.id
left join conflict_declarations d
    on d.round_id = p.round_id and d.person_id = a.person_id and d.candidate_id = c.id and d.has_conflict
where p.round_id = :round_id and d.candidate_id is null and s.status is distinct from 'submitted'
order by a.person_id, a.candidate_id
limit :limit
