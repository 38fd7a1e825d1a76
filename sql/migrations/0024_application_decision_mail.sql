-- The applicant hears of the organiser's decision by e-mail (accepted into the first round, or refused with
-- its reason), sent by the job queue like the acknowledgement.

alter table outgoing_mail drop constraint outgoing_mail_kind_check;
alter table outgoing_mail add constraint outgoing_mail_kind_check
    check (kind in ('application_ack', 'application_decision', 'juror_invitation', 'juror_reminder'));
