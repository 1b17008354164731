-- Grounding Studio core schema: datasets, images, items, append-only caption revisions,
-- phrases, masks, model versions and import runs.
-- Revisions, phrases and masks are append-only: a trigger refuses UPDATE, and DELETE unless
-- the transaction explicitly asks for a purge (SET LOCAL studio.allow_purge = 'on').

create table model_versions (
    id          bigserial primary key,
    name        text        not null unique,
    description text,
    model_dir   text,
    parent_id   bigint references model_versions (id),
    created_at  timestamptz not null default now()
);

create table datasets (
    id          bigserial primary key,
    name        text        not null unique,
    description text,
    created_at  timestamptz not null default now(),
    created_by  text
);

-- An image of a dataset. The bytes live in the content-addressed store under the data directory
-- (path derived from content_hash); only metadata is here.
create table images (
    id            bigserial primary key,
    dataset_id    bigint      not null references datasets (id) on delete cascade,
    file_name     text        not null,
    content_hash  char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
    media_type    text        not null,
    byte_size     bigint      not null check (byte_size >= 0),
    width         integer     not null check (width > 0),
    height        integer     not null check (height > 0),
    source        text,
    split         text        not null default 'train' check (split in ('train', 'val', 'test')),
    created_at    timestamptz not null default now(),
    unique (dataset_id, file_name)
);
create index images_content_hash_idx on images (content_hash);

create table items (
    id                 bigserial primary key,
    dataset_id         bigint      not null references datasets (id) on delete cascade,
    image_id           bigint      not null unique references images (id) on delete cascade,
    status             text        not null default 'NEW'
                       check (status in ('NEW', 'PREFILLED', 'IN_PROGRESS', 'SUBMITTED', 'ACCEPTED', 'REJECTED')),
    latest_revision_id bigint,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
-- items of a dataset by status (grid, queues, export filters), in id order for keyset paging
create index items_dataset_status_idx on items (dataset_id, status, id);
create index items_dataset_updated_idx on items (dataset_id, updated_at);

create table caption_revisions (
    id               bigserial primary key,
    item_id          bigint      not null references items (id) on delete cascade,
    parent_id        bigint references caption_revisions (id),
    caption          text        not null,
    origin           text        not null check (origin in ('import', 'model', 'human')),
    author           text        not null,
    model_version_id bigint references model_versions (id),
    content_hash     char(64)    not null,
    source           text,
    warnings         text[]      not null default '{}',
    timings          jsonb,
    created_at       timestamptz not null default now(),
    check (origin <> 'model' or model_version_id is not null)
);
-- revisions of an item, newest first (history, latest revision)
create index caption_revisions_item_idx on caption_revisions (item_id, id desc);

alter table items add constraint items_latest_revision_fk
    foreign key (latest_revision_id) references caption_revisions (id);

create table phrases (
    id           bigserial primary key,
    revision_id  bigint  not null references caption_revisions (id) on delete cascade,
    ordinal      integer not null check (ordinal >= 0),
    start_offset integer not null check (start_offset >= 0),
    end_offset   integer not null,
    text         text    not null,
    check (end_offset > start_offset),
    unique (revision_id, ordinal)
);

-- One instance mask. phrase_id is null for a mask that belongs to no phrase (GLaMM can emit
-- more [SEG] masks than phrases); ordinal orders the masks of a revision.
create table masks (
    id          bigserial primary key,
    revision_id bigint  not null references caption_revisions (id) on delete cascade,
    phrase_id   bigint references phrases (id) on delete cascade,
    ordinal     integer not null check (ordinal >= 0),
    rle_counts  text    not null,
    height      integer not null check (height > 0),
    width       integer not null check (width > 0),
    area        bigint  not null check (area >= 0),
    bbox_x      integer not null,
    bbox_y      integer not null,
    bbox_w      integer not null,
    bbox_h      integer not null,
    unique (revision_id, ordinal)
);
create index masks_phrase_idx on masks (phrase_id);

create function studio_refuse_history_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and coalesce(current_setting('studio.allow_purge', true), '') = 'on' then
        return old;
    end if;
    raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'restrict_violation';
end;
$$;

create trigger caption_revisions_append_only before update or delete on caption_revisions
    for each row execute function studio_refuse_history_change();
create trigger phrases_append_only before update or delete on phrases
    for each row execute function studio_refuse_history_change();
create trigger masks_append_only before update or delete on masks
    for each row execute function studio_refuse_history_change();

create table import_runs (
    id              bigserial primary key,
    dataset_id      bigint      not null references datasets (id) on delete cascade,
    format          text        not null,
    source          text        not null,
    started_by      text        not null,
    started_at      timestamptz not null default now(),
    finished_at     timestamptz,
    status          text        not null default 'RUNNING' check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    records_read    bigint      not null default 0,
    records_created bigint      not null default 0,
    records_updated bigint      not null default 0,
    records_unchanged bigint    not null default 0,
    records_failed  bigint      not null default 0,
    masks_stored    bigint      not null default 0
);

create table import_problems (
    id           bigserial primary key,
    run_id       bigint not null references import_runs (id) on delete cascade,
    file         text   not null,
    record_index bigint,
    field        text,
    reason       text   not null
);
create index import_problems_run_idx on import_problems (run_id, id);
