-- The data model of the three contests. Everything contest-specific (categories, criteria, weights,
-- zones, prizes, signatories) is a row, never code. Later migrations extend these tables.

create table communes (
    insee_code text primary key check (insee_code ~ '^[0-9][0-9AB][0-9]{3}$'),
    name text not null,
    postal_codes text[] not null,
    department_code text not null,
    ept_code text,
    ept_name text
);

create table contests (
    id integer generated always as identity primary key,
    slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text not null,
    organisers text not null,
    candidate_kind text not null check (candidate_kind in ('company', 'artisan', 'organisation')),
    description text not null default ''
);

create table editions (
    id integer generated always as identity primary key,
    contest_id integer not null references contests (id),
    slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    number integer not null check (number > 0),
    year integer not null check (year between 2000 and 2100),
    theme text not null default '',
    opens_on date,
    closes_on date,
    decision_on date,
    place text not null default 'Nanterre',
    budget_eur integer check (budget_eur >= 0),
    max_grant_eur integer check (max_grant_eur >= 0),
    eligible_legal_forms text[] not null default '{}',
    accepted_outside_insee text[] not null default '{}',
    max_company_age_years integer check (max_company_age_years > 0),
    allow_multiple_prizes boolean not null default false,
    tie_break_policy text[] not null default '{calibrated_score,chair}',
    status text not null default 'current' check (status in ('preparing', 'current', 'decided', 'archived')),
    unique (contest_id, number),
    unique (contest_id, year),
    check (closes_on is null or opens_on is null or closes_on >= opens_on),
    check (max_grant_eur is null or budget_eur is null or max_grant_eur <= budget_eur)
);

create table signatories (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    position integer not null check (position > 0),
    full_name text not null,
    title text not null,
    unique (edition_id, position)
);

-- A zone groups EPTs for territorial semi-finals (Nord = T4 + T5, Sud = T2 + T3, or one per EPT).
create table zones (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    code text not null,
    label text not null,
    ept_codes text[] not null check (cardinality(ept_codes) > 0),
    unique (edition_id, code)
);

create table categories (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    code text not null,
    name text not null,
    position integer not null default 1,
    unique (edition_id, code),
    unique (id, edition_id)
);

create table criteria (
    id integer generated always as identity primary key,
    category_id integer not null references categories (id) on delete cascade,
    code text not null,
    label text not null,
    help text not null default '',
    scale_min numeric(6, 2) not null,
    scale_max numeric(6, 2) not null,
    scale_step numeric(6, 2) not null check (scale_step > 0),
    weight numeric(6, 2) not null check (weight > 0),
    comment_required boolean not null default false,
    eliminatory boolean not null default false,
    position integer not null default 1,
    check (scale_max > scale_min),
    unique (category_id, code),
    -- lets sheet_scores carry the scale and check a value against it
    unique (id, scale_min, scale_max)
);

create table prizes (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    category_id integer references categories (id),
    code text not null,
    name text not null,
    kind text not null check (kind in ('category', 'special', 'podium', 'laureate', 'territorial')),
    place integer check (place between 1 and 3),
    amount_eur integer check (amount_eur >= 0),
    max_winners integer default 1 check (max_winners > 0),
    position integer not null default 1,
    unique (edition_id, code),
    check (kind <> 'podium' or place is not null)
);

create table rounds (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    kind text not null check (kind in ('eligibility', 'preselection', 'semi_final', 'final', 'tasting', 'committee')),
    name text not null,
    position integer not null check (position > 0),
    status text not null default 'draft' check (status in ('draft', 'open', 'deliberation', 'closed')),
    advance_count integer check (advance_count >= 0),
    blind boolean not null default false,
    method text not null default 'affine',
    scheduled_on date,
    unique (edition_id, position),
    unique (id, edition_id)
);

create table panels (
    id integer generated always as identity primary key,
    round_id integer not null references rounds (id) on delete cascade,
    zone_id integer references zones (id),
    name text not null,
    venue text not null default '',
    unique (round_id, name),
    unique (id, round_id)
);

create table people (
    id integer generated always as identity primary key,
    full_name text not null check (length(trim(full_name)) > 0),
    email text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    title text not null default '',
    password_hash text,
    is_admin boolean not null default false,
    created_at timestamptz not null default now()
);
create unique index people_email_key on people (lower(email));

-- Organisers are scoped to contests: CCI staff run Made in 92, CMA staff the Gâteau.
create table organisers (
    person_id integer not null references people (id) on delete cascade,
    contest_id integer not null references contests (id) on delete cascade,
    primary key (person_id, contest_id)
);

create table panel_members (
    panel_id integer not null references panels (id) on delete cascade,
    person_id integer not null references people (id),
    role text not null default 'juror' check (role in ('juror', 'chair')),
    is_professional boolean not null default false,
    primary key (panel_id, person_id)
);
create unique index panel_members_one_chair on panel_members (panel_id) where role = 'chair';

create table candidates (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    kind text not null check (kind in ('company', 'artisan', 'organisation')),
    organisation_name text not null default '',
    person_name text not null default '',
    email text not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone text not null default '',
    insee_code text references communes (insee_code),
    commune_label text not null default '',
    legal_form text not null default '',
    siret text not null default '',
    founded_on date,
    requested_eur integer check (requested_eur >= 0),
    entry_number integer check (entry_number > 0),
    creation_name text not null default '',
    category_id integer,
    project_title text not null default '',
    summary text not null default '',
    created_at timestamptz not null default now(),
    foreign key (category_id, edition_id) references categories (id, edition_id),
    unique (edition_id, entry_number),
    unique (id, edition_id),
    check (length(trim(organisation_name)) > 0 or length(trim(person_name)) > 0)
);

-- Where a candidate stands in each round they entered.
create table candidate_rounds (
    candidate_id integer not null references candidates (id) on delete cascade,
    round_id integer not null references rounds (id) on delete cascade,
    panel_id integer,
    status text not null default 'pending'
        check (status in ('pending', 'eligible', 'ineligible', 'advanced', 'eliminated', 'laureate', 'withdrawn')),
    reason text not null default '',
    updated_at timestamptz not null default now(),
    primary key (candidate_id, round_id),
    foreign key (panel_id, round_id) references panels (id, round_id)
);

create table assignments (
    panel_id integer not null,
    person_id integer not null,
    candidate_id integer not null references candidates (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (panel_id, person_id, candidate_id),
    foreign key (panel_id, person_id) references panel_members (panel_id, person_id) on delete cascade
);

create table conflict_declarations (
    round_id integer not null references rounds (id) on delete cascade,
    person_id integer not null references people (id),
    candidate_id integer not null references candidates (id) on delete cascade,
    has_conflict boolean not null,
    reason text not null default '',
    declared_at timestamptz not null default now(),
    primary key (round_id, person_id, candidate_id),
    check (not has_conflict or length(trim(reason)) > 0)
);

create table score_sheets (
    id bigint generated always as identity primary key,
    round_id integer not null references rounds (id),
    panel_id integer not null,
    person_id integer not null references people (id),
    candidate_id integer not null references candidates (id) on delete cascade,
    status text not null default 'draft' check (status in ('draft', 'submitted')),
    abstained boolean not null default false,
    abstention_reason text not null default '',
    comment text not null default '',
    version integer not null default 1 check (version > 0),
    idempotency_key uuid unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    submitted_at timestamptz,
    unique (round_id, person_id, candidate_id),
    foreign key (panel_id, round_id) references panels (id, round_id),
    check (not abstained or length(trim(abstention_reason)) > 0),
    check (status = 'draft' or submitted_at is not null)
);

create table sheet_scores (
    sheet_id bigint not null references score_sheets (id) on delete cascade,
    criterion_id integer not null,
    scale_min numeric(6, 2) not null,
    scale_max numeric(6, 2) not null,
    value numeric(6, 2),
    comment text not null default '',
    primary key (sheet_id, criterion_id),
    foreign key (criterion_id, scale_min, scale_max) references criteria (id, scale_min, scale_max),
    check (value is null or value between scale_min and scale_max)
);

create table decisions (
    id integer generated always as identity primary key,
    edition_id integer not null references editions (id) on delete cascade,
    round_id integer references rounds (id),
    candidate_id integer not null,
    kind text not null check (kind in ('advance', 'eliminate', 'award', 'laureate', 'ineligible', 'override')),
    reason text not null default '',
    based_on text not null default '',
    decided_by integer references people (id),
    decided_at timestamptz not null default now(),
    foreign key (candidate_id, edition_id) references candidates (id, edition_id) on delete cascade
);

create table awards (
    id integer generated always as identity primary key,
    prize_id integer not null references prizes (id) on delete cascade,
    candidate_id integer not null references candidates (id) on delete cascade,
    decision_id integer references decisions (id),
    granted_eur integer check (granted_eur >= 0),
    decided_on date not null,
    unique (prize_id, candidate_id)
);

-- Append-only: every state change adds one row. The hash chain (prev_hash → hash) makes tampering visible.
create table audit_events (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    actor_id integer references people (id),
    actor_label text not null default '',
    action text not null,
    target text not null,
    digest text not null,
    prev_hash text not null,
    hash text not null unique
);

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_events is append-only';
end;
$$;

create trigger audit_events_no_update before update or delete on audit_events
    for each statement execute function audit_events_append_only();

create index candidates_edition on candidates (edition_id);
create index score_sheets_candidate on score_sheets (candidate_id);
create index assignments_candidate on assignments (candidate_id);
create index decisions_candidate on decisions (candidate_id);
