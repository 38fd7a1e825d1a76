-- name: store_set
insert into kv_store (namespace, key, value, expires_at)
values (:namespace, :key, :value, :expires_at)
on conflict (namespace, key) do update set value = excluded.value, expires_at = excluded.expires_at

-- name: store_get
-- A live entry only; expired rows are ignored here and purged by store_purge_expired.
select value, expires_at from kv_store
where namespace = :namespace and key = :key and (expires_at is null or expires_at > :now::timestamptz)

-- name: store_renew
update kv_store set expires_at = :expires_at where namespace = :namespace and key = :key

-- name: store_delete
delete from kv_store where namespace = :namespace and key = :key

-- name: store_delete_namespace
delete from kv_store where namespace = :namespace

-- name: store_purge_expired
delete from kv_store where expires_at is not null and expires_at <= :now::timestamptz
