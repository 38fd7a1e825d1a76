-- The round's lock in the sheet write as an advisory lock shared by the writers (issue 18), instead of a
-- FOR SHARE row lock: every write of a round locked the same `rounds` row, which made PostgreSQL create a
-- multixact for each new set of concurrent writers, write it to the WAL and rewrite the row's page. The
-- round's move (`lock_round_writes`, taken exclusively before the round is read) still waits for the
-- writes in flight, and a write that comes after it waits, then reads the new status.

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
    -- 1. The round's shared lock (`jury.rounds.service`'s move takes it exclusively): a round being closed
    --    waits for the sheets in flight, and a sheet written after the close sees the new status (the row
    --    is read after the wait, by a statement of its own).
    perform pg_advisory_xact_lock_shared(hashtext('jury:round'), p_round_id);
    select r.id, r.edition_id, r.status into v_round from rounds r where r.id = p_round_id;
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
