-- name: assignment_panels
-- Panels of the round with their territorial zone, if any.
select p.id, p.name, p.zone_id, z.code as zone_code, z.label as zone_label,
       coalesce(z.ept_codes, '{}') as ept_codes
from panels p
left join zones z on z.id = p.zone_id
where p.round_id = :round_id
order by p.name, p.id

-- name: assignment_members
-- Everyone sitting on a panel of the round, chairs included: they mark candidates too.
select pm.panel_id, pm.person_id, pe.full_name, pm.role
from panel_members pm
join panels p on p.id = pm.panel_id
join people pe on pe.id = pm.person_id
where p.round_id = :round_id
order by pe.full_name, pm.person_id, pm.panel_id

-- name: assignment_candidates
-- Candidates of the round with the EPT of their commune, to cross-check their panel's zone; `competing`
-- is false for withdrawn and ineligible ones, who get no jurors.
select c.id, c.entry_number, cr.status not in ('withdrawn', 'ineligible') as competing,
       case when length(trim(c.organisation_name)) > 0 then c.organisation_name else c.person_name end
           as name,
       coalesce(m.name, c.commune_label) as commune, m.ept_code, cr.panel_id
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
left join communes m on m.insee_code = c.insee_code
where cr.round_id = :round_id
order by c.entry_number nulls last, name, c.id

-- name: assignment_pairs
-- Current assignments of the round (through its panels).
select a.panel_id, a.person_id, a.candidate_id
from assignments a
join panels p on p.id = a.panel_id
where p.round_id = :round_id
order by a.person_id, a.candidate_id, a.panel_id

-- name: assignment_pair_columns
-- The round's assignments as three parallel arrays, in the order of `assignment_pairs`: the assignment
-- page reads 90,000 pairs at the largest contest, and three arrays decode far faster than as many rows.
select coalesce(array_agg(a.person_id order by a.person_id, a.candidate_id, a.panel_id), '{}') as person_ids,
       coalesce(array_agg(a.candidate_id order by a.person_id, a.candidate_id, a.panel_id), '{}')
           as candidate_ids,
       coalesce(array_agg(a.panel_id order by a.person_id, a.candidate_id, a.panel_id), '{}') as panel_ids
from assignments a
join panels p on p.id = a.panel_id
where p.round_id = :round_id

-- name: assignment_scored_pairs
-- Pairs for which a juror already opened a score sheet: a new plan keeps them rather than orphan marks.
select person_id, candidate_id
from score_sheets
where round_id = :round_id

-- name: insert_assignment_pairs
-- All new pairs of a plan in one statement (parallel arrays, same length).
insert into assignments (panel_id, person_id, candidate_id, created_at)
select u.*, :now::timestamptz from unnest(:panel_ids::int[], :person_ids::int[], :candidate_ids::int[]) as u
on conflict do nothing

-- name: delete_assignment_pairs
-- Removes the given (person, candidate) pairs from every panel of the round.
delete from assignments a
using panels p, unnest(:person_ids::int[], :candidate_ids::int[]) as gone(person_id, candidate_id)
where p.id = a.panel_id and p.round_id = :round_id
  and a.person_id = gone.person_id and a.candidate_id = gone.candidate_id

-- name: assignment_summary
-- The round's assignment version (0 before any change) and the summary stored for `wanted` (0: the k
-- inferred from the pairs), with the version it was computed at: equal versions mean it is current.
select coalesce((select v.version from round_assignment_versions v where v.round_id = :round_id), 0)
           as version,
       s.version as stored_version, s.summary::text as summary
from (select 1) as one
left join round_assignment_summaries s on s.round_id = :round_id and s.wanted = :wanted

-- name: store_assignment_summary
-- Keeps the summary computed at `version`, unless one computed at a later version is already there.
insert into round_assignment_summaries as s (round_id, wanted, version, summary)
values (:round_id, :wanted, :version, :summary::text::jsonb)
on conflict (round_id, wanted) do update set version = excluded.version, summary = excluded.summary
where s.version < excluded.version

-- name: assignment_juror_ids
-- Everyone sitting on a panel of the round, in the order of `assignment_members`: the loads' page is a
-- slice of it.
select coalesce(array_agg(sitting.person_id order by sitting.full_name, sitting.person_id), '{}')
           as person_ids
from (
    select distinct pm.person_id, pe.full_name
    from panel_members pm
    join panels p on p.id = pm.panel_id
    join people pe on pe.id = pm.person_id
    where p.round_id = :round_id
) as sitting

-- name: assignment_window_members
-- The members of the page's panels, in the order of `assignment_members`.
select pm.panel_id, pm.person_id
from panel_members pm
join panels p on p.id = pm.panel_id
join people pe on pe.id = pm.person_id
where p.round_id = :round_id and pm.panel_id = any (:panel_ids::int[])
order by pe.full_name, pm.person_id, pm.panel_id

-- name: assignment_window_jurors
-- The jurors the page shows, each with every panel it sits on in the round and its load (its pairs in the
-- round, looked up by juror).
select pm.person_id, pe.full_name,
       array_agg(pm.panel_id order by pm.panel_id) as panels,
       coalesce(array_agg(pm.panel_id order by pm.panel_id) filter (where pm.role = 'chair'), '{}') as chairs,
       (select count(distinct a.candidate_id) from assignments a join panels q on q.id = a.panel_id
        where a.person_id = pm.person_id and q.round_id = :round_id) as load
from panel_members pm
join panels p on p.id = pm.panel_id
join people pe on pe.id = pm.person_id
where p.round_id = :round_id and pm.person_id = any (:person_ids::int[])
group by pm.person_id, pe.full_name
order by pe.full_name, pm.person_id

-- name: assignment_window_candidates
-- The competing candidates of the page's panels and the given ones (the holes it lists), in the order of
-- `assignment_candidates`.
select c.id, c.entry_number,
       case when length(trim(c.organisation_name)) > 0 then c.organisation_name else c.person_name end
           as name,
       coalesce(m.name, c.commune_label) as commune, m.ept_code, cr.panel_id
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
left join communes m on m.insee_code = c.insee_code
where cr.round_id = :round_id and cr.status not in ('withdrawn', 'ineligible')
  and (cr.panel_id = any (:panel_ids::int[]) or cr.candidate_id = any (:candidate_ids::int[]))
order by c.entry_number nulls last, name, c.id

-- name: assignment_window_pairs
-- The round's pairs in the page's panels or of the page's candidates, in the order of `assignment_pairs`,
-- with the rows of the same juror and candidate in other panels (the round's view keeps one per pair).
select a.panel_id, a.person_id, a.candidate_id
from assignments a
join panels p on p.id = a.panel_id
where p.round_id = :round_id
  and (a.person_id, a.candidate_id) in (
      select b.person_id, b.candidate_id from assignments b where b.panel_id = any (:panel_ids::int[])
      union all
      select b.person_id, b.candidate_id from assignments b where b.candidate_id = any (:candidate_ids::int[])
  )
order by a.person_id, a.candidate_id, a.panel_id

-- name: assignment_window_conflicts
-- Declared conflicts of the page's candidates.
select person_id, candidate_id
from conflict_declarations
where round_id = :round_id and has_conflict and candidate_id = any (:candidate_ids::int[])
order by person_id, candidate_id
