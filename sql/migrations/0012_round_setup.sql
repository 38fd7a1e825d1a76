-- Setting up an edition through the pages: each round's qualification rule, panels judging some categories,
-- a category's required weight total, prizes that allow ex aequo, and the eligibility rules left as columns.

alter table rounds
    add column quota_scope text not null default 'overall' check (quota_scope in ('overall', 'zone', 'category')),
    add column wildcards integer not null default 0 check (wildcards >= 0);

-- A panel judges the candidates of these categories (none listed: every category of its round).
create table panel_categories (
    panel_id integer not null references panels (id) on delete cascade,
    category_id integer not null references categories (id) on delete cascade,
    primary key (panel_id, category_id)
);
create index panel_categories_category on panel_categories (category_id);

-- When set, the weights of the category's criteria must add up to this (Progr'ESS: 100).
alter table categories add column weights_total numeric(8, 2) check (weights_total > 0);

alter table prizes add column ex_aequo_allowed boolean not null default false;

-- Eligibility as data: the département whose communes are eligible (plus accepted_outside_insee), and the
-- import columns a candidate must fill in.
alter table editions
    add column territory_department text not null default '92',
    add column required_fields text[] not null default '{}';
