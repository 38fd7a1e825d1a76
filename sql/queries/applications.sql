-- name: application_insert
-- A new application, sent now; only the SHA-256 of its private link's token is kept.
insert into applications (edition_id, token_hash, fields, email, display_name, submitted_at, updated_at)
values (:edition_id, :token_hash, :fields, :email, :display_name, :now, :now)
returning id

-- name: application_update
-- The applicant's corrections, through their private link.
update applications
set fields = :fields, email = :email, display_name = :display_name, updated_at = :now
where id = :application_id

-- name: application_document_insert
insert into application_documents (application_id, file_name, media_type, size_bytes, sha256, uploaded_at)
values (:application_id, :file_name, :media_type, :size_bytes, :sha256, :now)

-- name: application_documents_of
select id, file_name, media_type, size_bytes, uploaded_at
from application_documents
where application_id = :application_id
order by id

-- name: application_document
select file_name, media_type, sha256
from application_documents
where application_id = :application_id and id = :document_id

-- name: application_by_token
select a.*, e.slug as edition_slug
from applications a join editions e on e.id = a.edition_id
where a.token_hash = :token_hash

-- name: application_by_id
select a.*, e.slug as edition_slug
from applications a join editions e on e.id = a.edition_id
where a.id = :application_id

-- name: application_for_update
-- The application, locked: two organisers deciding at once decide once.
select a.*, e.slug as edition_slug
from applications a join editions e on e.id = a.edition_id
where a.id = :application_id
for update of a

-- name: applications_of_edition
-- Those to examine first, then the newest.
select a.*, e.slug as edition_slug
from applications a join editions e on e.id = a.edition_id
where a.edition_id = :edition_id
order by a.status <> 'submitted', a.submitted_at desc, a.id desc

-- name: application_accept
update applications
set status = 'accepted', decided_at = :now, decided_by = :person_id, candidate_id = :candidate_id
where id = :application_id

-- name: application_refuse
update applications
set status = 'refused', decided_at = :now, decided_by = :person_id, refusal_reason = :reason
where id = :application_id

-- name: applications_recent_from
-- Applications sent from one e-mail address in the last hour, whatever the edition (the per-address limit).
select count(*) from applications
where lower(email) = lower(:email) and submitted_at > :now::timestamptz - interval '1 hour'
