-- Score sheets written from tablets whose Wi-Fi drops: every write carries a key the tablet generated
-- before sending, and the answer given to it is kept here, byte for byte, so that a retry of the same key
-- (the answer was lost on the way back) gets the very same answer instead of a second write or a
-- spurious version conflict. Only accepted writes are kept: a refused one wrote nothing to answer for.

create table sheet_submissions (
    key uuid primary key,
    person_id integer not null references people (id),
    round_id integer not null references rounds (id) on delete cascade,
    candidate_id integer not null references candidates (id) on delete cascade,
    -- null while the write that claimed the key is still in flight (its transaction holds the row)
    sheet_id bigint references score_sheets (id) on delete cascade,
    status_code integer,
    response bytea,
    created_at timestamptz not null default now(),
    check ((status_code is null) = (response is null))
);
create index sheet_submissions_sheet on sheet_submissions (sheet_id);
create index score_sheets_person on score_sheets (person_id, round_id);
create index conflict_declarations_person on conflict_declarations (person_id, round_id);
