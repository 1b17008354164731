-- Which process runs an import (issue 9): a run whose process is gone is marked FAILED (interrupted) at the next
-- server start or CLI attach, instead of staying RUNNING forever.
alter table import_runs
    add column owner_host       text,
    add column owner_pid        bigint,
    add column owner_started_at timestamptz,
    add column failure          text;
