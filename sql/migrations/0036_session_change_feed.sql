-- Sessions heard of when they change (issue 18): each serving process keeps the sessions it read, so a
-- tablet's request needs no database read for its session, and forgets one as soon as any process changes
-- or deletes it (sign-out, a new value, the purge). The notification is sent at the commit of the change,
-- by the database itself, so no path that writes `kv_store` can forget it. Rate-limit counters, which
-- change on every request, are not cached and send nothing.

create function jury_notify_session_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('jury_sessions', old.namespace || ' ' || old.key);
    return null;
end;
$$;

create trigger kv_store_session_changed after update or delete on kv_store
    for each row when (old.namespace like '%\_sessions')
    execute function jury_notify_session_change();
