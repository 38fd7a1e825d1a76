-- name: setup_panels
-- The panels of an edition's rounds with their zone, categories and how many members each has.
select p.id, p.round_id, p.name, p.venue, z.code as zone,
       coalesce((select array_agg(c.code order by c.position, c.code) from panel_categories pc
                 join categories c on c.id = pc.category_id where pc.panel_id = p.id), '{}') as categories,
       (select count(*) from panel_members m where m.panel_id = p.id) as member_count
from panels p
join rounds r on r.id = p.round_id
left join zones z on z.id = p.zone_id
where r.edition_id = :edition_id
order by r.position, p.name

-- name: setup_edition_shape
-- How many zones and categories an edition has: a quota per zone or per category needs some.
select (select count(*) from zones z where z.edition_id = :edition_id) as zones,
       (select count(*) from categories c where c.edition_id = :edition_id) as categories

-- name: setup_round_rule
-- The settable fields of one round, locked: a change and a deletion of the same round wait for each other.
select id, edition_id, kind, name, position, status, advance_count, quota_scope, wildcards, blind, method,
       scheduled_on
from rounds
where id = :round_id
for update

-- name: setup_round_order
-- The rounds of an edition in order, locked, for a reordering.
select id, name, status from rounds where edition_id = :edition_id order by position for update

-- name: insert_round
insert into rounds (edition_id, kind, name, position, advance_count, quota_scope, wildcards, blind, method,
                    scheduled_on)
values (:edition_id, :kind, :round_name, :position, :advance_count, :quota_scope, :wildcards, :blind, :method,
        :scheduled_on)
returning id

-- name: shift_round_positions
-- First half of a renumbering: positions move out of the way (unique per edition, checked row by row).
update rounds set position = 100000 + array_position(:ids::int[], id)
where edition_id = :edition_id and id = any(:ids::int[])

-- name: settle_round_positions
-- Second half: positions 1..n in the order given.
update rounds set position = position - 100000 where edition_id = :edition_id and position > 100000

-- name: update_round
update rounds
set name = :round_name, advance_count = :advance_count, quota_scope = :quota_scope, wildcards = :wildcards,
    blind = :blind, method = :method, scheduled_on = :scheduled_on
where id = :round_id

-- name: round_contents
-- What a round holds that its deletion would lose.
select (select count(*) from candidate_rounds cr where cr.round_id = :round_id) as candidates,
       (select count(*) from panels p where p.round_id = :round_id
          and exists (select 1 from panel_members m where m.panel_id = p.id)) as staffed_panels,
       (select count(*) from score_sheets s where s.round_id = :round_id) as sheets,
       (select count(*) from decisions d where d.round_id = :round_id) as decisions

-- name: delete_round
delete from rounds where id = :round_id

-- name: edition_zone_by_code
select id from zones where edition_id = :edition_id and code = :code

-- name: edition_category_ids
-- The ids of the named categories of an edition (unknown codes are simply missing).
select id, code from categories where edition_id = :edition_id and code = any(:codes::text[])

-- name: panel_name_taken
select exists (select 1 from panels where round_id = :round_id and name = :panel_name)

-- name: insert_panel
insert into panels (round_id, name, venue, zone_id) values (:round_id, :panel_name, :venue, :zone_id) returning id

-- name: insert_panel_categories
insert into panel_categories (panel_id, category_id) select :panel_id, unnest(:category_ids::int[])

-- name: edition_zone_codes
select code from zones where edition_id = :edition_id order by code

-- name: place_in_first_panel
-- With a single panel there is nothing to choose: the round's candidates without one go before it.
update candidate_rounds
set panel_id = :panel_id, updated_at = :now::timestamptz
where round_id = :round_id and panel_id is null
  and (select count(*) from panels where round_id = :round_id) = 1
returning candidate_id
