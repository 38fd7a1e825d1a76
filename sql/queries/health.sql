-- name: ping
-- The cheapest round trip that proves the database answers.
select 1
