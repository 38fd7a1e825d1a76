-- name: outbox_insert
-- A message to send, queued now by the job queue (see jury.outbox.service).
insert into outgoing_mail (edition_id, kind, person_id, application_id, round_id, recipient, subject, message,
                           queued_at, queued_by)
values (:edition_id, :kind, :person_id, :application_id, :round_id, :recipient, :subject, :message, :now,
        :queued_by)
returning id

-- name: outbox_pending
-- The message of a delivery job while it is still to send (none: sent or given up already).
select id, kind, message, attempts from outgoing_mail
where id = :mail_id and status = 'queued' and message is not null

-- name: outbox_sent
-- Sent: the message (private link, access code) is not kept.
update outgoing_mail
set status = 'sent', sent_at = :now, attempts = attempts + 1, message = null, last_error = ''
where id = :mail_id

-- name: outbox_attempt_failed
-- One more failed attempt; given up, the message is cleared and the row says so.
update outgoing_mail
set attempts = attempts + 1, last_error = :error,
    status = case when :given_up then 'failed' else status end,
    message = case when :given_up then null else message end
where id = :mail_id

-- name: outbox_of_edition
-- The table of messages an organiser reads: newest first.
select m.id, m.kind, m.recipient, coalesce(pe.full_name, '') as person_name, coalesce(r.name, '') as round_name,
       m.subject, m.status, m.attempts, m.last_error, m.queued_at, m.sent_at
from outgoing_mail m
left join people pe on pe.id = m.person_id
left join rounds r on r.id = m.round_id
where m.edition_id = :edition_id and m.kind = any(:kinds::text[])
order by m.queued_at desc, m.id desc
