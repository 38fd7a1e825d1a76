-- Public applications (issue 17): an applicant applies online while an edition takes applications, with
-- documents, and keeps a private link (only its SHA-256 is stored) to see and complete the application
-- until the closing date. An organiser accepts it (it becomes a candidate of the edition, in its first
-- round) or refuses it with a written reason.

create table applications (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    token_hash text not null unique,
    status text not null default 'submitted' check (status in ('submitted', 'accepted', 'refused')),
    -- The form's fields in the import's column names (nom_structure, courriel, code_insee...), as typed.
    fields jsonb not null,
    email text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    display_name text not null check (length(trim(display_name)) > 0),
    submitted_at timestamptz not null,
    updated_at timestamptz not null,
    decided_at timestamptz,
    decided_by integer references people (id) on delete set null,
    refusal_reason text not null default '',
    candidate_id integer references candidates (id) on delete set null,
    check (status <> 'refused' or length(trim(refusal_reason)) > 0),
    check (status = 'submitted' or decided_at is not null)
);
create index applications_edition on applications (edition_id, status, submitted_at);

-- Files sent with an application: PDF, JPEG or PNG (recognised from their first bytes), stored under the
-- data directory by their SHA-256; the row keeps the name the applicant gave.
create table application_documents (
    id integer generated always as identity primary key,
    application_id integer not null references applications (id) on delete cascade,
    file_name text not null,
    media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes integer not null check (size_bytes > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    uploaded_at timestamptz not null
);
create index application_documents_application on application_documents (application_id, id);
