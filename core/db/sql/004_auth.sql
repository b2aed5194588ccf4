-- Authentication, second pass: login throttling without fixed windows, and
-- API keys hashed with the host's secret key (security.key_file).

-- Login throttling (core/auth/throttle.c): one row per bucket, a "generic
-- cell rate" counter. tat_us is the bucket's theoretical arrival time in
-- microseconds since 1970: each attempt pushes it one interval
-- (window / limit) further, and an attempt is refused while it would end
-- more than a window ahead of now. There is no window boundary to straddle.
-- Buckets: 'account' (a shop's account, for clients it has never seen),
-- 'device' (one browser that logged in to the account before) and
-- 'address' (a client address, IPv6 by /64, shop_id 0: one budget across
-- every shop of the host).
CREATE TABLE login_throttle (
  shop_id  BIGINT UNSIGNED NOT NULL,
  scope    ENUM('account','device','address') NOT NULL,
  subject  VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  tat_us   BIGINT NOT NULL,
  -- 1 + the wait in microseconds the last attempt was told (1: let in),
  -- written by the same statement, read back through LAST_INSERT_ID().
  wait_us  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, scope, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TABLE login_failures;

-- API keys: the prefix is cut to 8 characters ("cpt_" and 4), so no key is
-- ever kept whole. Rows hashed before this migration carry an unkeyed hash
-- (legacy_hash = 1): a key's first use rewrites it with the keyed hash.
ALTER TABLE api_keys
  ADD COLUMN legacy_hash TINYINT(1) NOT NULL DEFAULT 0 AFTER key_hash;
UPDATE api_keys SET legacy_hash = 1, prefix = LEFT(prefix, 8);
