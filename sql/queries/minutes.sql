-- Procès-verbal of a panel's deliberation and the advancement preview. Names start with minutes_.

-- name: minutes_panel
select id, round_id, name, venue from panels where id = :panel_id

-- name: minutes_members
-- The panel's members, chair first: the jurors present at the deliberation.
select pm.person_id, p.full_name, p.title, pm.role
from panel_members pm join people p on p.id = pm.person_id
where pm.panel_id = :panel_id
order by (pm.role = 'chair') desc, p.full_name, p.id

-- name: minutes_conflicts
-- Conflicts of interest declared by the panel's members about the panel's candidates.
select cd.person_id, p.full_name, cd.candidate_id, cd.reason, cd.declared_at
from conflict_declarations cd
join people p on p.id = cd.person_id
join panel_members pm on pm.person_id = cd.person_id and pm.panel_id = :panel_id
join candidate_rounds cr on cr.candidate_id = cd.candidate_id and cr.round_id = cd.round_id
where cd.round_id = :round_id and cd.has_conflict and cr.panel_id = :panel_id
order by p.full_name, cd.candidate_id

-- name: minutes_entries
-- The panel's candidates with their identity columns (labels are built by the caller) and status.
select c.id, c.organisation_name, c.person_name, c.entry_number, cr.status, cr.reason
from candidate_rounds cr join candidates c on c.id = cr.candidate_id
where cr.round_id = :round_id and cr.panel_id = :panel_id
order by c.entry_number nulls last, c.organisation_name, c.person_name, c.id

-- name: minutes_categories
select id, name, position from categories where edition_id = :edition_id order by position, id

-- name: minutes_published
-- The panel's standings in the round's latest publication (none when nothing was published).
select s.version, s.category_id, s.method, s.input_digest, s.result::text as result, s.published_at,
       p.full_name as published_by_name
from standings s
join people p on p.id = s.published_by
where s.round_id = :round_id
  and s.panel_id = :panel_id
  and s.version = (select max(version) from standings where round_id = :round_id)
order by s.category_id nulls first

-- name: minutes_ballots
-- The panel's ballots with their stored results and the name of whoever gave the casting vote.
select b.id, b.kind, b.title, b.status, b.candidates, b.result, b.opened_at, b.closed_at,
       (select count(*) from ballot_votes v where v.ballot_id = b.id) as votes_cast,
       cp.full_name as casting_name
from ballots b
left join ballot_casting_votes cv on cv.ballot_id = b.id
left join people cp on cp.id = cv.person_id
where b.round_id = :round_id and b.panel_id = :panel_id
order by b.id

-- name: minutes_decisions
-- Decisions of the round about the panel's candidates, with who took them and, for prizes, what.
select d.id, d.kind, d.candidate_id, d.reason, d.based_on, d.decided_at, p.full_name as decided_by_name,
       pr.name as prize_name, a.granted_eur, d.departure, d.undone_at, d.undo_reason,
       u.full_name as undone_by_name
from decisions d
join candidate_rounds cr on cr.candidate_id = d.candidate_id and cr.round_id = d.round_id
left join people p on p.id = d.decided_by
left join people u on u.id = d.undone_by
left join awards a on a.decision_id = d.id
left join prizes pr on pr.id = a.prize_id
where d.round_id = :round_id and cr.panel_id = :panel_id
order by d.decided_at, d.id

-- name: minutes_edition_grants
-- The edition's budget and every amount granted in it (any round, any panel), for the totals of the
-- procès-verbal.
select e.budget_eur,
       (select coalesce(sum(a.granted_eur), 0)::int
        from awards a join prizes pr on pr.id = a.prize_id
        where pr.edition_id = e.id and a.granted_eur is not null and a.undone_at is null) as granted_eur
from editions e
where e.id = :edition_id

-- name: minutes_round_entries
-- Every candidate of a round with their panel and status, for the advancement preview.
select c.id, c.organisation_name, c.person_name, c.entry_number, cr.status, cr.panel_id
from candidate_rounds cr join candidates c on c.id = cr.candidate_id
where cr.round_id = :round_id
order by c.entry_number nulls last, c.organisation_name, c.person_name, c.id

-- name: minutes_job_for_content
-- The procès-verbal of this very content, rendered or on its way (a failed one is asked again).
select id, status from minutes_jobs
where panel_id = :panel_id and content_digest = :content_digest and status <> 'failed'
order by id desc limit 1

-- name: minutes_insert_job
insert into minutes_jobs (round_id, panel_id, content_digest, created_at) values (:round_id, :panel_id, :content_digest, :now::timestamptz)
returning id

-- name: minutes_job_state
select status, pdf, error from minutes_jobs where id = :job_id

-- name: minutes_job_start
update minutes_jobs set status = 'running', attempts = attempts + 1, error = '' where id = :job_id
returning id

-- name: minutes_job_finish
update minutes_jobs set status = :status, pdf = :pdf, error = :error, finished_at = :now::timestamptz where id = :job_id
returning id
