-- Tables of the payments module (Flyway major version 7). Money itself lives in the event store; these tables hold
-- what the payment rail needs besides: where to pay, which Stripe events were handled, and each payout's transfer.

-- Stripe events already handled, by Stripe's event id: a redelivered webhook changes nothing a second time.
create table stripe_webhook_event (
    event_id    varchar(255) primary key,
    type        varchar(255)  not null,
    outcome     varchar(1000) not null,
    received_at timestamptz   not null
);

-- The Stripe Connect account each host is paid to. Routing data of the payment rail, not a market fact: it may
-- change or be erased without touching the ledger.
create table payout_destination (
    account_id        varchar(64)  primary key,
    stripe_account_id varchar(255) not null,
    linked_at         timestamptz  not null
);

-- Every requested payout as the ledger events left it, with the idempotency key (derived from the PayoutRequested
-- event's id) that every attempt of its transfer sends.
create table payout (
    account_id           varchar(64)  not null,
    payout_id            varchar(128) not null,
    amount_micro_credits bigint       not null,
    idempotency_key      varchar(255) not null unique,
    state                varchar(16)  not null,
    transfer_id          varchar(255),
    attempts             integer      not null default 0,
    last_error           varchar(1000),
    requested_at         timestamptz  not null,
    next_attempt_at      timestamptz  not null,
    primary key (account_id, payout_id)
);
create index payout_due on payout (next_attempt_at) where state = 'REQUESTED';

-- Unpaid earnings per account (earned, less payouts requested, plus payouts failed), for the payout threshold.
create table payout_earnings (
    account_id                 varchar(64) primary key,
    earnings_micro_credits     bigint      not null,
    earned_total_micro_credits bigint      not null
);
