-- name: grid_categories
-- An edition's categories with their weight rule and whether sheets already use their grid.
select c.id, c.code, c.name, c.position, c.weights_total,
       exists (select 1 from score_sheets s join candidates k on k.id = s.candidate_id
               where k.category_id = c.id) as in_use
from categories c
where c.edition_id = :edition_id
order by c.position, c.id

-- name: grid_criteria
select k.category_id, k.code, k.label, k.help, k.weight, k.scale_min, k.scale_max, k.scale_step,
       k.comment_required, k.eliminatory, k.position
from criteria k join categories c on c.id = k.category_id
where c.edition_id = :edition_id
order by k.category_id, k.position, k.id

-- name: grid_category_for_update
-- The category, locked, and whether score sheets of its candidates exist (a grid in use cannot change).
select c.id, c.name, c.weights_total,
       exists (select 1 from score_sheets s join candidates k on k.id = s.candidate_id
               where k.category_id = c.id) as in_use
from categories c
where c.edition_id = :edition_id and c.code = :code
for update of c

-- name: insert_category
insert into categories (edition_id, code, name, weights_total, position)
values (:edition_id, :code, :category_name, :weights_total,
        coalesce((select max(position) + 1 from categories where edition_id = :edition_id), 1))
returning id

-- name: update_category
update categories set name = :category_name, weights_total = :weights_total where id = :category_id

-- name: delete_criteria_not_in
delete from criteria where category_id = :category_id and not (code = any(:codes::text[]))

-- name: upsert_criterion
insert into criteria (category_id, code, label, help, scale_min, scale_max, scale_step, weight,
                      comment_required, eliminatory, position)
values (:category_id, :code, :label, :help, :scale_min, :scale_max, :scale_step, :weight,
        :comment_required, :eliminatory, :position)
on conflict (category_id, code) do update
set label = excluded.label, help = excluded.help, scale_min = excluded.scale_min,
    scale_max = excluded.scale_max, scale_step = excluded.scale_step, weight = excluded.weight,
    comment_required = excluded.comment_required, eliminatory = excluded.eliminatory,
    position = excluded.position

-- name: grid_prizes
select p.id, p.code, p.name, p.kind, c.code as category, p.place, p.amount_eur, p.ex_aequo_allowed,
       p.max_winners, p.position,
       (select count(*) from awards a where a.prize_id = p.id and a.undone_at is null) as award_count
from prizes p left join categories c on c.id = p.category_id
where p.edition_id = :edition_id
order by p.position, p.id

-- name: lock_edition_prizes
-- Serialises two replacements of the same edition's prizes (and an award granted meanwhile waits).
select id from prizes where edition_id = :edition_id for update

-- name: delete_prizes_not_in
delete from prizes where edition_id = :edition_id and not (code = any(:codes::text[]))

-- name: upsert_prize
insert into prizes (edition_id, category_id, code, name, kind, place, amount_eur, max_winners, position,
                    ex_aequo_allowed)
values (:edition_id, :category_id, :code, :prize_name, :kind, :place, :amount_eur, :max_winners, :position,
        :ex_aequo_allowed)
on conflict (edition_id, code) do update
set category_id = excluded.category_id, name = excluded.name, kind = excluded.kind, place = excluded.place,
    amount_eur = excluded.amount_eur, max_winners = excluded.max_winners, position = excluded.position,
    ex_aequo_allowed = excluded.ex_aequo_allowed

-- name: set_allow_multiple_prizes
update editions set allow_multiple_prizes = :allow where id = :edition_id

-- name: edition_rules
-- The eligibility rules stored on an edition, and its budget (a request ceiling stays within it).
select territory_department, accepted_outside_insee, max_company_age_years, eligible_legal_forms,
       max_grant_eur, required_fields, budget_eur, allow_multiple_prizes
from editions
where id = :edition_id

-- name: commune_departments
select insee_code, department_code from communes

-- name: set_edition_rules
update editions
set territory_department = :department, accepted_outside_insee = :accepted_outside_insee,
    max_company_age_years = :max_company_age_years, eligible_legal_forms = :legal_forms,
    max_grant_eur = :max_request_eur, required_fields = :required_fields
where id = :edition_id
