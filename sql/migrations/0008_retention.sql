-- Personal-data retention: how long an edition keeps its candidates' contact data and its jurors'
-- free-text comments after the edition ends, and when `jury purge` last blanked them. Scores, results,
-- decisions, awards and the audit chain are kept for good; see README, "Personal data and retention".

alter table editions
    add column retention_months integer not null default 24 check (retention_months between 1 and 120),
    add column purged_at timestamptz;
