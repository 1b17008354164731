-- Dataset snapshots (immutable, numbered per dataset) and finetuning runs.
-- Snapshots, their entries and pinned image splits are append-only like revisions (V1's
-- studio_refuse_history_change: UPDATE refused, DELETE only in an explicit purge).

create table snapshots (
    id            bigserial primary key,
    dataset_id    bigint      not null references datasets (id) on delete cascade,
    number        integer     not null check (number > 0),
    content_hash  char(64)    not null check (content_hash ~ '^[0-9a-f]{64}$'),
    items         integer     not null check (items > 0),
    items_train   integer     not null check (items_train >= 0),
    items_val     integer     not null check (items_val >= 0),
    items_test    integer     not null check (items_test >= 0),
    phrases       integer     not null check (phrases >= 0),
    masks         integer     not null check (masks >= 0),
    created_at    timestamptz not null default now(),
    created_by    text        not null,
    note          text,
    unique (dataset_id, number),
    check (items = items_train + items_val + items_test)
);

create table snapshot_entries (
    snapshot_id  bigint  not null references snapshots (id) on delete cascade,
    item_id      bigint  not null references items (id) on delete cascade,
    revision_id  bigint  not null references caption_revisions (id) on delete cascade,
    image_id     bigint  not null references images (id) on delete cascade,
    file_name    text    not null,
    split        text    not null check (split in ('train', 'val', 'test')),
    primary key (snapshot_id, item_id)
);
create index snapshot_entries_file_idx on snapshot_entries (snapshot_id, file_name);

-- The split an image was frozen with the first time a snapshot took it; every later snapshot reuses it,
-- whatever the percentages are by then (docs/adr/0007-snapshots-and-training-runs.md).
create table snapshot_image_splits (
    image_id    bigint      primary key references images (id) on delete cascade,
    split       text        not null check (split in ('train', 'val', 'test')),
    assigned_by text        not null check (assigned_by in ('import', 'hash')),
    created_at  timestamptz not null default now()
);

create trigger snapshots_append_only before update or delete on snapshots
    for each row execute function studio_refuse_history_change();
create trigger snapshot_entries_append_only before update or delete on snapshot_entries
    for each row execute function studio_refuse_history_change();
create trigger snapshot_image_splits_append_only before update or delete on snapshot_image_splits
    for each row execute function studio_refuse_history_change();

create table training_runs (
    id                bigserial primary key,
    snapshot_id       bigint      not null references snapshots (id),
    base_model_id     bigint      not null references model_versions (id),
    launcher          text        not null check (launcher in ('LOCAL', 'KUBERNETES', 'SLURM')),
    hyperparameters   jsonb       not null default '{}',
    status            text        not null default 'QUEUED'
                      check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    bundle_dir        text,
    pid               bigint,
    exit_code         integer,
    error             text,
    result_model_id   bigint references model_versions (id),
    created_by        text        not null,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    finished_at       timestamptz
);
create index training_runs_status_idx on training_runs (status, id);
