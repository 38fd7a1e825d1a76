-- Audit events written without serialising their writers (issue 18).
--
-- Appending to the hash chain needs the previous event's hash, so appenders must take turns; done inside
-- each request's transaction, the turn was held until that transaction committed, and every score sheet
-- write waited for every other one's commit (no group commit, about 0.6 of a core used under load).
--
-- A request now records its event here, in its own transaction, with no lock: the event commits or rolls
-- back with the change it records. Right after the commit, before the answer is sent, a short sealing
-- step (`jury.audit.service.seal_pending`) takes the chain's lock, moves every committed pending event into
-- `audit_events` in order, chaining and keying each one, and commits; one step seals whatever accumulated,
-- so concurrent writers share it. Reading the chain's head (procès-verbal, publication), verifying it and
-- checkpointing seal first, so they never miss an event committed before them (a process killed between
-- its commit and its seal leaves its event here until the next seal).

create table audit_pending (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null,
    actor_id integer references people (id),
    actor_label text not null default '',
    action text not null,
    target text not null,
    digest text not null
);
