-- Each shop's own statuses (issue 13): copied from the default workflow
-- (conf/workflow.yaml) or the shop file's preset when the shop first
-- appears, then the owner's to change on /settings/statuses. A status is
-- never deleted (old orders keep its code): it is retired. The moves
-- allowed between them are the one transitions table of the domain.
CREATE TABLE shop_statuses (
  shop_id         BIGINT UNSIGNED NOT NULL,
  code            VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  position        SMALLINT UNSIGNED NOT NULL,
  label_fr        VARCHAR(64) NOT NULL,
  label_en        VARCHAR(64) NOT NULL,
  colour          CHAR(7) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  flags           SET('sale','final','customer_may_pay','cancels','arrival','completed') NOT NULL DEFAULT '',
  email_template  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  retired         TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, code),
  CONSTRAINT fk_shop_statuses_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE shop_status_transitions (
  shop_id    BIGINT UNSIGNED NOT NULL,
  from_code  VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  to_code    VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (shop_id, from_code, to_code),
  CONSTRAINT fk_shop_status_transitions_from FOREIGN KEY (shop_id, from_code) REFERENCES shop_statuses (shop_id, code),
  CONSTRAINT fk_shop_status_transitions_to FOREIGN KEY (shop_id, to_code) REFERENCES shop_statuses (shop_id, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- + 1 on every change of the shop's statuses: a process's cached copy is
-- checked against it (at most every sessions.cache_seconds), and it names
-- the shop's badge stylesheet (/statuses.css?v=N).
ALTER TABLE shops
  ADD COLUMN statuses_version INT UNSIGNED NOT NULL DEFAULT 0;
