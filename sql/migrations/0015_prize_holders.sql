-- Prizes held by several laureates without money: a label (Label « Artisan du tourisme ») and a cohort
-- (Boost Entrepreneurs au Féminin), each awarded to up to `max_winners` candidates (null: no limit). Like
-- the 'laureate' prize of a call for projects, they have no place; unlike it, they carry no amount.

alter table prizes drop constraint prizes_kind_check;
alter table prizes add constraint prizes_kind_check
    check (kind in ('category', 'special', 'podium', 'laureate', 'territorial', 'label', 'cohort'));
alter table prizes add constraint prizes_holders_unpaid check (kind not in ('label', 'cohort') or amount_eur is null);
