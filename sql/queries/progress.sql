-- The organisers' follow-up page of a round, read at the scale of the largest contest (issue 18): the
-- totals from aggregates, the two tables one page at a time. Which candidates count (`competing`) is the
-- rule of scoring_progress_candidates: those competing in the round, and any other with assignments in it.

-- name: progress_spread
-- How many competing candidates have each number of jurors (after declared conflicts): the round's
-- target (most common number), holes and expected sheets come from these few rows. One pass over the
-- round's assignments serves both the counts and the rule of `competing` (a candidate with assignments
-- but no entry in the round competes).
with assigned as (
    select a.candidate_id, count(*) as jurors
    from assignments a join panels p on p.id = a.panel_id
    where p.round_id = :round_id
    group by a.candidate_id
),
entered as (
    select cr.candidate_id, cr.status from candidate_rounds cr where cr.round_id = :round_id
)
select coalesce(x.jurors, 0)::int as jurors, count(*)::int as candidates
from assigned x
full join entered e on e.candidate_id = x.candidate_id
where e.candidate_id is null or e.status not in ('withdrawn', 'ineligible')
group by 1
order by 1

-- name: progress_submitted
-- Submitted sheets of the round's competing candidates (a sheet exists only for an assigned pair: a pair
-- with a sheet cannot be removed).
select count(*)::int
from score_sheets s
where s.round_id = :round_id and s.status = 'submitted'
  and not exists (select 1 from candidate_rounds cr
                  where cr.round_id = :round_id and cr.candidate_id = s.candidate_id
                    and cr.status in ('withdrawn', 'ineligible'))

-- name: progress_juror_count
-- How many people sit on a panel of the round, for the jurors' pager.
select count(distinct pm.person_id)
from panel_members pm join panels p on p.id = pm.panel_id
where p.round_id = :round_id

-- name: progress_juror_page
-- One page of the round's jurors (by name) with their counts over the competing candidates assigned to
-- them: expected, submitted, drafts, declarations still due, declared conflicts.
with members as (
    select pm.person_id, pe.full_name, array_agg(distinct p.name order by p.name) as panels
    from panel_members pm
    join panels p on p.id = pm.panel_id
    join people pe on pe.id = pm.person_id
    where p.round_id = :round_id
    group by pm.person_id, pe.full_name
    order by pe.full_name, pm.person_id
    limit :limit offset :offset
)
select m.person_id, m.full_name, m.panels,
       coalesce(t.expected, 0) as expected, coalesce(t.submitted, 0) as submitted,
       coalesce(t.drafts, 0) as drafts, coalesce(t.undeclared, 0) as undeclared,
       (select count(*) from conflict_declarations d
        where d.person_id = m.person_id and d.round_id = :round_id and d.has_conflict) as conflicts
from members m
left join lateral (
    select count(*) as expected,
           count(*) filter (where s.status = 'submitted') as submitted,
           count(*) filter (where s.status = 'draft') as drafts,
           count(*) filter (where d.candidate_id is null) as undeclared
    from (select distinct a.candidate_id
          from assignments a join panels p on p.id = a.panel_id
          where a.person_id = m.person_id and p.round_id = :round_id) x
    left join score_sheets s
           on s.round_id = :round_id and s.person_id = m.person_id and s.candidate_id = x.candidate_id
    left join conflict_declarations d
           on d.round_id = :round_id and d.person_id = m.person_id and d.candidate_id = x.candidate_id
    where exists (select 1 from candidate_rounds cr
                  where cr.round_id = :round_id and cr.candidate_id = x.candidate_id
                    and cr.status not in ('withdrawn', 'ineligible'))
       or not exists (select 1 from candidate_rounds cr
                      where cr.round_id = :round_id and cr.candidate_id = x.candidate_id)
) t on true
order by m.full_name, m.person_id

-- name: progress_candidate_page
-- One page of the round's competing candidates (by panel, then entry number) with their jurors,
-- submitted sheets and declared conflicts.
with competing as (
    select cr.candidate_id, cr.panel_id
    from candidate_rounds cr
    where cr.round_id = :round_id and cr.status not in ('withdrawn', 'ineligible')
    union all  -- disjoint: the second part has no entry in the round
    select a.candidate_id, min(a.panel_id)
    from assignments a join panels p on p.id = a.panel_id
    where p.round_id = :round_id
      and not exists (select 1 from candidate_rounds cr
                       where cr.round_id = :round_id and cr.candidate_id = a.candidate_id)
    group by a.candidate_id
),
page as (
    select c.id as candidate_id, c.entry_number,
           coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as name,
           coalesce(p.name, '') as panel, p.name as panel_order
    from competing k
    join candidates c on c.id = k.candidate_id
    left join panels p on p.id = k.panel_id
    order by p.name nulls last, c.entry_number nulls last, c.id
    limit :limit offset :offset
)
select g.candidate_id, g.entry_number, g.name, g.panel,
       coalesce(t.jurors, 0) as jurors, coalesce(t.submitted, 0) as submitted,
       (select count(*) from conflict_declarations d
        where d.candidate_id = g.candidate_id and d.round_id = :round_id and d.has_conflict) as conflicts
from page g
left join lateral (
    select count(*) as jurors, count(*) filter (where s.status = 'submitted') as submitted
    from (select distinct a.person_id
          from assignments a join panels p on p.id = a.panel_id
          where a.candidate_id = g.candidate_id and p.round_id = :round_id) x
    left join score_sheets s
           on s.round_id = :round_id and s.person_id = x.person_id and s.candidate_id = g.candidate_id
) t on true
order by g.panel_order nulls last, g.entry_number nulls last, g.candidate_id
