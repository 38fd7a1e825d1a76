-- The jurors of an edition, as a fact of their own rather than "whoever sits on one of its panels".
--
-- The jurors' import records every juror of its file here, seated on a panel or not yet (a replacement,
-- a Grand jury member to be named once the finalists are known); naming someone to a panel, printing
-- their access card and the jurors' list read it. A seat on a panel also makes its holder a juror of the
-- panel's edition, whatever seats them (the import, the demo loader, a panel member added through the
-- API), through the trigger below, so the two can never disagree. Taking a seat away leaves the person a
-- juror of the edition: they were invited, and may be seated elsewhere.

create table edition_jurors (
    edition_id integer not null references editions (id) on delete cascade,
    person_id integer not null references people (id) on delete cascade,
    primary key (edition_id, person_id)
);

create index edition_jurors_person on edition_jurors (person_id);

create function record_edition_juror() returns trigger
language plpgsql as $$
begin
    insert into edition_jurors (edition_id, person_id)
    select r.edition_id, new.person_id
    from panels p join rounds r on r.id = p.round_id
    where p.id = new.panel_id
    on conflict do nothing;
    return new;
end
$$;

create trigger panel_members_edition_juror after insert or update of panel_id, person_id on panel_members
    for each row execute function record_edition_juror();

-- Backfill: everyone seated on a panel of an edition, and everyone who was ever given a card for one.
insert into edition_jurors (edition_id, person_id)
select r.edition_id, pm.person_id
from panel_members pm
join panels p on p.id = pm.panel_id
join rounds r on r.id = p.round_id
union
select a.edition_id, a.person_id
from access_codes a
on conflict do nothing;
