-- name: list_contests
-- Every contest, in a stable order for listings.
select id, slug, name, organisers, candidate_kind, description
from contests
order by id

-- name: list_editions
-- Editions of every contest, most recent first; the caller groups them by contest.
select e.id, e.contest_id, e.slug, e.number, e.year, e.theme, e.status, e.opens_on, e.closes_on,
       e.decision_on, e.budget_eur, e.max_grant_eur, e.eligible_legal_forms, e.accepted_outside_insee,
       e.allow_multiple_prizes
from editions e
order by e.contest_id, e.year desc

-- name: get_edition
select e.id, e.contest_id, e.slug, e.number, e.year, e.theme, e.status, e.opens_on, e.closes_on,
       e.decision_on, e.budget_eur, e.max_grant_eur, e.eligible_legal_forms, e.accepted_outside_insee,
       e.allow_multiple_prizes, c.slug as contest_slug, c.name as contest_name, c.candidate_kind
from editions e
join contests c on c.id = e.contest_id
where e.slug = :slug

-- name: list_rounds
select r.id, r.kind, r.name, r.position, r.status, r.advance_count, r.quota_scope, r.wildcards, r.blind,
       r.method, r.scheduled_on,
       (select count(*) from candidate_rounds cr where cr.round_id = r.id) as candidate_count,
       (select count(*) from panels p where p.round_id = r.id) as panel_count
from rounds r
where r.edition_id = :edition_id
order by r.position

-- name: list_categories
select id, code, name, position
from categories
where edition_id = :edition_id
order by position, id

-- name: count_candidates
-- How many candidates an edition has, for the pager.
select count(*) from candidates where edition_id = :edition_id

-- name: count_found_candidates
-- How many candidates of an edition match the search :search (its LIKE wildcards escaped by the caller),
-- accents and case set aside, in the names, the e-mail or the commune. A query apart from the plain
-- count: a prepared statement's generic plan cannot drop an « :search is null or … » branch.
select count(*)
from candidates c
where c.edition_id = :edition_id
  and (c.search_key like '%' || french_sort_key(:search) || '%'
       or c.insee_code in (select s.insee_code from communes s
                           where french_sort_key(s.name) like '%' || french_sort_key(:search) || '%'))

-- name: list_candidates
-- One page of the candidates of an edition with their commune and category, for organisers (never for
-- blind juror views), in the order of the index candidates_edition_listing.
select c.id, c.kind, c.organisation_name, c.person_name, c.email, c.insee_code,
       coalesce(m.name, c.commune_label) as commune, m.ept_code, c.legal_form, c.founded_on,
       c.requested_eur, c.entry_number, c.creation_name, c.project_title, cat.name as category
from candidates c
left join communes m on m.insee_code = c.insee_code
left join categories cat on cat.id = c.category_id
where c.edition_id = :edition_id
order by c.entry_number nulls last, c.organisation_name, c.person_name, c.id
limit :limit offset :offset

-- name: find_candidates
-- One page of the candidates matching the search (as count_found_candidates), in the list's order.
select c.id, c.kind, c.organisation_name, c.person_name, c.email, c.insee_code,
       coalesce(m.name, c.commune_label) as commune, m.ept_code, c.legal_form, c.founded_on,
       c.requested_eur, c.entry_number, c.creation_name, c.project_title, cat.name as category
from candidates c
left join communes m on m.insee_code = c.insee_code
left join categories cat on cat.id = c.category_id
where c.edition_id = :edition_id
  and (c.search_key like '%' || french_sort_key(:search) || '%'
       or c.insee_code in (select s.insee_code from communes s
                           where french_sort_key(s.name) like '%' || french_sort_key(:search) || '%'))
order by c.entry_number nulls last, c.organisation_name, c.person_name, c.id
limit :limit offset :offset

-- name: count_jurors
-- How many jurors the edition has, for the pager.
select count(*) from edition_jurors where edition_id = :edition_id

-- name: list_jurors
-- One page of the jurors of the edition (edition_jurors) in French alphabetical order (people.sort_key,
-- folded as jury.french.collation does), with the panels of the edition each sits on and their role there: none
-- yet for a juror imported without a panel. The page is cut before the panels are gathered.
with page as (
    select p.id, p.full_name, p.email, p.title, p.sort_key
    from edition_jurors ej
    join people p on p.id = ej.person_id
    where ej.edition_id = :edition_id
    order by p.sort_key, p.full_name, p.id
    limit :limit offset :offset
)
select p.id, p.full_name, p.email, p.title,
       coalesce(array_agg(pa.name || case when pm.role = 'chair' then ' (présidence)' else '' end
                          order by r.position, pa.name) filter (where pa.id is not null), '{}') as panels
from page p
left join (panel_members pm
           join panels pa on pa.id = pm.panel_id
           join rounds r on r.id = pa.round_id and r.edition_id = :edition_id)
       on pm.person_id = p.id
group by p.id, p.full_name, p.email, p.title, p.sort_key
order by p.sort_key, p.full_name, p.id
