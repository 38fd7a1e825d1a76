-- Diploma batches and procès-verbaux run as jobs of PgQueuer's queue (its tables are created and upgraded
-- by the migrator through PgQueuer's own planner). These tables hold what the pages show: the state of
-- each job, its progress, how many times a worker took it up, and, for minutes, the rendered PDF.

alter table diploma_jobs drop constraint diploma_jobs_status_check;
alter table diploma_jobs
    add constraint diploma_jobs_status_check check (status in ('queued', 'running', 'finished', 'failed')),
    alter column status set default 'queued',
    add column attempts integer not null default 0 check (attempts >= 0),
    add column started_at timestamptz,
    add column queue_job_id bigint;

-- A procès-verbal is rendered once per distinct content: the digest covers everything it prints (except
-- the time it was drawn up), so the same deliberation asked twice is served from here, and a changed
-- decision makes a new one. Stored in the database, not on a volume, so any replica can serve it.
create table minutes_jobs (
    id integer generated always as identity primary key,
    round_id integer not null references rounds (id) on delete cascade,
    panel_id integer not null references panels (id) on delete cascade,
    content_digest text not null,
    status text not null default 'queued' check (status in ('queued', 'running', 'finished', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    pdf bytea,
    error text not null default '',
    created_at timestamptz not null default now(),
    finished_at timestamptz
);
create index minutes_jobs_content on minutes_jobs (panel_id, content_digest, id);
