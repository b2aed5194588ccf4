-- Working an order (issue 13): the outbox, and what the order actions keep
-- on the order.

-- Messages leaving the system, written in the transaction of the action
-- that sends them; the worker delivers them (state, attempts, backoff),
-- shop by shop like every query.
CREATE TABLE outbox (
  shop_id          BIGINT UNSIGNED NOT NULL,
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  kind             ENUM('email') NOT NULL,
  order_id         BIGINT UNSIGNED NULL,
  recipient        VARCHAR(254) NOT NULL,
  locale           CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'fr',
  template         VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  subject          VARCHAR(255) NOT NULL,
  body             MEDIUMTEXT NOT NULL,
  dedup_key        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  state            ENUM('pending','sending','sent','failed') NOT NULL DEFAULT 'pending',
  attempts         INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_error       VARCHAR(255) NOT NULL DEFAULT '',
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  sent_at          DATETIME(6) NULL,
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_outbox_dedup (shop_id, dedup_key),
  KEY k_outbox_due (shop_id, state, next_attempt_at),
  KEY k_outbox_order (shop_id, order_id),
  KEY k_outbox_id (id),
  CONSTRAINT fk_outbox_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- version: + 1 on every action, for the optimistic check of two staff at
-- once; the hold's reason; a credit note due once a cancelled order had an
-- invoice (invoices come later: the flag only).
ALTER TABLE orders
  ADD COLUMN version          INT UNSIGNED NOT NULL DEFAULT 0 AFTER status,
  ADD COLUMN hold_reason      VARCHAR(255) NOT NULL DEFAULT '' AFTER on_hold,
  ADD COLUMN credit_note_due  TINYINT(1) NOT NULL DEFAULT 0 AFTER hold_reason;
