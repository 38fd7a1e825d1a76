-- Failed sign-in attempts, counted per credential and per browser session (issue 17: a venue's tablets).
--
-- A refused password or access code adds one row per key it counts against: `code:<hash of the code>`,
-- `email:<hash of the address>`, `session:<random token kept in the session>`. A key with too many rows
-- within the window refuses further attempts (429 with Retry-After) until its oldest counted failure leaves
-- the window; a successful sign-in forgets its keys. Neither codes nor addresses are stored, only hashes.
-- The per-address ceiling stays Litestar's throttle (the key-value store), generous enough for a venue.

create table sign_in_failures (
    key text not null check (key ~ '^(code|email|session):[A-Za-z0-9_-]{16,128}$'),
    failed_at timestamptz not null
);

create index sign_in_failures_key_time on sign_in_failures (key, failed_at);
create index sign_in_failures_time on sign_in_failures (failed_at);
