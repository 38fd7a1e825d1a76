-- name: demo_lock
-- Two processes loading the demo at once (replicas started with --demo) take turns: the second then
-- finds every edition present. Held until the transaction ends.
select pg_advisory_xact_lock(hashtext('jury.demo'))

-- name: demo_communes
-- The communes candidates are placed in: the home département's, with their EPT for zone routing.
select insee_code, name, ept_code
from communes
where department_code = '92' and ept_code is not null
order by insee_code

-- name: demo_insert_contest
-- The contest's id and whether this call created it; an existing contest is left untouched.
with inserted as (
    insert into contests (slug, name, organisers, candidate_kind, description)
    values (:slug, :contest_name, :organisers, :candidate_kind, :description)
    on conflict (slug) do nothing
    returning id
)
select id, true as created from inserted
union all
select id, false as created from contests
where slug = :slug and not exists (select 1 from inserted)

-- name: demo_edition_taken
-- An edition counts as present when its slug exists, or when its contest already has an edition of that
-- year or number (made by hand, say): inserting would break a unique constraint, so the demo leaves it.
select exists (
    select 1 from editions
    where slug = :slug or (contest_id = :contest_id and (year = :year or number = :number))
)

-- name: demo_insert_edition
insert into editions (contest_id, slug, number, year, theme, opens_on, closes_on, decision_on, place,
                      budget_eur, max_grant_eur, eligible_legal_forms, accepted_outside_insee,
                      max_company_age_years, status)
values (:contest_id, :slug, :number, :year, :theme, :opens_on, :closes_on, :decision_on, :place,
        :budget_eur, :max_grant_eur, :eligible_legal_forms, :accepted_outside_insee,
        :max_company_age_years, :status)
returning id

-- name: demo_insert_signatory
insert into signatories (edition_id, position, full_name, title, distinction)
values (:edition_id, :position, :full_name, :title, :distinction)

-- name: demo_insert_zone
insert into zones (edition_id, code, label, ept_codes)
values (:edition_id, :code, :label, :ept_codes)
returning id

-- name: demo_insert_category
insert into categories (edition_id, code, name, position)
values (:edition_id, :code, :category_name, :position)
returning id

-- name: demo_insert_criterion
insert into criteria (category_id, code, label, help, scale_min, scale_max, scale_step, weight, position)
values (:category_id, :code, :label, :help, :scale_min, :scale_max, :scale_step, :weight, :position)

-- name: demo_insert_prize
insert into prizes (edition_id, category_id, code, name, kind, place, amount_eur, max_winners, position)
values (:edition_id, :category_id, :code, :prize_name, :kind, :place, :amount_eur, :max_winners, :position)
returning id

-- name: demo_upsert_person
-- The person with this e-mail (whatever its case), created if unknown; an existing person keeps their
-- name, title and password.
with inserted as (
    insert into people (full_name, email, title, created_at)
    values (:full_name, :email, :title, :now::timestamptz)
    on conflict (lower(email)) do nothing
    returning id
)
select id, true as created from inserted
union all
select id, false as created from people
where lower(email) = lower(:email) and not exists (select 1 from inserted)

-- name: demo_insert_organiser
insert into organisers (person_id, contest_id)
values (:person_id, :contest_id)
on conflict (person_id, contest_id) do nothing

-- name: demo_insert_round
insert into rounds (edition_id, kind, name, position, status, advance_count, blind, scheduled_on)
values (:edition_id, :kind, :round_name, :position, :status, :advance_count, :blind, :scheduled_on)
returning id

-- name: demo_insert_panel
insert into panels (round_id, zone_id, name, venue)
values (:round_id, :zone_id, :panel_name, :venue)
returning id

-- name: demo_insert_panel_member
insert into panel_members (panel_id, person_id, role, is_professional)
values (:panel_id, :person_id, :role, :is_professional)

-- name: demo_insert_candidate
insert into candidates (edition_id, kind, organisation_name, person_name, email, phone, insee_code,
                        commune_label, legal_form, founded_on, requested_eur, entry_number, creation_name,
                        category_id, project_title, summary, created_at)
values (:edition_id, :kind, :organisation_name, :person_name, :email, :phone, :insee_code,
        :commune_label, :legal_form, :founded_on, :requested_eur, :entry_number, :creation_name,
        :category_id, :project_title, :summary, :now::timestamptz)
returning id

-- name: demo_insert_candidate_round
insert into candidate_rounds (candidate_id, round_id, panel_id, status, reason, updated_at)
values (:candidate_id, :round_id, :panel_id, :status, :reason, :updated_at)

-- name: demo_insert_assignment
insert into assignments (panel_id, person_id, candidate_id, created_at)
values (:panel_id, :person_id, :candidate_id, :now::timestamptz)

-- name: demo_insert_conflict
insert into conflict_declarations (round_id, person_id, candidate_id, has_conflict, reason, declared_at)
values (:round_id, :person_id, :candidate_id, :has_conflict, :reason, :declared_at)

-- name: demo_insert_sheet
insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, comment, idempotency_key,
                          created_at, updated_at, submitted_at)
values (:round_id, :panel_id, :person_id, :candidate_id, :status, :comment, :idempotency_key,
        :created_at, :updated_at, :submitted_at)

-- name: demo_insert_sheet_score
-- Finds the sheet by its natural key and copies the scale from the criterion, so the loader never
-- fetches sheet ids and a value can only be checked against the criterion's own range.
insert into sheet_scores (sheet_id, criterion_id, scale_min, scale_max, value)
select s.id, k.id, k.scale_min, k.scale_max, :value::numeric
from score_sheets s
join criteria k on k.category_id = :category_id and k.code = :criterion_code
where s.round_id = :round_id and s.person_id = :person_id and s.candidate_id = :candidate_id

-- name: demo_insert_decision
insert into decisions (edition_id, round_id, candidate_id, kind, reason, based_on, decided_by, decided_at)
values (:edition_id, :round_id, :candidate_id, :kind, :reason, :based_on, :decided_by, :decided_at)
returning id

-- name: demo_insert_award
insert into awards (prize_id, candidate_id, decision_id, granted_eur, decided_on)
values (:prize_id, :candidate_id, :decision_id, :granted_eur, :decided_on)

-- name: demo_set_password_if_missing
-- Demo organisers get the documented demo password, once; a password set since is left alone.
update people set password_hash = :password_hash
where lower(email) = lower(:email) and password_hash is null
