-- Pre-fill jobs: a curator's request to pre-fill items of a dataset with a model version, one job per item.
-- Inference workers claim jobs under a lease (SELECT ... FOR UPDATE SKIP LOCKED), renew it while they work and
-- submit a result that becomes the item's model revision. Worker accounts get the WORKER role, outside the human
-- role hierarchy.

alter table user_roles drop constraint user_roles_role_check;
alter table user_roles add constraint user_roles_role_check
    check (role in ('ADMIN', 'CURATOR', 'REVIEWER', 'ANNOTATOR', 'WORKER'));

create table prefill_requests (
    id               bigserial primary key,
    dataset_id       bigint      not null references datasets (id) on delete cascade,
    model_version_id bigint      not null references model_versions (id),
    priority         integer     not null default 0,
    requested_by     text        not null,
    requested_at     timestamptz not null default now(),
    jobs_queued      integer     not null default 0
);

create table prefill_jobs (
    id               bigserial primary key,
    request_id       bigint      not null references prefill_requests (id) on delete cascade,
    item_id          bigint      not null references items (id) on delete cascade,
    model_version_id bigint      not null references model_versions (id),
    priority         integer     not null default 0,
    status           text        not null default 'QUEUED'
                     check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELLED')),
    attempts         integer     not null default 0 check (attempts >= 0),
    max_attempts     integer     not null check (max_attempts > 0),
    worker           text,
    -- a fresh random token per claim: renew, result and failure must present it, so a worker whose lease ran out
    -- and whose job was claimed again cannot touch the job any more
    lease_token      uuid,
    lease_expires_at timestamptz,
    last_error       text,
    note             text,
    revision_id      bigint references caption_revisions (id),
    scores           double precision[],
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null default now(),
    check (status <> 'RUNNING' or (lease_token is not null and lease_expires_at is not null))
);

-- the claim path: queued jobs, highest priority first, then oldest
create index prefill_jobs_claim_idx on prefill_jobs (priority desc, id) where status = 'QUEUED';
-- leases that ran out (reclaimed on the claim path)
create index prefill_jobs_lease_idx on prefill_jobs (lease_expires_at) where status = 'RUNNING';
-- at most one live job per item and model version (queueing twice queues nothing new)
create unique index prefill_jobs_live_item_idx on prefill_jobs (item_id, model_version_id)
    where status in ('QUEUED', 'RUNNING');
-- statistics: finished jobs per model version over time, failed jobs
create index prefill_jobs_finished_idx on prefill_jobs (model_version_id, finished_at) where finished_at is not null;
create index prefill_jobs_failed_idx on prefill_jobs (id) where status = 'FAILED';
create index prefill_jobs_request_idx on prefill_jobs (request_id);
create index prefill_jobs_item_idx on prefill_jobs (item_id);
