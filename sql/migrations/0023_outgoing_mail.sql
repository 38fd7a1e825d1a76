-- E-mails sent by the job queue (issue 17): application acknowledgements, jurors' invitations and
-- reminders. One row per message: who it went to, what it was, when it was queued and sent, how many
-- attempts it took. The MIME message itself is kept only until it is sent (it may carry a private link or
-- an access code), then cleared.

create table outgoing_mail (
    id bigint generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    kind text not null check (kind in ('application_ack', 'juror_invitation', 'juror_reminder')),
    person_id integer references people (id) on delete set null,
    application_id integer references applications (id) on delete cascade,
    round_id integer references rounds (id) on delete set null,
    recipient text not null,
    subject text not null,
    message bytea,
    status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    last_error text not null default '',
    queued_at timestamptz not null,
    queued_by integer references people (id) on delete set null,
    sent_at timestamptz,
    check (status <> 'sent' or sent_at is not null)
);
create index outgoing_mail_edition on outgoing_mail (edition_id, queued_at desc);
