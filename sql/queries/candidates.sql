-- name: edition_eligibility_rules
-- The eligibility rules of an edition, as data (jury.contests.eligibility.EditionRules).
select e.closes_on, e.max_company_age_years, e.accepted_outside_insee, e.required_fields,
       e.eligible_legal_forms, e.max_grant_eur
from editions e
where e.id = :edition_id

-- name: edition_first_round
-- Where candidates enter an edition: its first round by position.
select r.id, r.name, r.kind, r.status, r.position
from rounds r
where r.edition_id = :edition_id
order by r.position
limit 1

-- name: enter_candidates_in_round
-- Candidates entering a round, each with its intake status and reasons, in one statement.
insert into candidate_rounds (candidate_id, round_id, status, reason, updated_at)
select e.candidate_id, :round_id::int, e.status, e.reason, :now::timestamptz
from unnest(:candidate_ids::int[], :statuses::text[], :reasons::text[]) as e(candidate_id, status, reason)
on conflict (candidate_id, round_id) do nothing

-- name: insert_candidate
insert into candidates (edition_id, kind, organisation_name, person_name, email, insee_code, legal_form,
                        founded_on, requested_eur, entry_number, creation_name, category_id, project_title, created_at)
values (:edition_id, :kind, :organisation_name, :person_name, :email, nullif(:insee_code::text, ''),
        :legal_form, :founded_on, :requested_eur, :entry_number, :creation_name, :category_id, :project_title, :now::timestamptz)
returning id

-- name: update_candidate
update candidates
set organisation_name = :organisation_name, person_name = :person_name, email = :email,
    insee_code = nullif(:insee_code::text, ''), legal_form = :legal_form, founded_on = :founded_on,
    requested_eur = :requested_eur, entry_number = coalesce(:entry_number::int, entry_number), creation_name = :creation_name,
    category_id = :category_id, project_title = :project_title
where id = :candidate_id

-- name: candidate_for_update
-- A candidate with its edition, locked for the change about to be made.
select c.id, c.edition_id, e.slug as edition_slug, c.kind, c.organisation_name, c.person_name, c.email,
       coalesce(c.insee_code, '') as insee_code, c.legal_form, c.founded_on, c.requested_eur, c.entry_number,
       c.creation_name, coalesce(cat.code, '') as category_code, c.project_title, c.withdrawn_at
from candidates c
join editions e on e.id = c.edition_id
left join categories cat on cat.id = c.category_id
where c.id = :candidate_id
for update of c

-- name: candidate_detail
-- A candidate as organisers see it, with its first round's entry, override and withdrawal.
select c.id, e.slug as edition_slug, c.kind, c.entry_number, c.organisation_name, c.person_name, c.email,
       coalesce(c.insee_code, '') as insee_code, coalesce(m.name, c.commune_label) as commune, c.legal_form,
       c.founded_on, c.requested_eur, c.creation_name, cat.code as category_code, cat.name as category,
       c.project_title, c.withdrawn_at, c.withdrawal_reason, c.eligibility_override,
       c.eligibility_overridden_at, c.eligibility_overridden_by,
       r.id as round_id, r.name as round_name, r.kind as round_kind, r.position as round_position, r.status as round_status,
       cr.status as entry_status, cr.reason as entry_reason
from candidates c
join editions e on e.id = c.edition_id
left join communes m on m.insee_code = c.insee_code
left join categories cat on cat.id = c.category_id
left join lateral (select r.* from rounds r where r.edition_id = c.edition_id order by r.position limit 1) r
       on true
left join candidate_rounds cr on cr.candidate_id = c.id and cr.round_id = r.id
where c.id = :candidate_id

-- name: set_intake_status
-- The intake verdict on the first round entry, unless the round already moved the candidate on.
update candidate_rounds
set status = :status, reason = :reason, updated_at = :now::timestamptz
where candidate_id = :candidate_id and round_id = :round_id
  and status in ('pending', 'eligible', 'ineligible')

-- name: record_eligibility_override
update candidates
set eligibility_override = :reason, eligibility_overridden_by = :person_id,
    eligibility_overridden_at = :now::timestamptz
where id = :candidate_id

-- name: record_withdrawal
update candidates set withdrawn_at = :now::timestamptz, withdrawal_reason = :reason where id = :candidate_id

-- name: withdraw_from_open_rounds
-- Withdrawn in every round not yet closed; closed rounds keep what was decided there.
update candidate_rounds cr
set status = 'withdrawn', reason = :reason, updated_at = :now::timestamptz
from rounds r
where r.id = cr.round_id and cr.candidate_id = :candidate_id and r.status <> 'closed'
returning cr.round_id

-- name: remove_open_assignments
-- Jurors are no longer asked to score a withdrawn candidate in rounds not yet closed.
delete from assignments a
using panels p, rounds r
where p.id = a.panel_id and r.id = p.round_id and a.candidate_id = :candidate_id and r.status <> 'closed'
returning a.panel_id, a.person_id

-- name: candidate_taken_numbers
-- Entry numbers of the edition's other candidates.
select entry_number from candidates where edition_id = :edition_id and id <> :candidate_id
