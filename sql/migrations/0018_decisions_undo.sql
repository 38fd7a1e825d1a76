-- Decisions with a way back (issue 15). A decision is never deleted: undoing it records who, when and
-- why, so the procès-verbal tells the whole story. An undone prize or grant keeps its award row (its
-- diploma, if one was issued, is revoked and its public verification says so) but no longer counts, so
-- the same prize can be given again. `departure` states how a decision goes against the ranking or the
-- ballot it was based on; such a decision carries a written reason.

alter table decisions
    add column undone_at timestamptz,
    add column undone_by integer references people (id),
    add column undo_reason text not null default '',
    add column departure text not null default '',
    add constraint decisions_undo_has_reason check (undone_at is null or length(trim(undo_reason)) > 0);

alter table awards add column undone_at timestamptz;
alter table awards drop constraint awards_prize_id_candidate_id_key;
create unique index awards_held on awards (prize_id, candidate_id) where undone_at is null;

create index decisions_round_standing on decisions (round_id) where undone_at is null;

create or replace view diploma_sources as
select a.id as award_id, a.granted_eur, a.decided_on, pr.name as prize, pr.kind as prize_kind, pr.place,
       coalesce(cat.name, '') as category, c.id as candidate_id, c.person_name, c.organisation_name,
       c.creation_name, c.project_title, c.email, coalesce(m.name, c.commune_label, '') as commune,
       e.id as edition_id, e.slug as edition_slug, e.number as edition_number, e.year, e.place as signed_at,
       e.status as edition_status, ct.id as contest_id, ct.slug as contest, ct.name as contest_name,
       d.id as diploma_id, d.verification_code, d.content_digest, d.pdf_path, d.issued_at, d.rendered_at,
       d.revoked_at, d.revoked_reason, a.undone_at as award_undone_at
from awards a
join prizes pr on pr.id = a.prize_id
join editions e on e.id = pr.edition_id
join contests ct on ct.id = e.contest_id
join candidates c on c.id = a.candidate_id
left join categories cat on cat.id = coalesce(pr.category_id, c.category_id)
left join communes m on m.insee_code = c.insee_code
left join diplomas d on d.award_id = a.id;
