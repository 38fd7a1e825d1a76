-- A juror's sheet write in one statement (issue 18): `jury_save_sheet` runs every check of
-- `jury.scoring.sheets.save_sheet` under the same locks and in the same order, claims the idempotency key,
-- writes the sheet with its marks, stores the answer for the key's replays and records the audit event
-- (`audit_pending`, sealed after the commit), so that the tablets' busiest write needs neither BEGIN nor
-- COMMIT round trips: one statement is its own transaction. A refusal raises SQLSTATE JY000 with its kind
-- as the message, which rolls the whole statement back, the key's claim included (only accepted answers
-- are stored and replayed), and the service turns it into the same 403/404/409/422 as before.
--
-- The service validates the marks before the call against the grid it read earlier (kept per process)
-- and passes that grid's digest: the function refuses with kind `grid` when the grid changed since, and
-- the service reads it again and retries, so a mark is never validated against a stale grid.

create function jury_sheet_grid(p_category_id integer) returns jsonb
language sql stable as $$
    select coalesce(jsonb_agg(jsonb_build_object(
               'id', k.id, 'code', k.code, 'label', k.label, 'help', k.help,
               'scale_min', k.scale_min::text, 'scale_max', k.scale_max::text,
               'scale_step', k.scale_step::text, 'weight', k.weight::text,
               'comment_required', k.comment_required, 'eliminatory', k.eliminatory)
             order by k.position, k.id), '[]'::jsonb)
    from criteria k where k.category_id = p_category_id
$$;

create function jury_save_sheet(
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
    v_category integer;
    v_panel integer;
    v_grid jsonb;
    v_sheet record;
begin
    -- 1. The round's share lock: a round being closed waits for the sheets in flight, and a sheet written
    --    after the close sees the new status (the row is read again after a wait).
    select r.id, r.edition_id, r.status into v_round from rounds r where r.id = p_round_id for share;
    if not found or v_round.edition_id <> p_edition_id
       or v_round.status not in ('open', 'deliberation', 'closed') then
        raise exception using errcode = 'JY000', message = 'round';
    end if;
    select c.category_id into v_category
      from candidates c where c.id = p_candidate_id and c.edition_id = v_round.edition_id;
    if not found then
        raise exception using errcode = 'JY000', message = 'candidate';
    end if;
    -- 2. The key's claim: another request holding it makes this wait for its end; committed, answer with
    --    what it stored (the service checks it was this juror's, for this sheet).
    insert into sheet_submissions (key, person_id, round_id, candidate_id, created_at)
    values (p_key, p_person_id, p_round_id, p_candidate_id, p_now)
    on conflict (key) do nothing;
    if not found then
        select true, x.sheet_id, x.status_code, x.response, x.person_id, x.round_id, x.candidate_id
          into replayed, sheet_id, status_code, response, owner_person_id, owner_round_id, owner_candidate_id
          from sheet_submissions x where x.key = p_key;
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
    v_grid := jury_sheet_grid(v_category);
    if v_grid = '[]'::jsonb then
        raise exception using errcode = 'JY000', message = 'no_grid';
    end if;
    if md5(v_grid::text) <> p_grid_digest then
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
           comment = excluded.comment;
    -- 6. The answer, stored for replays (the service built it without the id, which is known only now),
    --    and the audit event, sealed into the chain after the commit.
    response := convert_to('{"id":' || jury_save_sheet.sheet_id, 'UTF8') || p_answer_tail;
    update sheet_submissions x
       set sheet_id = jury_save_sheet.sheet_id, status_code = jury_save_sheet.status_code,
           response = jury_save_sheet.response
     where x.key = p_key;
    insert into audit_pending (occurred_at, actor_id, actor_label, action, target, digest)
    values (p_now, p_actor_id, p_actor_label, p_action, 'sheet:' || jury_save_sheet.sheet_id, p_digest);
    replayed := false;
end;
$$;
