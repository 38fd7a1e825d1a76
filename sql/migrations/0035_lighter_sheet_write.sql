-- The sheet write with less work per call (issue 18: PostgreSQL's CPU per sheet on the tablets' path).
--
-- * The idempotency key is claimed with a transaction-level advisory lock on the key, and its row is
--   written once, with the answer, at the end: a second request with the same key still waits for the
--   first to end and then replays what it stored, but the row is no longer inserted empty and updated.
-- * `score_sheets.idempotency_key` keeps the key of the write that made the version, without a unique
--   index: `sheet_submissions.key` is the key's one record. A sheet's update then changes no indexed
--   column and can stay on its page (HOT), which the lower fill factor leaves room for; the marks too.
-- * The grid's digest is kept on the category (`categories.grid_digest`, refreshed by triggers on
--   `criteria` in the statement that changes the grid) instead of building the grid as JSON to hash it
--   on every write. It is the digest `scoring_round_pair` computes: md5 of `jury_sheet_grid`.

alter table score_sheets drop constraint score_sheets_idempotency_key_key;
alter table score_sheets set (fillfactor = 80);
alter table sheet_scores set (fillfactor = 80);

alter table categories add column grid_digest text;
update categories c set grid_digest = md5(jury_sheet_grid(c.id)::text);
alter table categories alter column grid_digest set not null,
                       alter column grid_digest set default md5('[]');

create function jury_refresh_grid_digests() returns trigger
language plpgsql as $$
begin
    -- `changed` holds the criteria rows the statement wrote or deleted, `previous` (updates) the rows
    -- before it: a criterion moved to another category changes both grids.
    if tg_op = 'UPDATE' then
        update categories c set grid_digest = md5(jury_sheet_grid(c.id)::text)
         where c.id in (select category_id from changed union select category_id from previous);
    else
        update categories c set grid_digest = md5(jury_sheet_grid(c.id)::text)
         where c.id in (select category_id from changed);
    end if;
    return null;
end;
$$;

create trigger criteria_grid_digest_insert after insert on criteria
    referencing new table as changed for each statement execute function jury_refresh_grid_digests();
create trigger criteria_grid_digest_update after update on criteria
    referencing old table as previous new table as changed
    for each statement execute function jury_refresh_grid_digests();
create trigger criteria_grid_digest_delete after delete on criteria
    referencing old table as changed for each statement execute function jury_refresh_grid_digests();

create or replace function jury_save_sheet(
    p_round_id integer, p_candidate_id integer, p_person_id integer, p_edition_id integer, p_key uuid,
    p_now timestamptz, p_version integer, p_grid_digest text, p_valid boolean, p_status text,
    p_abstained boolean, p_abstention_reason text, p_comment text, p_criterion_ids integer[],
    p_marks numeric[], p_comments text[], p_answer_tail bytea, p_actor_id integer, p_actor_label text,
    p_action text, p_digest text,
    out replayed boolean, out sheet_id bigint, out status_code integer, out response bytea,
    out owner_person_id integer, out owner_round_id integer, out owner_candidate_id integer
)
language plpgsql as $$
#variable_conflict use_column
declare
    v_round record;
    v_panel integer;
    v_grid_digest text;
    v_sheet record;
begin
    -- 1. The round's share lock: a round being closed waits for the sheets in flight, and a sheet written
    --    after the close sees the new status (the row is read again after a wait).
    select r.id, r.edition_id, r.status into v_round from rounds r where r.id = p_round_id for share;
    if not found or v_round.edition_id <> p_edition_id
       or v_round.status not in ('open', 'deliberation', 'closed') then
        raise exception using errcode = 'JY000', message = 'round';
    end if;
    select k.grid_digest into v_grid_digest
      from candidates c join categories k on k.id = c.category_id
     where c.id = p_candidate_id and c.edition_id = v_round.edition_id;
    if not found then
        raise exception using errcode = 'JY000', message = 'candidate';
    end if;
    -- 2. The key's claim: another request holding it makes this wait for its end; committed, answer with
    --    what it stored (the service checks it was this juror's, for this sheet). The lock is the claim;
    --    the key's row is written with the answer (6.), and the select after the wait sees it.
    perform pg_advisory_xact_lock(hashtextextended(p_key::text, 0));
    select true, x.sheet_id, x.status_code, x.response, x.person_id, x.round_id, x.candidate_id
      into replayed, sheet_id, status_code, response, owner_person_id, owner_round_id, owner_candidate_id
      from sheet_submissions x where x.key = p_key;
    if found then
        return;
    end if;
    -- 3. The assignment's share lock: a conflict declared at the same moment (which deletes it) waits for
    --    this sheet, then deletes it too; a sheet written after the declaration finds no assignment.
    select a.panel_id into v_panel
      from assignments a join panels p on p.id = a.panel_id
     where p.round_id = p_round_id and a.person_id = p_person_id and a.candidate_id = p_candidate_id
     order by a.panel_id
     limit 1
       for share of a;
    if exists (select 1 from conflict_declarations d
                where d.round_id = p_round_id and d.person_id = p_person_id
                  and d.candidate_id = p_candidate_id and d.has_conflict) then
        raise exception using errcode = 'JY000', message = 'conflicted';
    end if;
    if v_panel is null then
        raise exception using errcode = 'JY000', message = 'not_assigned';
    end if;
    if v_round.status <> 'open' then
        raise exception using errcode = 'JY000', message = 'not_open';
    end if;
    if exists (select 1
                 from assignments a
                 join panels p on p.id = a.panel_id
                 left join conflict_declarations d
                        on d.round_id = p.round_id and d.person_id = a.person_id
                       and d.candidate_id = a.candidate_id
                where p.round_id = p_round_id and a.person_id = p_person_id and d.candidate_id is null) then
        raise exception using errcode = 'JY000', message = 'declarations';
    end if;
    if v_grid_digest = md5('[]') then
        raise exception using errcode = 'JY000', message = 'no_grid';
    end if;
    if v_grid_digest <> p_grid_digest then
        raise exception using errcode = 'JY000', message = 'grid';
    end if;
    -- 4. The version the tablet edited must be the stored one; then the marks' validity (checked by the
    --    service against this very grid).
    select s.id, s.version into v_sheet
      from score_sheets s
     where s.round_id = p_round_id and s.person_id = p_person_id and s.candidate_id = p_candidate_id;
    if coalesce(v_sheet.version, 0) <> p_version then
        raise exception using errcode = 'JY000', message = 'version';
    end if;
    if not p_valid then
        raise exception using errcode = 'JY000', message = 'invalid';
    end if;
    -- 5. The write. Two first saves racing: the second waits on the unique index and inserts nothing; a
    --    later save over a version another writer moved on updates nothing: both are version conflicts.
    if v_sheet.id is null then
        insert into score_sheets (round_id, panel_id, person_id, candidate_id, status, abstained,
                                  abstention_reason, comment, version, idempotency_key, submitted_at,
                                  created_at, updated_at)
        values (p_round_id, v_panel, p_person_id, p_candidate_id, p_status, p_abstained, p_abstention_reason,
                p_comment, 1, p_key, case when p_status = 'submitted' then p_now end, p_now, p_now)
        on conflict (round_id, person_id, candidate_id) do nothing
        returning id into sheet_id;
        if sheet_id is null then
            raise exception using errcode = 'JY000', message = 'version';
        end if;
        status_code := 201;
    else
        update score_sheets
           set status = p_status, abstained = p_abstained, abstention_reason = p_abstention_reason,
               comment = p_comment, version = version + 1, idempotency_key = p_key, updated_at = p_now,
               submitted_at = case when p_status = 'submitted' then p_now end
         where id = v_sheet.id and version = p_version
        returning id into sheet_id;
        if sheet_id is null then
            raise exception using errcode = 'JY000', message = 'version';
        end if;
        delete from sheet_scores x where x.sheet_id = v_sheet.id and x.criterion_id <> all(p_criterion_ids);
        status_code := 200;
    end if;
    -- The scale is copied from the criterion so the table's own check refuses a value outside it.
    insert into sheet_scores as s (sheet_id, criterion_id, scale_min, scale_max, value, comment)
    select jury_save_sheet.sheet_id, k.id, k.scale_min, k.scale_max, v.value, v.comment
      from unnest(p_criterion_ids, p_marks, p_comments) as v(criterion_id, value, comment)
      join criteria k on k.id = v.criterion_id
    on conflict (sheet_id, criterion_id) do update
       set scale_min = excluded.scale_min, scale_max = excluded.scale_max, value = excluded.value,
           comment = excluded.comment
     -- a mark saved again unchanged (a tablet's autosave) is not written again
     where (s.scale_min, s.scale_max, s.value, s.comment)
           is distinct from (excluded.scale_min, excluded.scale_max, excluded.value, excluded.comment);
    -- 6. The answer, stored for replays (the service built it without the id, which is known only now),
    --    and the audit event, sealed into the chain after the commit.
    response := convert_to('{"id":' || jury_save_sheet.sheet_id, 'UTF8') || p_answer_tail;
    insert into sheet_submissions (key, person_id, round_id, candidate_id, created_at, sheet_id, status_code,
                                   response)
    values (p_key, p_person_id, p_round_id, p_candidate_id, p_now, jury_save_sheet.sheet_id,
            jury_save_sheet.status_code, jury_save_sheet.response);
    insert into audit_pending (occurred_at, actor_id, actor_label, action, target, digest)
    values (p_now, p_actor_id, p_actor_label, p_action, 'sheet:' || jury_save_sheet.sheet_id, p_digest);
    replayed := false;
end;
$$;
