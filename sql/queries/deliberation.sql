-- Deliberation: access, notes, ballots, decisions, prizes and grants. Names start with delib_.

-- name: delib_panel_round
select round_id from panels where id = :panel_id

-- name: delib_round_panels
select id, name from panels where round_id = :round_id order by name, id

-- name: delib_member_panels
-- The panels of a round a person sits on, with the role held on each.
select pm.panel_id, pm.role
from panel_members pm join panels p on p.id = pm.panel_id
where p.round_id = :round_id and pm.person_id = :person_id
order by pm.panel_id

-- name: delib_member_names
select pm.person_id, p.full_name, pm.role
from panel_members pm join people p on p.id = pm.person_id
where pm.panel_id = any(:panel_ids::int[])
order by pm.role desc, p.full_name

-- name: delib_panel_candidates
-- The candidates some panels deliberate on (identity columns only: labels are built by the caller).
select cr.panel_id, c.id, c.organisation_name, c.person_name, c.entry_number, cr.status
from candidate_rounds cr join candidates c on c.id = cr.candidate_id
where cr.panel_id = any(:panel_ids::int[])
order by cr.panel_id, c.entry_number nulls last, c.organisation_name, c.person_name, c.id

-- name: delib_my_panels
-- Panels of an edition a juror sits on, with the round's state, for the juror's deliberation index.
select p.id as panel_id, p.name as panel_name, pm.role, r.id as round_id, r.name as round_name, r.status,
       e.slug as edition_slug, c.name || ' ' || e.year as edition_label
from panel_members pm join panels p on p.id = pm.panel_id join rounds r on r.id = p.round_id
join editions e on e.id = r.edition_id join contests c on c.id = e.contest_id
where pm.person_id = :person_id and r.edition_id = :edition_id
order by r.position, p.name

-- name: delib_organiser_panels
-- Panels of the editions an organiser runs whose round deliberates or has deliberated.
select p.id as panel_id, p.name as panel_name, 'organiser' as role, r.id as round_id, r.name as round_name,
       r.status, e.slug as edition_slug, c.name || ' ' || e.year as edition_label
from panels p join rounds r on r.id = p.round_id join editions e on e.id = r.edition_id
join contests c on c.id = e.contest_id
where r.status in ('deliberation', 'closed')
  and exists (select 1 from people x where x.id = :person_id
              and (x.is_admin or exists (select 1 from organisers o
                                         where o.person_id = x.id and o.contest_id = e.contest_id)))
order by e.slug, r.position, p.name

-- name: delib_candidate_entry
-- Where a candidate stands in a round: their panel and status.
select panel_id, status from candidate_rounds where candidate_id = :candidate_id and round_id = :round_id

-- Notes ----------------------------------------------------------------------------------------------

-- name: delib_insert_note
insert into deliberation_notes (round_id, panel_id, person_id, candidate_id, text, created_at)
values (:round_id, :panel_id, :person_id, :candidate_id, :text, :now::timestamptz)
returning id, created_at

-- name: delib_notes
-- Notes of some panels of a round, leaving out the candidates the reader must not see.
select n.id, n.panel_id, n.candidate_id, n.person_id, p.full_name as author, n.text, n.created_at
from deliberation_notes n join people p on p.id = n.person_id
where n.round_id = :round_id
  and n.panel_id = any(:panel_ids::int[])
  and not (n.candidate_id = any(:hidden::int[]))
order by n.created_at, n.id

-- Ballots --------------------------------------------------------------------------------------------

-- name: delib_insert_ballot
insert into ballots (round_id, panel_id, kind, title, candidates, opened_by, opened_at)
values (:round_id, :panel_id, :kind, :title, :candidates, :opened_by, :now::timestamptz)
returning id

-- name: delib_ballot_round
select round_id, panel_id from ballots where id = :ballot_id

-- name: delib_ballot_for_update
-- Locks the ballot: votes, closing and the casting vote take their turn.
select id, round_id, panel_id, kind, title, status, candidates, result
from ballots where id = :ballot_id
for update

-- name: delib_ballots
select b.id, b.round_id, b.panel_id, b.kind, b.title, b.status, b.candidates, b.result,
       (select count(*) from ballot_votes v where v.ballot_id = b.id) as votes_cast,
       (select count(*) from panel_members pm where pm.panel_id = b.panel_id) as voters
from ballots b
where b.round_id = :round_id and b.panel_id = any(:panel_ids::int[])
order by b.id

-- name: delib_my_votes
select ballot_id, payload from ballot_votes where person_id = :person_id and ballot_id = any(:ballot_ids::int[])

-- name: delib_upsert_vote
-- Re-voting replaces the earlier vote while the ballot is open.
insert into ballot_votes (ballot_id, person_id, payload, cast_at)
values (:ballot_id, :person_id, :payload, :now::timestamptz)
on conflict (ballot_id, person_id) do update set payload = excluded.payload, cast_at = :now::timestamptz
returning (xmax = 0) as inserted

-- name: delib_ballot_votes
select person_id, payload from ballot_votes where ballot_id = :ballot_id order by person_id

-- name: delib_close_ballot
-- Returns the ballot's id: no row means nothing was closed, and the caller refuses rather than answer 200.
update ballots set status = 'closed', closed_by = :closed_by, closed_at = :now::timestamptz, result = :result
where id = :ballot_id and status = 'open'
returning id

-- name: delib_set_ballot_result
update ballots set result = :result where id = :ballot_id and status = 'closed'
returning id

-- name: delib_insert_casting_vote
insert into ballot_casting_votes (ballot_id, person_id, chair_order, reason, cast_at)
values (:ballot_id, :person_id, :chair_order, :reason, :now::timestamptz)
returning cast_at

-- Decisions ------------------------------------------------------------------------------------------

-- name: delib_next_round
-- The round after this one in the edition; locked while candidates are entered into it.
select id, name, status from rounds
where edition_id = :edition_id and position > :position
order by position
limit 1
for update

-- name: delib_round_entries
select candidate_id, panel_id, status from candidate_rounds where round_id = :round_id
order by candidate_id
for update

-- name: delib_entries_in_round
select candidate_id from candidate_rounds where round_id = :round_id and candidate_id = any(:candidate_ids::int[])

-- name: delib_insert_entry
insert into candidate_rounds (candidate_id, round_id, status, updated_at) values (:candidate_id, :round_id, 'pending', :now::timestamptz)

-- name: delib_insert_decision
insert into decisions (edition_id, round_id, candidate_id, kind, reason, based_on, departure, decided_by,
                       decided_at)
values (:edition_id, :round_id, :candidate_id, :kind, :reason, :based_on, :departure, :decided_by,
        :now::timestamptz)
returning id

-- name: delib_decisions_of_edition
-- Every decision of an edition with who took it and, for prizes and grants, what was given.
select d.id, d.kind, d.candidate_id, c.organisation_name, c.person_name, c.entry_number, d.round_id,
       r.name as round_name, d.reason, d.based_on, p.full_name as decided_by_name, d.decided_at,
       pr.name as prize_name, a.granted_eur, d.departure, d.undone_at, d.undo_reason,
       u.full_name as undone_by_name
from decisions d
join candidates c on c.id = d.candidate_id
left join rounds r on r.id = d.round_id
left join people p on p.id = d.decided_by
left join people u on u.id = d.undone_by
left join awards a on a.decision_id = d.id
left join prizes pr on pr.id = a.prize_id
where d.edition_id = :edition_id
order by d.decided_at, d.id

-- name: delib_deliberating_rounds
-- Rounds of an edition whose candidates can still be confirmed for the next round, with their panels.
select r.id, r.name, r.position,
       exists (select 1 from rounds n where n.edition_id = r.edition_id and n.position > r.position) as has_next,
       coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name) order by p.name, p.id)
                 from panels p where p.round_id = r.id), '[]'::json) as panels
from rounds r
where r.edition_id = :edition_id and r.status = 'deliberation'
order by r.position

-- name: delib_round_candidates
-- Some rounds' candidates with their panel and status, for the organisers' decisions page.
select cr.round_id, c.id, c.organisation_name, c.person_name, c.entry_number, cr.status, cr.panel_id,
       p.name as panel_name, c.category_id
from candidate_rounds cr
join candidates c on c.id = cr.candidate_id
left join panels p on p.id = cr.panel_id
where cr.round_id = any(:round_ids::int[])
order by cr.round_id, p.name nulls last, c.entry_number nulls last, c.organisation_name, c.person_name, c.id

-- Prizes and grants ----------------------------------------------------------------------------------

-- name: delib_lock_edition
-- Serialises award sheets and grant allocations of one edition (totals and exclusivity are checked
-- against what is already written).
select id from editions where id = :edition_id for no key update

-- name: delib_prizes
select id, code, name, kind, place, amount_eur, max_winners, ex_aequo_allowed, category_id, position
from prizes where edition_id = :edition_id
order by position, id

-- name: delib_awards
select a.id, a.prize_id, pr.code as prize_code, pr.name as prize, pr.kind as prize_kind, pr.place,
       a.candidate_id, c.organisation_name, c.person_name, c.entry_number, a.granted_eur, a.decided_on,
       a.decision_id
from awards a join prizes pr on pr.id = a.prize_id join candidates c on c.id = a.candidate_id
where pr.edition_id = :edition_id and a.undone_at is null
order by pr.position, pr.id, a.id

-- name: delib_edition_candidates
-- Candidates of an edition with what prizes and grants are checked against.
select c.id, c.organisation_name, c.person_name, c.entry_number, c.category_id, c.legal_form,
       coalesce(c.insee_code, '') as insee_code, coalesce(m.name, c.commune_label) as commune,
       c.requested_eur
from candidates c left join communes m on m.insee_code = c.insee_code
where c.edition_id = :edition_id
order by c.id

-- name: delib_insert_award
insert into awards (prize_id, candidate_id, decision_id, granted_eur, decided_on)
values (:prize_id, :candidate_id, :decision_id, :granted_eur, :decided_on)
returning id

-- name: delib_grant_round
-- The round grants follow when none is named: the edition's last committee round with a submitted sheet.
select r.id from rounds r
where r.edition_id = :edition_id and r.kind = 'committee'
  and exists (select 1 from score_sheets s where s.round_id = r.id and s.status = 'submitted')
order by r.position desc
limit 1

-- name: delib_grant_entries
-- The entries of the round a grant follows: whether each still competes and has a submitted, marked sheet.
select cr.candidate_id, cr.status,
       exists (select 1 from score_sheets s
               where s.round_id = cr.round_id and s.candidate_id = cr.candidate_id
                 and s.status = 'submitted' and not s.abstained) as judged
from candidate_rounds cr
where cr.round_id = :round_id
order by cr.candidate_id

-- name: delib_communes_92
select insee_code from communes where department_code = '92'

-- Undoing decisions ----------------------------------------------------------------------------------

-- name: delib_decision_to_undo
-- A decision with what undoing it depends on: its edition's state, its round's, the next round's, and
-- the award (with its diploma) it gave. Locks the decision's row, so it is undone once.
select d.id, d.kind, d.edition_id, d.round_id, d.candidate_id, d.undone_at, d.based_on,
       e.status as edition_status, e.slug as edition_slug,
       r.status as round_status, r.kind as round_kind, r.position as round_position,
       (select n.id from rounds n where n.edition_id = d.edition_id and n.position > r.position
        order by n.position limit 1) as next_round_id,
       (select n.status from rounds n where n.edition_id = d.edition_id and n.position > r.position
        order by n.position limit 1) as next_round_status,
       a.id as award_id, a.prize_id, a.granted_eur, pr.name as prize_name, pr.kind as prize_kind,
       dp.id as diploma_id, dp.revoked_at as diploma_revoked_at, dp.verification_code
from decisions d
join editions e on e.id = d.edition_id
left join rounds r on r.id = d.round_id
left join awards a on a.decision_id = d.id
left join prizes pr on pr.id = a.prize_id
left join diplomas dp on dp.award_id = a.id
where d.id = :decision_id
for update of d

-- name: delib_mark_decision_undone
update decisions set undone_at = :now::timestamptz, undone_by = :undone_by, undo_reason = :reason
where id = :decision_id and undone_at is null
returning id

-- name: delib_undo_award
update awards set undone_at = :now::timestamptz where id = :award_id and undone_at is null
returning id

-- name: delib_revoke_award_diploma
-- The diploma of an undone award: revoked with the undo's reason, so its public verification says so.
update diplomas set revoked_at = :now::timestamptz, revoked_reason = :reason
where award_id = :award_id and revoked_at is null
returning id

-- name: delib_withdraw_next_round_entry
-- An undone advancement: the candidate leaves the next round (still a draft: no sheet exists there) with
-- the assignments made for them in it.
with gone as (
    delete from assignments a using panels p
    where p.id = a.panel_id and p.round_id = :next_round_id and a.candidate_id = :candidate_id
)
delete from candidate_rounds where round_id = :next_round_id and candidate_id = :candidate_id

-- name: delib_decision_edition
select edition_id from decisions where id = :decision_id

-- name: delib_closed_ballots_of_round
-- The closed ballots of a round, offered as the reference of a prize on the decisions page.
select b.id, b.title, p.name as panel_name from ballots b join panels p on p.id = b.panel_id
where b.round_id = :round_id and b.status = 'closed'
order by b.id

-- name: delib_ballot_result
-- A ballot's round, state and result, for a prize sheet that cites it.
select id, round_id, title, status, result from ballots where id = :ballot_id

-- name: delib_chair_decisions
-- The prizes and grants of an edition decided in rounds this person chairs, still standing: what the
-- chair may correct once the edition is decided.
select d.id, d.kind, d.round_id, r.name as round_name, d.candidate_id, c.organisation_name, c.person_name,
       c.entry_number, pr.name as prize_name, a.granted_eur, d.reason, d.decided_at
from decisions d
join rounds r on r.id = d.round_id
join candidates c on c.id = d.candidate_id
left join awards a on a.decision_id = d.id
left join prizes pr on pr.id = a.prize_id
where d.edition_id = :edition_id and d.undone_at is null and d.kind in ('award', 'laureate')
  and exists (select 1 from panels p join panel_members pm on pm.panel_id = p.id
              where p.round_id = d.round_id and pm.person_id = :person_id and pm.role = 'chair')
order by d.decided_at, d.id

-- name: delib_edition_state
select id, status, slug from editions where id = :edition_id
