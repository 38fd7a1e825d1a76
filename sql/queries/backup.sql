-- name: backup_public_tables
-- A restore goes into an empty database only: how many tables the target already has.
select count(*) from information_schema.tables where table_schema = 'public'
