-- Setting up contests and editions: creation, organisers, copying an edition's setup, settings, lifecycle.

-- name: setup_insert_contest
-- A new contest; null when the slug is taken (the caller answers 409).
insert into contests (slug, name, organisers, candidate_kind, description)
values (:slug, :contest_name, :organisers, :candidate_kind, :description)
on conflict (slug) do nothing
returning id, slug, name, organisers, candidate_kind, description

-- name: setup_contest
select id, slug, name from contests where slug = :slug

-- name: setup_contest_of_person
-- The contest, and whether the person organises it (or administers every contest).
select c.id, c.slug, c.name,
       exists (select 1 from people p where p.id = :person_id and p.is_admin)
       or exists (select 1 from organisers o where o.contest_id = c.id and o.person_id = :person_id)
           as organised
from contests c
where c.slug = :slug

-- name: setup_is_admin
select coalesce((select is_admin from people where id = :person_id), false)

-- name: setup_find_person
select id, full_name, email from people where lower(email) = lower(:email)

-- name: setup_insert_person
-- A new organiser account; null when the e-mail is already taken (a concurrent creation).
insert into people (full_name, email, password_hash, created_at)
values (:full_name, :email, :password_hash, :now::timestamptz)
on conflict (lower(email)) do nothing
returning id, full_name, email

-- name: setup_link_organiser
-- True when the link is new, false when the person already organised the contest.
with inserted as (
    insert into organisers (person_id, contest_id) values (:person_id, :contest_id)
    on conflict do nothing
    returning 1
)
select exists (select 1 from inserted)

-- name: demo_ensure_administrator
-- The demo's Département administrator: created once with the demo password; an existing account only
-- becomes an administrator (its password, if set since, is kept).
insert into people (full_name, email, title, password_hash, is_admin, created_at)
values (:full_name, :email, :title, :password_hash, true, :now::timestamptz)
on conflict (lower(email)) do update
    set is_admin = true, password_hash = coalesce(people.password_hash, excluded.password_hash)

-- name: setup_edition_settings
select e.id, e.slug, c.slug as contest_slug, c.name as contest_name, c.candidate_kind, e.number, e.year,
       e.status, e.theme, e.opens_on, e.closes_on, e.decision_on, e.place, e.budget_eur, e.max_grant_eur,
       e.eligible_legal_forms, e.accepted_outside_insee, e.max_company_age_years, e.allow_multiple_prizes,
       e.tie_break_policy, e.retention_months, e.contest_id
from editions e
join contests c on c.id = e.contest_id
where e.slug = :slug

-- name: setup_lock_edition
-- Serialises two changes of the same edition (settings, status): the row read holds until commit.
select id from editions where slug = :slug for update

-- name: setup_contest_editions
-- The contest's editions, most recent first: the « copier depuis » choices and the default number.
select slug, number, year, status from editions where contest_id = :contest_id order by year desc

-- name: setup_edition_taken
-- Why a new edition would clash: its slug, its year or its number already used in the contest.
select exists (select 1 from editions where slug = :slug) as slug_taken,
       exists (select 1 from editions where contest_id = :contest_id and year = :year) as year_taken,
       exists (select 1 from editions where contest_id = :contest_id and number = :number) as number_taken

-- name: setup_number_taken
select exists (
    select 1 from editions where contest_id = :contest_id and number = :number and id <> :edition_id
)

-- name: setup_insert_edition
insert into editions (contest_id, slug, number, year, theme, opens_on, closes_on, decision_on, place,
                      budget_eur, max_grant_eur, eligible_legal_forms, accepted_outside_insee,
                      max_company_age_years, allow_multiple_prizes, tie_break_policy, retention_months,
                      status)
values (:contest_id, :slug, :number, :year, :theme, :opens_on, :closes_on, :decision_on, :place,
        :budget_eur, :max_grant_eur, :eligible_legal_forms, :accepted_outside_insee,
        :max_company_age_years, :allow_multiple_prizes, :tie_break_policy, :retention_months, 'preparing')
returning id

-- name: setup_update_edition
update editions
set number = :number, theme = :theme, opens_on = :opens_on, closes_on = :closes_on,
    decision_on = :decision_on, place = :place, budget_eur = :budget_eur, max_grant_eur = :max_grant_eur,
    eligible_legal_forms = :eligible_legal_forms, accepted_outside_insee = :accepted_outside_insee,
    max_company_age_years = :max_company_age_years, allow_multiple_prizes = :allow_multiple_prizes,
    tie_break_policy = :tie_break_policy, retention_months = :retention_months
where id = :edition_id

-- name: setup_known_communes
-- Which of these INSEE codes are known communes, with their département.
select insee_code, name, department_code from communes where insee_code = any(:codes::text[])

-- name: setup_edition_criteria
-- Which of these criterion ids belong to the edition (a tie-break rule may only name its own criteria).
select cr.id from criteria cr join categories c on c.id = cr.category_id
where c.edition_id = :edition_id and cr.id = any(:ids::int[])

-- name: setup_copy_signatories
with copied as (
    insert into signatories (edition_id, position, full_name, title, distinction)
    select :edition_id, position, full_name, title, distinction from signatories where edition_id = :source_id
    returning 1
)
select count(*) from copied

-- name: setup_delete_signatories
-- How many signatories the edition had: its list is about to be replaced.
with removed as (delete from signatories where edition_id = :edition_id returning 1)
select count(*) from removed

-- name: setup_insert_signatories
-- The edition's new signatories, numbered 1, 2… in the order given; an empty distinction is « none ».
insert into signatories (edition_id, position, full_name, title, distinction)
select :edition_id, s.position::int, s.full_name, s.title, s.distinction
from unnest(:names::text[], :titles::text[], :distinctions::text[])
    with ordinality as s(full_name, title, distinction, position)
returning position, full_name as name, title, nullif(distinction, '') as distinction

-- name: setup_copy_zones
with copied as (
    insert into zones (edition_id, code, label, ept_codes)
    select :edition_id, code, label, ept_codes from zones where edition_id = :source_id
    returning 1
)
select count(*) from copied

-- name: setup_copy_categories
with copied as (
    insert into categories (edition_id, code, name, position, weights_total)
    select :edition_id, code, name, position, weights_total from categories where edition_id = :source_id
    returning 1
)
select count(*) from copied

-- name: setup_copy_criteria
-- Each category's grid onto the category of the same code in the new edition; returns old → new ids.
with pairs as (
    select cr.id as old_id, nc.id as new_category, cr.code, cr.label, cr.help, cr.scale_min, cr.scale_max,
           cr.scale_step, cr.weight, cr.comment_required, cr.eliminatory, cr.position
    from criteria cr
    join categories oc on oc.id = cr.category_id and oc.edition_id = :source_id
    join categories nc on nc.edition_id = :edition_id and nc.code = oc.code
), copied as (
    insert into criteria (category_id, code, label, help, scale_min, scale_max, scale_step, weight,
                          comment_required, eliminatory, position)
    select new_category, code, label, help, scale_min, scale_max, scale_step, weight, comment_required,
           eliminatory, position
    from pairs
    returning id, category_id, code
)
select p.old_id, c.id as new_id
from copied c join pairs p on p.new_category = c.category_id and p.code = c.code

-- name: setup_copy_prizes
with copied as (
    insert into prizes (edition_id, category_id, code, name, kind, place, amount_eur, max_winners, position,
                        ex_aequo_allowed)
    select :edition_id, nc.id, p.code, p.name, p.kind, p.place, p.amount_eur, p.max_winners, p.position,
           p.ex_aequo_allowed
    from prizes p
    left join categories oc on oc.id = p.category_id
    left join categories nc on nc.edition_id = :edition_id and nc.code = oc.code
    where p.edition_id = :source_id
    returning 1
)
select count(*) from copied

-- name: setup_copy_rounds
-- Rounds in draft, each scheduled the same day `years` later; never their candidates or sheets.
with copied as (
    insert into rounds (edition_id, kind, name, position, status, advance_count, blind, method, scheduled_on,
                        quota_scope, wildcards)
    select :edition_id, kind, name, position, 'draft', advance_count, blind, method,
           case when scheduled_on is null then null
                else (scheduled_on + make_interval(years => :years::int))::date end,
           quota_scope, wildcards
    from rounds where edition_id = :source_id
    returning 1
)
select count(*) from copied

-- name: setup_copy_panels
-- Panels (name, zone, venue) onto the round of the same position; never their members.
with copied as (
    insert into panels (round_id, zone_id, name, venue)
    select nr.id, nz.id, p.name, p.venue
    from panels p
    join rounds r on r.id = p.round_id and r.edition_id = :source_id
    join rounds nr on nr.edition_id = :edition_id and nr.position = r.position
    left join zones z on z.id = p.zone_id
    left join zones nz on nz.edition_id = :edition_id and nz.code = z.code
    returning 1
)
select count(*) from copied

-- name: setup_copy_panel_categories
-- Which categories each copied panel judges, matched by round position, panel name and category code.
with copied as (
    insert into panel_categories (panel_id, category_id)
    select np.id, nc.id
    from panel_categories pc
    join panels p on p.id = pc.panel_id
    join rounds r on r.id = p.round_id and r.edition_id = :source_id
    join categories c on c.id = pc.category_id
    join rounds nr on nr.edition_id = :edition_id and nr.position = r.position
    join panels np on np.round_id = nr.id and np.name = p.name
    join categories nc on nc.edition_id = :edition_id and nc.code = c.code
    returning 1
)
select count(*) from copied

-- name: setup_copy_edition_rules
-- The eligibility rules kept as columns outside the settings form (territory, required import fields).
update editions n
set territory_department = s.territory_department, required_fields = s.required_fields
from editions s
where s.id = :source_id and n.id = :edition_id

-- name: setup_set_tie_break_policy
update editions set tie_break_policy = :tie_break_policy where id = :edition_id

-- name: setup_edition_snapshot
-- What the lifecycle checks look at, in one read.
select e.status, e.opens_on, e.closes_on, e.decision_on,
       (select count(*) from rounds r where r.edition_id = e.id)::int as rounds,
       (select count(*) from categories c where c.edition_id = e.id
            and exists (select 1 from criteria cr where cr.category_id = c.id))::int as categories_with_criteria,
       array(select c.name from categories c where c.edition_id = e.id
                 and not exists (select 1 from criteria cr where cr.category_id = c.id)
             order by c.position, c.id) as categories_without_criteria,
       (select count(*) from candidates c where c.edition_id = e.id)::int as candidates,
       array(select r.name from rounds r where r.edition_id = e.id and r.status <> 'closed'
             order by r.position) as rounds_not_closed
from editions e
where e.id = :edition_id

-- name: setup_set_edition_status
update editions set status = :status, decision_on = :decision_on where id = :edition_id
