-- Evaluation pre-fill: jobs of purpose EVALUATION ask a model version to predict on test items, including items with
-- human work; their results are stored as evaluation predictions, never as revisions, so the item's status and
-- history are untouched. Evaluations score a model version's MODEL revision or its evaluation prediction (the newer).

alter table prefill_jobs add column purpose text not null default 'PREFILL'
    check (purpose in ('PREFILL', 'EVALUATION'));

-- at most one live job per item, model version and purpose (an evaluation job may run beside a pre-fill job)
drop index prefill_jobs_live_item_idx;
create unique index prefill_jobs_live_item_idx on prefill_jobs (item_id, model_version_id, purpose)
    where status in ('QUEUED', 'RUNNING');

create table evaluation_predictions (
    id               bigserial primary key,
    model_version_id bigint      not null references model_versions (id),
    item_id          bigint      not null references items (id) on delete cascade,
    job_id           bigint      references prefill_jobs (id) on delete set null,
    -- the predicted caption with its phrases and masks (RLE), as GroundedCaption's JSON
    document         jsonb       not null,
    warnings         text[]      not null default '{}',
    timings          jsonb,
    created_at       timestamptz not null default now(),
    -- the newest prediction of a model version for an item wins (upsert)
    unique (model_version_id, item_id)
);
create index evaluation_predictions_item_idx on evaluation_predictions (item_id);
