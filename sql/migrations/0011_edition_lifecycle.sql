-- An edition's lifecycle as the organisers live it: en préparation → candidatures ouvertes → jugement →
-- décidée → archivée. The former single "current" state is split in two: an edition already being judged
-- (every "current" edition of the demo and of earlier databases) becomes "judging". A new edition starts
-- in preparation; the checks of each step are in `jury.contests.edition_lifecycle`.

alter table editions drop constraint editions_status_check;
update editions set status = 'judging' where status = 'current';
alter table editions
    add constraint editions_status_check
        check (status in ('preparing', 'applications', 'judging', 'decided', 'archived')),
    alter column status set default 'preparing';
