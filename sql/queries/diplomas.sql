-- Diplomas: issuing from awards, the PDF cache, winners' links, verification and generation jobs.

-- name: diploma_lock_edition
-- Serialises issuing in one edition, so two requests never draw codes for the same award.
select pg_advisory_xact_lock(hashtext('diplomas'), :edition_id)

-- name: diploma_awards_without_diploma
select award_id from diploma_sources
where edition_id = :edition_id and diploma_id is null and award_undone_at is null
order by award_id

-- name: diploma_insert
-- Nothing when the code is already taken (drawn again) or the award has its diploma (issued meanwhile).
insert into diplomas (award_id, verification_code, issued_at)
values (:award_id, :verification_code, :now::timestamptz)
on conflict do nothing
returning id

-- name: diploma_sources_of_edition
select * from diploma_sources
where edition_id = :edition_id and diploma_id is not null
order by prize_kind, place nulls last, prize, award_id

-- name: diploma_awards_of_edition
-- An undone award stays listed only with the (revoked) diploma it had.
select * from diploma_sources
where edition_id = :edition_id and (award_undone_at is null or diploma_id is not null)
order by place nulls last, prize, award_id

-- name: diploma_source_by_id
select * from diploma_sources where diploma_id = :diploma_id

-- name: diploma_source_by_code
select * from diploma_sources where verification_code = :code

-- name: diploma_signatories
select full_name, title, distinction from signatories where edition_id = :edition_id order by position

-- name: diploma_set_rendered
update diplomas set content_digest = :content_digest, pdf_path = :pdf_path, rendered_at = :now::timestamptz
where id = :diploma_id

-- name: diploma_revoke
update diplomas set revoked_at = :now::timestamptz, revoked_reason = :reason
where id = :diploma_id and revoked_at is null
returning revoked_at

-- name: diploma_insert_link
insert into diploma_links (token_hash, diploma_id, expires_at, created_at)
values (:token_hash, :diploma_id, :expires_at, :now::timestamptz)
returning id

-- name: diploma_link_by_hash
-- A link with its diploma and the edition's signatories (one round trip for a winner's download, which
-- checks its stored PDF is up to date); the caller tells expired and revoked links apart.
select l.id as link_id, l.expires_at, l.revoked_at as link_revoked_at, l.expires_at <= :now::timestamptz as expired, s.*,
       (select coalesce(json_agg(json_build_object('full_name', g.full_name, 'title', g.title,
                                                   'distinction', g.distinction) order by g.position), '[]'::json)
        from signatories g where g.edition_id = s.edition_id) as edition_signatories
from diploma_links l join diploma_sources s on s.diploma_id = l.diploma_id
where l.token_hash = :token_hash

-- name: diploma_links_of_edition
select l.id, l.diploma_id, l.created_at, l.expires_at, l.revoked_at, l.emailed_at,
       l.expires_at is not null and l.expires_at <= :now::timestamptz as expired
from diploma_links l join diploma_sources s on s.diploma_id = l.diploma_id
where s.edition_id = :edition_id
order by l.id

-- name: diploma_revoke_link
update diploma_links l set revoked_at = :now::timestamptz
from diploma_sources s
where l.id = :link_id and s.diploma_id = l.diploma_id and s.edition_id = :edition_id and l.revoked_at is null
returning l.id, l.diploma_id

-- name: diploma_link_emailed
update diploma_links set emailed_at = :now::timestamptz where id = :link_id

-- name: diploma_lock_jobs
-- Serialises "generate" clicks of one edition across replicas, for the transaction.
select pg_advisory_xact_lock(hashtext('jury:diploma-jobs'), :edition_id)

-- name: diploma_pending_job
select id from diploma_jobs
where edition_id = :edition_id and status in ('queued', 'running') order by id desc limit 1

-- name: diploma_insert_job
insert into diploma_jobs (edition_id, total, created_at) values (:edition_id, :total, :now::timestamptz) returning id

-- name: diploma_job_queued
update diploma_jobs set queue_job_id = :queue_job_id where id = :job_id

-- name: diploma_job_start
-- A worker takes the job up (again, after a crashed worker): the attempt is counted, the error cleared,
-- and the count starts again once the attempt knows what is already up to date.
update diploma_jobs set status = 'running', attempts = attempts + 1, started_at = :now::timestamptz, error = '',
       finished_at = null, total = 0, done = 0
where id = :job_id
returning attempts

-- name: diploma_job_total
update diploma_jobs set total = :total, done = :done where id = :job_id

-- name: diploma_job_progress
update diploma_jobs set done = :done where id = :job_id

-- name: diploma_job_finish
update diploma_jobs set status = :status, error = :error, finished_at = :now::timestamptz,
       done = case when :status = 'finished' then total else done end
where id = :job_id

-- name: diploma_latest_job
-- now(), not :now: PgQueuer stamps heartbeats with the server's time, and liveness is physical time.
-- With what the queue knows: a running job whose worker has not signalled for `stale_after` seconds is
-- waiting for another worker to take it up (PgQueuer's row goes once the job is done).
select j.id, j.edition_id, j.total, j.done, j.status, j.error, j.attempts, j.created_at, j.started_at,
       j.finished_at,
       coalesce(q.status::text = 'picked' and q.heartbeat < now() - make_interval(secs => :stale_after),
                false) as stalled
from diploma_jobs j
left join pgqueuer q on q.id = j.queue_job_id
where j.edition_id = :edition_id order by j.id desc limit 1
