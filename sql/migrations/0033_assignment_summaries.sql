-- The assignment page's round-wide figures (k, holes, design check, warnings) stored per round (issue 18):
-- computing them reads the round's every pair (90,000 at the largest contest), about 400 ms a visit. They
-- are stored with the round's assignment version; every statement that changes what they depend on (pairs,
-- panels, members, candidates in the round, declared conflicts, names, zones, the round's kind) bumps that
-- version in its own transaction, so a stored summary whose version is not the current one is stale and is
-- recomputed on the next visit. A reader reads the version before the rows it computes from: a change
-- committed meanwhile leaves its summary stale, never wrong.

-- No foreign key: a round deleted in cascade would refuse the bump of its own panels' deletion.
create table round_assignment_versions (
    round_id integer primary key,
    version bigint not null default 1
);

create table round_assignment_summaries (
    round_id integer not null references rounds (id) on delete cascade,
    wanted integer not null check (wanted >= 0), -- the k asked for; 0 when inferred from the pairs
    version bigint not null,
    summary jsonb not null,
    primary key (round_id, wanted)
);

create function bump_assignment_versions(round_ids integer[]) returns void
language sql as $$
    insert into round_assignment_versions as v (round_id)
    select distinct r from unnest(round_ids) as r where r is not null order by r
    on conflict (round_id) do update set version = v.version + 1
$$;

-- Each trigger runs once per statement (a plan writes 90,000 pairs in one), with the changed rows as
-- transition tables: `new_rows` for inserts and updates, `old_rows` for updates and deletes.

create function assignment_versions_by_panel() returns trigger
language plpgsql as $$
begin
    -- assignments and panel_members: the round through the row's panel.
    if tg_op = 'INSERT' then
        perform bump_assignment_versions(array(
            select p.round_id from panels p where p.id in (select panel_id from new_rows)));
    elsif tg_op = 'DELETE' then
        perform bump_assignment_versions(array(
            select p.round_id from panels p where p.id in (select panel_id from old_rows)));
    else
        perform bump_assignment_versions(array(
            select p.round_id from panels p
            where p.id in (select panel_id from new_rows union select panel_id from old_rows)));
    end if;
    return null;
end
$$;

create function assignment_versions_by_round() returns trigger
language plpgsql as $$
begin
    -- panels: any change (name, zone); candidate_rounds: a candidate's panel, or whether it competes.
    if tg_op = 'INSERT' then
        perform bump_assignment_versions(array(select round_id from new_rows));
    elsif tg_op = 'DELETE' then
        perform bump_assignment_versions(array(select round_id from old_rows));
    elsif tg_table_name = 'panels' then
        perform bump_assignment_versions(array(
            select round_id from new_rows union select round_id from old_rows));
    else
        perform bump_assignment_versions(array(
            select n.round_id from new_rows n
            join old_rows o on o.candidate_id = n.candidate_id and o.round_id = n.round_id
            where n.panel_id is distinct from o.panel_id
               or (n.status in ('withdrawn', 'ineligible')) <> (o.status in ('withdrawn', 'ineligible'))));
    end if;
    return null;
end
$$;

create function assignment_versions_by_conflict() returns trigger
language plpgsql as $$
begin
    -- Only declared conflicts count: the declarations of "no conflict" (one per pair) change nothing.
    if tg_op = 'INSERT' then
        perform bump_assignment_versions(array(select round_id from new_rows where has_conflict));
    elsif tg_op = 'DELETE' then
        perform bump_assignment_versions(array(select round_id from old_rows where has_conflict));
    else
        perform bump_assignment_versions(array(
            select n.round_id from new_rows n
            join old_rows o on o.round_id = n.round_id and o.person_id = n.person_id
                           and o.candidate_id = n.candidate_id
            where n.has_conflict or o.has_conflict));
    end if;
    return null;
end
$$;

create function assignment_versions_by_name() returns trigger
language plpgsql as $$
begin
    -- Names and places the warnings and holes spell out: candidates, jurors, zones, communes, round kind.
    if tg_table_name = 'candidates' then
        perform bump_assignment_versions(array(
            select cr.round_id from new_rows n
            join old_rows o on o.id = n.id
            join candidate_rounds cr on cr.candidate_id = n.id
            where (n.organisation_name, n.person_name, n.insee_code, n.commune_label)
                  is distinct from (o.organisation_name, o.person_name, o.insee_code, o.commune_label)));
    elsif tg_table_name = 'people' then
        perform bump_assignment_versions(array(
            select p.round_id from new_rows n
            join old_rows o on o.id = n.id
            join panel_members pm on pm.person_id = n.id
            join panels p on p.id = pm.panel_id
            where n.full_name is distinct from o.full_name));
    elsif tg_table_name = 'zones' then
        perform bump_assignment_versions(array(
            select p.round_id from new_rows n
            join old_rows o on o.id = n.id
            join panels p on p.zone_id = n.id
            where (n.label, n.ept_codes) is distinct from (o.label, o.ept_codes)));
    elsif tg_table_name = 'communes' then
        perform bump_assignment_versions(array(
            select cr.round_id from new_rows n
            join old_rows o on o.insee_code = n.insee_code
            join candidates c on c.insee_code = n.insee_code
            join candidate_rounds cr on cr.candidate_id = c.id
            where (n.name, n.ept_code) is distinct from (o.name, o.ept_code)));
    else
        perform bump_assignment_versions(array(
            select n.id from new_rows n join old_rows o on o.id = n.id where n.kind <> o.kind));
    end if;
    return null;
end
$$;

create trigger assignments_version_insert after insert on assignments
    referencing new table as new_rows for each statement execute function assignment_versions_by_panel();
create trigger assignments_version_update after update on assignments
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_panel();
create trigger assignments_version_delete after delete on assignments
    referencing old table as old_rows for each statement execute function assignment_versions_by_panel();

create trigger panel_members_version_insert after insert on panel_members
    referencing new table as new_rows for each statement execute function assignment_versions_by_panel();
create trigger panel_members_version_update after update on panel_members
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_panel();
create trigger panel_members_version_delete after delete on panel_members
    referencing old table as old_rows for each statement execute function assignment_versions_by_panel();

create trigger panels_version_insert after insert on panels
    referencing new table as new_rows for each statement execute function assignment_versions_by_round();
create trigger panels_version_update after update on panels
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_round();
create trigger panels_version_delete after delete on panels
    referencing old table as old_rows for each statement execute function assignment_versions_by_round();

create trigger candidate_rounds_version_insert after insert on candidate_rounds
    referencing new table as new_rows for each statement execute function assignment_versions_by_round();
create trigger candidate_rounds_version_update after update on candidate_rounds
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_round();
create trigger candidate_rounds_version_delete after delete on candidate_rounds
    referencing old table as old_rows for each statement execute function assignment_versions_by_round();

create trigger conflict_declarations_version_insert after insert on conflict_declarations
    referencing new table as new_rows for each statement execute function assignment_versions_by_conflict();
create trigger conflict_declarations_version_update after update on conflict_declarations
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_conflict();
create trigger conflict_declarations_version_delete after delete on conflict_declarations
    referencing old table as old_rows for each statement execute function assignment_versions_by_conflict();

create trigger candidates_version_update after update on candidates
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_name();
create trigger people_version_update after update on people
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_name();
create trigger zones_version_update after update on zones
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_name();
create trigger communes_version_update after update on communes
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_name();
create trigger rounds_version_update after update on rounds
    referencing old table as old_rows new table as new_rows
    for each statement execute function assignment_versions_by_name();

-- The page reads its window of panels' candidates by panel.
create index candidate_rounds_panel on candidate_rounds (panel_id);
