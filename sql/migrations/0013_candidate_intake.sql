-- Candidate intake: one number per candidate and edition, eligibility overrides and withdrawals.
--
-- Every candidate gets an entry number, whatever inserts it (import, API, form, demo): a trigger gives
-- the next free number of the edition when none is given, under a per-edition lock so two concurrent
-- inserts never take the same one. Existing candidates without one are numbered in creation order.

alter table editions add column if not exists required_fields text[] not null default '{}';

alter table candidates
    add column eligibility_override text not null default '',
    add column eligibility_overridden_by integer references people (id),
    add column eligibility_overridden_at timestamptz,
    add column withdrawn_at timestamptz,
    add column withdrawal_reason text not null default '',
    add check (withdrawn_at is null or length(trim(withdrawal_reason)) > 0),
    add check (eligibility_overridden_at is null or length(trim(eligibility_override)) > 0);

create function assign_entry_number() returns trigger
language plpgsql as $$
begin
    if new.entry_number is null then
        perform pg_advisory_xact_lock(hashtext('jury:entry_number'), new.edition_id);
        select coalesce(max(entry_number), 0) + 1 into new.entry_number
        from candidates where edition_id = new.edition_id;
    end if;
    return new;
end
$$;

create trigger candidates_entry_number before insert on candidates
    for each row execute function assign_entry_number();

with numbered as (
    select c.id,
           row_number() over (partition by c.edition_id order by c.id)
           + coalesce((select max(o.entry_number) from candidates o where o.edition_id = c.edition_id), 0) as n
    from candidates c
    where c.entry_number is null
)
update candidates c set entry_number = numbered.n from numbered where numbered.id = c.id;

alter table candidates alter column entry_number set not null;
