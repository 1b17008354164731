-- Editing and review: per-user drafts, item locks (leases) and the append-only log of item events
-- (submits, reviews, comments). See docs/adr/0006-editing-and-review.md.

-- One draft per item and user: the editor's document (EditorDocument JSON) saved every few seconds.
-- base_revision_id is the revision the user started from; conflict_revision_id is set when a submit found a newer
-- revision than the base (the user's work was kept here instead of overwriting the newer one).
create table drafts (
    item_id              bigint      not null references items (id) on delete cascade,
    username             text        not null,
    base_revision_id     bigint references caption_revisions (id),
    conflict_revision_id bigint references caption_revisions (id),
    payload              jsonb       not null,
    version              bigint      not null check (version > 0),
    saved_at             timestamptz not null default now(),
    primary key (item_id, username)
);

-- Who edits an item now: a lease renewed by the editor's heartbeat; an expired lease may be taken over.
create table item_locks (
    item_id     bigint      primary key references items (id) on delete cascade,
    holder      text        not null,
    acquired_at timestamptz not null default now(),
    expires_at  timestamptz not null
);

-- Everything that happened to an item, with its author: submits, accepts, rejects, fixes, comments.
-- target names what a comment is about ("phrase:2", "mask:5"), null for the whole item.
create table item_events (
    id          bigserial primary key,
    item_id     bigint      not null references items (id) on delete cascade,
    kind        text        not null check (kind in ('SUBMITTED', 'ACCEPTED', 'REJECTED', 'FIXED_AND_ACCEPTED', 'COMMENTED')),
    author      text        not null,
    revision_id bigint references caption_revisions (id),
    comment     text,
    target      text check (target is null or target ~ '^(phrase|mask):[0-9]+$'),
    created_at  timestamptz not null default now()
);
create index item_events_item_idx on item_events (item_id, id);
create index item_events_author_idx on item_events (author, kind, item_id);

create trigger item_events_append_only before update or delete on item_events
    for each row execute function studio_refuse_history_change();

-- the annotation queue: items by status across datasets
create index items_status_idx on items (status, id);

-- Caption search (ILIKE '%...%') on the latest revision: a trigram index where pg_trgm is available (it is a
-- trusted extension, so a database owner may create it); without it the search still works, unindexed.
do $$
begin
    if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
        create extension if not exists pg_trgm;
        execute 'create index caption_revisions_caption_trgm_idx on caption_revisions using gin (caption gin_trgm_ops)';
    end if;
end
$$;
