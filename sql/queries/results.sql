-- name: round_observations
-- One row per submitted, non-abstained sheet of the round: its weighted total on 0–100 and whether it
-- failed an eliminatory criterion, grouped by the candidate's panel and category (0 stands for none).
-- The total is `jury.scoring.totals.weighted_total` in SQL, operation for operation in float8 and summed
-- in criterion order, so it equals the Python function bit for bit (tests/results/test_service_totals.py):
-- abstained criteria (value null) are left out and the weights renormalised; eliminatory criteria never
-- add points. `stray` counts values given for criteria of another category (a data error, refused).
-- `panel_keys` / `category_keys` (null = all) narrow the read to some sections. A withdrawn candidate's sheets
-- stay (history) but count in no standing.
select coalesce(cr.panel_id, 0) as panel_key,
       coalesce(c.category_id, 0) as category_key,
       s.person_id as juror_id,
       s.candidate_id,
       100.0::float8
         * sum(k.weight::float8 * (v.value::float8 - k.scale_min::float8)
               / (k.scale_max::float8 - k.scale_min::float8) order by k.position, k.id)
           filter (where not k.eliminatory and v.value is not null)
         / sum(k.weight::float8 order by k.position, k.id)
           filter (where not k.eliminatory and v.value is not null) as total,
       coalesce(bool_or(k.eliminatory and v.value = 0), false) as eliminated,
       count(v.criterion_id) filter (where k.id is null) as stray
from score_sheets s
join candidate_rounds cr on cr.candidate_id = s.candidate_id and cr.round_id = s.round_id
join candidates c on c.id = s.candidate_id
left join sheet_scores v on v.sheet_id = s.id
left join criteria k on k.id = v.criterion_id and k.category_id = c.category_id
where s.round_id = :round_id
  and s.status = 'submitted'
  and not s.abstained
  and cr.status <> 'withdrawn'
  and (:panel_keys::int[] is null or coalesce(cr.panel_id, 0) = any(:panel_keys::int[]))
  and (:category_keys::int[] is null or coalesce(c.category_id, 0) = any(:category_keys::int[]))
group by s.id, cr.panel_id, c.category_id
order by panel_key, category_key, juror_id, s.candidate_id

-- name: round_criterion_marks
-- The marks behind `round_observations`, criterion by criterion, for the sections whose panel and
-- category are listed (the caller keeps the pairs it wants): each juror's severity on each criterion on the
-- organisers' page. Eliminatory criteria are left out: a pass or fail has no severity.
select coalesce(cr.panel_id, 0) as panel_key,
       coalesce(c.category_id, 0) as category_key,
       k.id as criterion_id,
       k.label,
       s.person_id as juror_id,
       s.candidate_id,
       v.value::float8 as value
from score_sheets s
join candidate_rounds cr on cr.candidate_id = s.candidate_id and cr.round_id = s.round_id
join candidates c on c.id = s.candidate_id
join sheet_scores v on v.sheet_id = s.id
join criteria k on k.id = v.criterion_id and k.category_id = c.category_id
where s.round_id = :round_id
  and s.status = 'submitted'
  and not s.abstained
  and cr.status <> 'withdrawn'
  and not k.eliminatory
  and v.value is not null
  and coalesce(cr.panel_id, 0) = any(:panel_keys::int[])
  and coalesce(c.category_id, 0) = any(:category_keys::int[])
order by panel_key, category_key, k.position, k.id, juror_id, s.candidate_id

-- name: round_panel_keys
-- The panels of a round's candidates (0 for none), so that a publication can read its marks panel by
-- panel and calibrate what is read while the next part is being read.
select distinct coalesce(panel_id, 0) as panel_key
from candidate_rounds
where round_id = :round_id and status <> 'withdrawn'
order by panel_key

-- name: round_sections
-- Every (panel, category) section of a round with its counts, for the index of the standings page.
-- Two hash aggregations rather than count(distinct …): a national contest has 90,000 sheets.
-- `panel_key` and `category_key` (null = all) pick one section.
with entrants as (
    select cr.candidate_id, coalesce(cr.panel_id, 0) as panel_key, coalesce(c.category_id, 0) as category_key
    from candidate_rounds cr
    join candidates c on c.id = cr.candidate_id
    where cr.round_id = :round_id
      and cr.status <> 'withdrawn'
      and (:panel_key::int is null or coalesce(cr.panel_id, 0) = :panel_key::int)
      and (:category_key::int is null or coalesce(c.category_id, 0) = :category_key::int)
), per_juror as (
    select e.panel_key, e.category_key, s.person_id, count(*) as sheets
    from score_sheets s
    join entrants e on e.candidate_id = s.candidate_id
    where s.round_id = :round_id and s.status = 'submitted' and not s.abstained
    group by 1, 2, 3
), marked as (
    select panel_key, category_key, count(*) as jurors, sum(sheets) as sheets
    from per_juror
    group by 1, 2
)
select e.panel_key, e.category_key, count(*) as candidates,
       coalesce(max(m.sheets), 0)::int as sheets, coalesce(max(m.jurors), 0)::int as jurors
from entrants e
left join marked m using (panel_key, category_key)
group by 1, 2
order by 1, 2

-- name: round_labels
-- Names of the round's panels and of its edition's categories.
select 'panel' as kind, p.id, p.name, 0 as position
from panels p
where p.round_id = :round_id
union all
select 'category', cat.id, cat.name, cat.position
from categories cat
join rounds r on r.edition_id = cat.edition_id
where r.id = :round_id

-- name: standing_candidates
-- How candidates are named in a standing: the organisation, else the person.
select c.id, c.entry_number,
       coalesce(nullif(trim(c.organisation_name), ''), c.person_name) as name
from candidates c
where c.id = any(:candidate_ids::int[])

-- name: standing_people
select p.id, p.full_name
from people p
where p.id = any(:person_ids::int[])

-- name: juror_round_panels
-- The panels of a round a person sits on.
select pm.panel_id
from panel_members pm
join panels p on p.id = pm.panel_id
where p.round_id = :round_id and pm.person_id = :person_id
order by pm.panel_id

-- name: set_round_method
update rounds set method = :method where id = :round_id

-- name: get_standing_cache
-- Cached results whose key (input digest + method + parameters) is still current.
select cache_key, result::text as result
from standing_cache
where round_id = :round_id and cache_key = any(:cache_keys::text[])

-- name: put_standing_caches
-- Keeps only the last result per standing: the key changes whenever the marks or the method do. One
-- statement for every standing computed (arrays of the same length, one element per standing): a contest
-- of 1,247 sections is one round trip, not 1,247.
insert into standing_cache (round_id, panel_id, category_id, cache_key, input_digest, result, computed_at)
select :round_id, p.panel_id, p.category_id, p.cache_key, p.input_digest, p.result::json, :now::timestamptz
from unnest(:panel_ids::int[], :category_ids::int[], :cache_keys::text[], :input_digests::text[],
            :results::text[]) as p (panel_id, category_id, cache_key, input_digest, result)
on conflict (round_id, panel_id, category_id) do update
set cache_key = excluded.cache_key, input_digest = excluded.input_digest, result = excluded.result,
    computed_at = :now::timestamptz

-- name: next_standing_version
-- Callers hold the round's row lock, so two publications cannot take the same number.
select coalesce(max(version), 0) + 1 from standings where round_id = :round_id

-- name: insert_standings
-- Every standing of one publication in one statement (arrays of the same length, one element per
-- standing). `audit_count`/`audit_head`: the audit chain's head once the publication's own event is
-- appended.
insert into standings (round_id, version, panel_id, category_id, method, parameters, seed, input_digest,
                       observations, result, published_by, published_at, audit_count, audit_head)
select :round_id, :version, p.panel_id, p.category_id, p.method, p.parameters::jsonb, p.seed, p.input_digest,
       p.observations::json, p.result::json, :published_by, :now::timestamptz, :audit_count, :audit_head
from unnest(:panel_ids::int[], :category_ids::int[], :methods::text[], :parameters::text[], :seeds::bigint[],
            :input_digests::text[], :observations::text[], :results::text[])
     as p (panel_id, category_id, method, parameters, seed, input_digest, observations, result)

-- name: published_standings
-- One publication of a round (the latest when `version` is null), one row per standing.
select s.id, s.version, s.panel_id, s.category_id, s.method, s.seed, s.input_digest,
       s.result::text as result, s.published_by, p.full_name as published_by_name, s.published_at,
       s.audit_count, s.audit_head
from standings s
join people p on p.id = s.published_by
where s.round_id = :round_id
  and s.version = coalesce(:version::int, (select max(version) from standings where round_id = :round_id))
order by s.panel_id nulls first, s.category_id nulls first

-- name: published_versions
select version, min(published_at) as published_at, count(*) as standings,
       min(audit_count) as audit_count, min(audit_head) as audit_head
from standings
where round_id = :round_id
group by version
order by version desc

-- name: published_standing_ids
select id, panel_id, category_id, method, input_digest
from standings
where round_id = :round_id and version = :version
order by panel_id nulls first, category_id nulls first

-- name: qualification_rule
-- The round's qualification rule beyond its number: per what it applies, and how many wildcards follow.
select quota_scope, wildcards from rounds where id = :round_id

-- name: qualification_entrants
-- Every candidate of a round with what the quota groups them by: the zone of their panel, else the zone
-- of their commune (a preselection read by one committee for every zone), their panel and category; the
-- amount they request and the edition's budget, for P(above the funding line).
select cr.candidate_id, cr.panel_id, cr.status, c.category_id,
       coalesce(p.zone_id, cz.id) as zone_id,
       coalesce(pz.label, cz.label) as zone_label,
       c.requested_eur, e.budget_eur
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
join rounds r on r.id = cr.round_id
join editions e on e.id = r.edition_id
left join panels p on p.id = cr.panel_id
left join zones pz on pz.id = p.zone_id
left join communes cm on cm.insee_code = c.insee_code
left join zones cz on cz.edition_id = r.edition_id and cm.ept_code = any(cz.ept_codes)
where cr.round_id = :round_id
order by cr.candidate_id

-- name: qualification_criterion_means
-- Each candidate's mean mark per criterion over the round's submitted sheets: the named-criterion rule
-- of the tie-break policy.
select s.candidate_id, v.criterion_id, avg(v.value::float8) as mean
from score_sheets s
join sheet_scores v on v.sheet_id = s.id
where s.round_id = :round_id and s.status = 'submitted' and not s.abstained
  and s.candidate_id = any(:candidate_ids::int[]) and v.value is not null
group by s.candidate_id, v.criterion_id
order by s.candidate_id, v.criterion_id
