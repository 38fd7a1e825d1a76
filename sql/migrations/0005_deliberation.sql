-- Deliberation: jurors' notes on candidates, ballots (approval or ranked) with one vote per juror, and the
-- chair's casting vote. Decisions, prizes and grants reuse `decisions` and `awards` from 0001.

-- A note belongs to the panel that deliberates on the candidate, so it is read only by that panel.
create table deliberation_notes (
    id bigint generated always as identity primary key,
    round_id integer not null references rounds (id) on delete cascade,
    panel_id integer not null,
    person_id integer not null references people (id),
    candidate_id integer not null references candidates (id) on delete cascade,
    text text not null check (length(trim(text)) > 0 and length(text) <= 4000),
    created_at timestamptz not null default now(),
    foreign key (panel_id, round_id) references panels (id, round_id)
);
create index deliberation_notes_panel on deliberation_notes (panel_id, candidate_id);

-- `candidates` is the list put to the vote; `result` is written once, when the ballot closes, and holds
-- the method's output, the tie-break inputs and the final order, so the procès-verbal can be rebuilt.
create table ballots (
    id integer generated always as identity primary key,
    round_id integer not null references rounds (id) on delete cascade,
    panel_id integer not null,
    kind text not null check (kind in ('approval', 'ranked')),
    title text not null check (length(trim(title)) > 0),
    status text not null default 'open' check (status in ('open', 'closed')),
    candidates integer[] not null check (cardinality(candidates) >= 2),
    opened_by integer references people (id),
    opened_at timestamptz not null default now(),
    closed_by integer references people (id),
    closed_at timestamptz,
    result jsonb,
    foreign key (panel_id, round_id) references panels (id, round_id),
    check ((status = 'closed') = (closed_at is not null)),
    check (status = 'open' or result is not null)
);
create index ballots_round on ballots (round_id, panel_id);

-- One vote per juror and ballot; voting again replaces it while the ballot is open.
-- payload: {"approved": [candidate ids]} or {"tiers": [[candidate ids], ...]} (best first, ties allowed).
create table ballot_votes (
    ballot_id integer not null references ballots (id) on delete cascade,
    person_id integer not null references people (id),
    payload jsonb not null,
    cast_at timestamptz not null default now(),
    primary key (ballot_id, person_id)
);

-- The chair's casting vote (voix prépondérante) settling the ties a closed ballot left; given once.
create table ballot_casting_votes (
    ballot_id integer primary key references ballots (id) on delete cascade,
    person_id integer not null references people (id),
    chair_order integer[] not null check (cardinality(chair_order) >= 2),
    reason text not null default '',
    cast_at timestamptz not null default now()
);

create index decisions_edition on decisions (edition_id, decided_at);
create index awards_candidate on awards (candidate_id);
