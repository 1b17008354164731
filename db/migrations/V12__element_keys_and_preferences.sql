-- Issue 14: stable identities of phrases and masks, carried from revision to revision (colours and review comments
-- follow them). Null in rows written before: the key is then the position (phrase ordinal, mask ordinal), which is
-- what every reader assumes for them. Adding a column rewrites no row (the append-only triggers stay quiet).
alter table phrases add column element_key integer check (element_key >= 0);
alter table masks add column element_key integer check (element_key >= 0);

-- Issue 14: per-user preferences (owned by the preferences module), e.g. the editor's own key bindings: one JSON
-- object per user and name, replaced as a whole.
create table user_preferences (
    username   text        not null,
    name       text        not null check (name ~ '^[a-z][a-z0-9.-]{0,63}$'),
    value      jsonb       not null check (jsonb_typeof(value) = 'object'),
    updated_at timestamptz not null default now(),
    primary key (username, name)
);
