-- The desk's version per shop (issue 12: the desk's reads from memory,
-- core/db/read_cache.h). Every transaction that changes what the order
-- list, the search, the dashboard or the order page show raises its
-- shop's row by one, as its last statement before COMMIT (db_desk_changed,
-- core/db/db.h); a cached read is kept under the version read before it,
-- so a change makes the shop's cached reads unmatched at once, in every
-- process. No row yet reads as version 0. A table of its own, not a row
-- of shop_counters: its figures are the order numbers, and nothing reads
-- this one but the cache.
CREATE TABLE desk_versions (
  shop_id  BIGINT UNSIGNED NOT NULL,
  version  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id),
  CONSTRAINT fk_desk_versions_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
