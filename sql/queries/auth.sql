-- name: find_person_by_email
select id, full_name, password_hash, is_admin from people where lower(email) = lower(:email)

-- name: organiser_contest_ids
select contest_id from organisers where person_id = :person_id

-- name: upsert_organiser
insert into people (full_name, email, password_hash, is_admin, created_at)
values (:full_name, :email, :password_hash, :is_admin, :now::timestamptz)
on conflict (lower(email)) do update
    set full_name = excluded.full_name, password_hash = excluded.password_hash, is_admin = excluded.is_admin
returning id

-- name: add_organiser_contest
insert into organisers (person_id, contest_id)
select :person_id, id from contests where slug = :contest_slug
on conflict (person_id, contest_id) do update set contest_id = excluded.contest_id
returning contest_id

-- name: edition_jurors_with_codes
-- Jurors of an edition (edition_jurors, seated on a panel or not yet) and whether each has an active
-- access code.
select p.id as person_id, p.full_name, p.title,
       exists (select 1 from access_codes a
               where a.person_id = p.id and a.edition_id = :edition_id and a.revoked_at is null) as has_code,
       (select max(a.last_used_at) from access_codes a
        where a.person_id = p.id and a.edition_id = :edition_id) as last_used_at
from people p
where p.id in (select ej.person_id from edition_jurors ej where ej.edition_id = :edition_id)
order by p.full_name

-- name: revoke_access_code
update access_codes set revoked_at = :now::timestamptz
where edition_id = :edition_id and person_id = :person_id and revoked_at is null
returning id

-- name: insert_access_code
insert into access_codes (edition_id, person_id, code_hash, created_at) values (:edition_id, :person_id, :code_hash, :now::timestamptz)

-- name: use_access_code
-- The juror behind a code, if the code is active; marks it used.
update access_codes a set last_used_at = :now::timestamptz
from people p
where a.code_hash = :code_hash and a.revoked_at is null and p.id = a.person_id
returning a.edition_id, p.id as person_id, p.full_name

-- name: recent_sign_in_failures
-- The failures of these keys still within the window, oldest first, for the limits' decision.
select key, failed_at from sign_in_failures
where key = any(:keys::text[]) and failed_at > :now::timestamptz - make_interval(secs => :window_seconds::int)
order by key, failed_at

-- name: record_sign_in_failure
-- One failed attempt, counted against each of its keys; failures older than the window go, whoever's.
with gone as (
    delete from sign_in_failures
    where failed_at <= :now::timestamptz - make_interval(secs => :window_seconds::int)
)
insert into sign_in_failures (key, failed_at) select unnest(:keys::text[]), :now::timestamptz

-- name: forget_sign_in_failures
-- A successful sign-in forgets its keys' failures.
delete from sign_in_failures where key = any(:keys::text[])
