-- Migration 0033's triggers matched a candidate's round entry, or a declaration, before and after an update
-- by its key: an update of the key itself (a row moved to another round or candidate, by hand in SQL)
-- matched nothing and bumped no version. Unmatched rows now bump the round they left and the one they
-- reached.

create or replace function assignment_versions_by_round() returns trigger
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
            select coalesce(n.round_id, o.round_id) from new_rows n
            full join old_rows o on o.candidate_id = n.candidate_id and o.round_id = n.round_id
            where n.round_id is null or o.round_id is null
               or n.panel_id is distinct from o.panel_id
               or (n.status in ('withdrawn', 'ineligible')) <> (o.status in ('withdrawn', 'ineligible'))));
    end if;
    return null;
end
$$;

create or replace function assignment_versions_by_conflict() returns trigger
language plpgsql as $$
begin
    -- Only declared conflicts count: the declarations of "no conflict" (one per pair) change nothing.
    if tg_op = 'INSERT' then
        perform bump_assignment_versions(array(select round_id from new_rows where has_conflict));
    elsif tg_op = 'DELETE' then
        perform bump_assignment_versions(array(select round_id from old_rows where has_conflict));
    else
        perform bump_assignment_versions(array(
            select coalesce(n.round_id, o.round_id) from new_rows n
            full join old_rows o on o.round_id = n.round_id and o.person_id = n.person_id
                                and o.candidate_id = n.candidate_id
            where n.has_conflict or o.has_conflict));
    end if;
    return null;
end
$$;
