-- Grounding Studio security: user accounts, their roles and personal API tokens.
-- Passwords are stored only as (delegating, bcrypt) hashes; API tokens only as the SHA-256 hex of the token,
-- with a short display prefix so a user can tell their tokens apart. Plaintexts are never stored.

create table users (
    id            bigserial primary key,
    username      text        not null unique check (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
    display_name  text        not null,
    password_hash text        not null,
    enabled       boolean     not null default true,
    created_at    timestamptz not null default now()
);

create table user_roles (
    user_id bigint not null references users (id) on delete cascade,
    role    text   not null check (role in ('ADMIN', 'CURATOR', 'REVIEWER', 'ANNOTATOR')),
    primary key (user_id, role)
);

create table api_tokens (
    id           bigserial primary key,
    user_id      bigint      not null references users (id) on delete cascade,
    name         text        not null check (length(name) between 1 and 100),
    token_hash   char(64)    not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    prefix       text        not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id, id);
