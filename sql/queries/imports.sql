-- name: lock_edition_imports
-- Serialise imports into one edition until the end of the transaction, so two uploads never both pass
-- the entry-number and chair checks and then collide.
select pg_advisory_xact_lock(hashtext('jury:import'), :edition_id::int)

-- name: import_communes
-- Every commune a candidate may name, with its postal codes to explain a postal code given by mistake.
select insee_code, name, postal_codes
from communes
order by insee_code

-- name: import_categories
select id, code, name
from categories
where edition_id = :edition_id
order by position, id

-- name: import_taken_entry_numbers
select entry_number
from candidates
where edition_id = :edition_id and entry_number is not null

-- name: import_panels
-- Panels of every round of the edition; a panel name is unique within its round only.
select p.id, p.name, r.name as round_name
from panels p
join rounds r on r.id = p.round_id
where r.edition_id = :edition_id
order by r.position, p.name

-- name: import_panel_chairs
select pm.panel_id, lower(pe.email) as email, pe.full_name
from panel_members pm
join people pe on pe.id = pm.person_id
join panels p on p.id = pm.panel_id
join rounds r on r.id = p.round_id
where r.edition_id = :edition_id and pm.role = 'chair'

-- name: insert_imported_candidates
-- All rows of one file in one statement, in file order.
insert into candidates (edition_id, kind, organisation_name, person_name, email, insee_code, legal_form,
                        founded_on, requested_eur, entry_number, creation_name, category_id, project_title,
                        created_at)
select :edition_id::int, :kind::text, r.organisation_name, r.person_name, r.email, r.insee_code, r.legal_form,
       r.founded_on, r.requested_eur, r.entry_number, r.creation_name, r.category_id, r.project_title, :now::timestamptz
from unnest(:organisation_names::text[], :person_names::text[], :emails::text[], :insee_codes::text[],
            :legal_forms::text[], :founded_ons::date[], :requested_eurs::int[], :entry_numbers::int[],
            :creation_names::text[], :category_ids::int[], :project_titles::text[])
     with ordinality as r(organisation_name, person_name, email, insee_code, legal_form, founded_on,
                          requested_eur, entry_number, creation_name, category_id, project_title, position)
order by r.position
returning id

-- name: import_known_emails
-- Which of these e-mails (lower-cased) already belong to someone.
select lower(email) as email
from people
where lower(email) = any(:emails::text[])

-- name: upsert_imported_person
-- One person per e-mail whatever its case (people_email_key); a blank title keeps the stored one.
insert into people (full_name, email, title, created_at)
values (:full_name, :email, :title, :now::timestamptz)
on conflict ((lower(email))) do update
    set full_name = excluded.full_name,
        title = case when excluded.title = '' then people.title else excluded.title end
returning id, (xmax = 0) as created

-- name: upsert_imported_membership
-- A role or professional flag left blank in the file keeps what is stored (juror, not professional if new).
insert into panel_members (panel_id, person_id, role, is_professional)
values (:panel_id, :person_id, coalesce(:role::text, 'juror'), coalesce(:is_professional::boolean, false))
on conflict (panel_id, person_id) do update
    set role = coalesce(:role::text, panel_members.role),
        is_professional = coalesce(:is_professional::boolean, panel_members.is_professional)

-- name: record_edition_jurors
-- Every juror of an imported file becomes a juror of the edition, with a panel or without one yet.
insert into edition_jurors (edition_id, person_id)
select :edition_id::int, unnest(:person_ids::int[])
on conflict do nothing

-- name: import_existing_candidates
-- The edition's candidates, as the rows of an import are matched against them (e-mail, or name and commune).
select id, entry_number, coalesce(organisation_name, '') as organisation_name,
       coalesce(person_name, '') as person_name,
       coalesce(email, '') as email, coalesce(insee_code, '') as insee_code,
       withdrawn_at is not null as withdrawn, eligibility_override is not null as overridden
from candidates
where edition_id = :edition_id
order by id

-- name: import_update_candidates
-- Rows naming candidates already in the edition, when the organiser asked to update them: the file's values,
-- each candidate keeping its entry number; a withdrawn candidate is left as it is.
update candidates c
set organisation_name = u.organisation_name, person_name = u.person_name, email = u.email,
    insee_code = nullif(u.insee_code, ''), legal_form = u.legal_form, founded_on = u.founded_on,
    requested_eur = u.requested_eur, creation_name = u.creation_name, category_id = u.category_id,
    project_title = u.project_title
from unnest(:ids::int[], :organisation_names::text[], :person_names::text[], :emails::text[],
            :insee_codes::text[], :legal_forms::text[], :founded_ons::date[], :requested_eurs::int[],
            :creation_names::text[], :category_ids::int[], :project_titles::text[])
     as u(id, organisation_name, person_name, email, insee_code, legal_form, founded_on, requested_eur,
          creation_name, category_id, project_title)
where c.id = u.id and c.edition_id = :edition_id and c.withdrawn_at is null
returning c.id
