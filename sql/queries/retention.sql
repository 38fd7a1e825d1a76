-- Personal-data retention (`jury purge`). Every update only touches rows not yet purged, so a second run
-- changes nothing and reports zeros; each returns how many rows it changed.

-- name: retention_edition_id_by_slug
select id from editions where slug = :slug

-- name: retention_edition
-- What the retention period starts from: the decision date, else the last round's closure. A round is
-- closed for good (moves only go forward), and every move is audited, so the last `round.moved` event
-- of a fully closed edition dates its end; the rounds' scheduled days stand in for data loaded without it.
select e.id, e.slug, e.status, e.decision_on, e.retention_months, e.purged_at,
       (select count(*) from rounds r where r.edition_id = e.id) as rounds,
       (select count(*) from rounds r where r.edition_id = e.id and r.status <> 'closed') as unclosed_rounds,
       (select max(a.occurred_at)
        from audit_events a
        join rounds r on a.target = 'round:' || r.id
        where r.edition_id = e.id and a.action = 'round.moved') as last_round_move,
       (select max(r.scheduled_on) from rounds r where r.edition_id = e.id) as last_round_day
from editions e
where e.id = :edition_id

-- name: retention_lock_edition
-- One purge of an edition at a time, and no concurrent edit of the edition row while it runs.
select id from editions where id = :edition_id for update

-- name: retention_blank_contacts
-- Everyone's e-mail and phone go: nobody needs to reach a candidate once the edition is over. The
-- placeholder keeps the column's e-mail check satisfied and can never be delivered (RFC 6761).
with changed as (
    update candidates
    set email = 'purge-' || id || '@invalid.example', phone = ''
    where edition_id = :edition_id
      and (email <> 'purge-' || id || '@invalid.example' or phone <> '')
    returning 1
)
select count(*) from changed

-- name: retention_blank_non_laureate_names
-- Laureates keep their names (diplomas are public and verifiable); the others lose the name of the
-- person. A candidate known only by that name gets a neutral label, since a candidate must have one.
with laureates as (
    select a.candidate_id from awards a join candidates c on c.id = a.candidate_id
    where c.edition_id = :edition_id
    union
    select d.candidate_id from decisions d
    where d.edition_id = :edition_id and d.kind in ('award', 'laureate')
    union
    select cr.candidate_id from candidate_rounds cr join rounds r on r.id = cr.round_id
    where r.edition_id = :edition_id and cr.status = 'laureate'
), changed as (
    update candidates c
    set person_name = case when length(trim(c.organisation_name)) > 0 then ''
                           else 'Candidat n° ' || coalesce(c.entry_number, c.id) end
    where c.edition_id = :edition_id
      and c.id not in (select candidate_id from laureates)
      and c.person_name <> case when length(trim(c.organisation_name)) > 0 then ''
                                else 'Candidat n° ' || coalesce(c.entry_number, c.id) end
    returning 1
)
select count(*) from changed

-- name: retention_count_laureates
select count(distinct l.candidate_id)
from (
    select a.candidate_id from awards a join candidates c on c.id = a.candidate_id
    where c.edition_id = :edition_id
    union
    select d.candidate_id from decisions d
    where d.edition_id = :edition_id and d.kind in ('award', 'laureate')
    union
    select cr.candidate_id from candidate_rounds cr join rounds r on r.id = cr.round_id
    where r.edition_id = :edition_id and cr.status = 'laureate'
) l

-- name: retention_blank_sheet_comments
-- The sheet's general comment and the reason of an abstention (which must stay non-empty).
with changed as (
    update score_sheets s
    set comment = '',
        abstention_reason = case when s.abstained then :placeholder else '' end
    from rounds r
    where r.id = s.round_id and r.edition_id = :edition_id
      and (s.comment <> ''
           or s.abstention_reason <> case when s.abstained then :placeholder else '' end)
    returning 1
)
select count(*) from changed

-- name: retention_blank_score_comments
with changed as (
    update sheet_scores ss
    set comment = ''
    from score_sheets s join rounds r on r.id = s.round_id
    where ss.sheet_id = s.id and r.edition_id = :edition_id and ss.comment <> ''
    returning 1
)
select count(*) from changed

-- name: retention_blank_note_texts
-- Notes stay (how many, by whom, when) but not what they said; the text must stay non-empty.
with changed as (
    update deliberation_notes n
    set text = :placeholder
    from rounds r
    where r.id = n.round_id and r.edition_id = :edition_id and n.text <> :placeholder
    returning 1
)
select count(*) from changed

-- name: retention_blank_conflict_reasons
-- The declared conflict stays (it explains an assignment); why it exists, often a family or business
-- tie, goes.
with changed as (
    update conflict_declarations cd
    set reason = :placeholder
    from rounds r
    where r.id = cd.round_id and r.edition_id = :edition_id and cd.has_conflict and cd.reason <> :placeholder
    returning 1
)
select count(*) from changed

-- name: retention_delete_sheet_submissions
-- The answers kept for tablets' retries hold copies of the sheets, comments included.
with changed as (
    delete from sheet_submissions ss
    using rounds r
    where r.id = ss.round_id and r.edition_id = :edition_id
    returning 1
)
select count(*) from changed

-- name: retention_delete_minutes
-- Stored procès-verbaux print jurors' names, conflict reasons and notes; asked again, one is drawn up from
-- what the purge left.
with changed as (
    delete from minutes_jobs m
    using rounds r
    where r.id = m.round_id and r.edition_id = :edition_id
    returning 1
)
select count(*) from changed

-- name: retention_revoke_access_codes
with changed as (
    update access_codes set revoked_at = :purged_at
    where edition_id = :edition_id and revoked_at is null
    returning 1
)
select count(*) from changed

-- name: retention_mark_purged
update editions set purged_at = :purged_at where id = :edition_id
