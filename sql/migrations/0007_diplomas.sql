-- Diplomas issued from decided awards, the winners' private links and the generation jobs.
-- A diploma is issued once per award; its PDF is a cache in storage, valid while `content_digest`
-- (SHA-256 of the diploma's context and of the template files) matches what is rendered now.

alter table signatories add column distinction text not null default '';

create table diplomas (
    id integer generated always as identity primary key,
    award_id integer not null unique references awards (id) on delete cascade,
    verification_code text not null unique check (verification_code ~ '^[0-9A-Z][0-9A-Z-]{3,40}$'),
    content_digest text check (content_digest ~ '^[0-9a-f]{64}$'),
    pdf_path text,
    issued_at timestamptz not null default now(),
    rendered_at timestamptz,
    revoked_at timestamptz,
    revoked_reason text not null default '',
    check (revoked_at is null or length(trim(revoked_reason)) > 0)
);

-- Only the SHA-256 of a link's token is stored: a copy of the database gives no working link.
create table diploma_links (
    id integer generated always as identity primary key,
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    diploma_id integer not null references diplomas (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    emailed_at timestamptz
);
create index diploma_links_diploma on diploma_links (diploma_id);

-- Progress of a generation, in the database so that every replica can report it.
create table diploma_jobs (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    total integer not null default 0 check (total >= 0),
    done integer not null default 0 check (done >= 0),
    status text not null default 'running' check (status in ('running', 'finished', 'failed')),
    error text not null default '',
    created_at timestamptz not null default now(),
    finished_at timestamptz
);
create index diploma_jobs_edition on diploma_jobs (edition_id, id);

-- Everything a diploma prints, one row per award, so that the queries of `sql/queries/diplomas.sql` only
-- choose rows. Made in 92 and Progr'ESS name a category or a project; the Gâteau a place and a creation.
create view diploma_sources as
select a.id as award_id, a.granted_eur, a.decided_on, pr.name as prize, pr.kind as prize_kind, pr.place,
       coalesce(cat.name, '') as category, c.id as candidate_id, c.person_name, c.organisation_name,
       c.creation_name, c.project_title, c.email, coalesce(m.name, c.commune_label, '') as commune,
       e.id as edition_id, e.slug as edition_slug, e.number as edition_number, e.year, e.place as signed_at,
       e.status as edition_status, ct.id as contest_id, ct.slug as contest, ct.name as contest_name,
       d.id as diploma_id, d.verification_code, d.content_digest, d.pdf_path, d.issued_at, d.rendered_at,
       d.revoked_at, d.revoked_reason
from awards a
join prizes pr on pr.id = a.prize_id
join editions e on e.id = pr.edition_id
join contests ct on ct.id = e.contest_id
join candidates c on c.id = a.candidate_id
left join categories cat on cat.id = coalesce(pr.category_id, c.category_id)
left join communes m on m.insee_code = c.insee_code
left join diplomas d on d.award_id = a.id;
