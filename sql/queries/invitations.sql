-- name: invitation_jurors
-- The edition's jurors with their e-mail, whether a card or invitation code is active, and when they were
-- last invited by e-mail.
select p.id as person_id, p.full_name, p.email, p.title,
       exists (select 1 from access_codes a
               where a.person_id = p.id and a.edition_id = :edition_id and a.revoked_at is null) as has_code,
       (select max(m.queued_at) from outgoing_mail m
        where m.person_id = p.id and m.edition_id = :edition_id and m.kind = 'juror_invitation') as invited_at
from people p
join edition_jurors ej on ej.person_id = p.id and ej.edition_id = :edition_id
order by p.full_name, p.id

-- name: reminder_jurors
-- Jurors of a round with sheets still to validate: assigned pairs without a submitted sheet, leaving out
-- candidates they declared a conflict with and candidates withdrawn from the round.
select a.person_id, pe.full_name, pe.email, count(*) as unfinished
from assignments a
join panels p on p.id = a.panel_id
join people pe on pe.id = a.person_id
left join score_sheets s
       on s.round_id = p.round_id and s.person_id = a.person_id and s.candidate_id = a.candidate_id
where p.round_id = :round_id
  and s.status is distinct from 'submitted'
  and not exists (select 1 from conflict_declarations d
                  where d.round_id = p.round_id and d.person_id = a.person_id
                    and d.candidate_id = a.candidate_id and d.has_conflict)
  and not exists (select 1 from candidate_rounds cr
                  where cr.round_id = p.round_id and cr.candidate_id = a.candidate_id
                    and cr.status = 'withdrawn')
group by a.person_id, pe.full_name, pe.email
order by pe.full_name, a.person_id

-- name: reminder_rounds
-- The edition's open rounds, with how many jurors and sheets are still to validate.
select r.id, r.name, r.scheduled_on,
       count(distinct a.person_id) filter (where s.status is distinct from 'submitted') as jurors,
       count(a.person_id) filter (where s.status is distinct from 'submitted') as sheets
from rounds r
left join panels p on p.round_id = r.id
left join assignments a on a.panel_id = p.id
left join score_sheets s
       on s.round_id = r.id and s.person_id = a.person_id and s.candidate_id = a.candidate_id
where r.edition_id = :edition_id and r.status = 'open'
group by r.id, r.name, r.scheduled_on, r.position
order by r.position
