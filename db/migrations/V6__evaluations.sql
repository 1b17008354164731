-- GCG evaluations: a model version's predictions scored against a dataset's human-accepted test split (the
-- current accepted items, or a snapshot's). One row per run, never changed; the numbers are in metrics (jsonb,
-- the GcgReport fields without per-image scores). snapshot_id/snapshot_number name the snapshot when there was
-- one (no foreign key: snapshots are another feature's table).

create table evaluations (
    id                       bigserial primary key,
    model_version_id         bigint      not null references model_versions (id),
    dataset_id               bigint      not null references datasets (id) on delete cascade,
    snapshot_id              bigint,
    snapshot_number          integer,
    text_similarity          text        not null,
    similarity_official      boolean     not null,
    items_evaluated          integer     not null check (items_evaluated > 0),
    items_missing_prediction integer     not null check (items_missing_prediction >= 0),
    metrics                  jsonb       not null,
    created_at               timestamptz not null default now(),
    created_by               text        not null,
    check ((snapshot_id is null) = (snapshot_number is null)),
    check (items_missing_prediction <= items_evaluated)
);
-- a model version's evaluations, newest first (API, models page)
create index evaluations_model_idx on evaluations (model_version_id, created_at desc, id desc);
create index evaluations_dataset_idx on evaluations (dataset_id, created_at desc);
