-- 020 (issue 8, auditfix): refused access among the failed attempts, bounded.
-- A signed-in person refused by a route's roles, the auditor's no-write rule, a record they
-- may not see or an /audit* page they may not read is written to the audit chain as one
-- event `access_refused` -- at most once per person, route and minute. This table is that
-- bound: the first refusal of a minute inserts its row (and the event is written); every
-- further one only counts (n = n + 1), without touching the chain head, so a flood of
-- refusals neither grows the chain without limit nor queues behind its lock. It starts
-- empty: no refusal was recorded before 020, so there is nothing to backfill.
CREATE TABLE IF NOT EXISTS access_refusal (
	actor_uid  VARCHAR(64)  NOT NULL,
	route      VARCHAR(96)  NOT NULL,           -- "POST /complaints/{n}/plan"
	minute     DATETIME     NOT NULL,           -- UTC, truncated to the minute
	n          INT UNSIGNED NOT NULL DEFAULT 1, -- refusals in that minute
	first_path VARCHAR(255) NOT NULL,           -- the first refused request's path
	PRIMARY KEY (actor_uid, route, minute),
	KEY access_refusal_minute (minute)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
