-- Cancel, automatic cancel of unpaid orders, deleting a test order
-- (issue 13: W4, W5, W10).

-- invoice_number: the number of the order's invoice, NULL while it has
-- none. The documents issue sets it when it invoices the order; a cancel
-- of an order that has one sets credit_note_due (migration 009), which
-- the documents issue reads to issue the credit note.
-- k_orders_unpaid: the worker's claim of overdue unpaid orders (W5) scans
-- the unpaid orders of one status, oldest first, and locks only those.
ALTER TABLE orders
  ADD COLUMN invoice_number VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER number,
  ADD UNIQUE KEY uk_orders_invoice (shop_id, invoice_number),
  ADD KEY k_orders_unpaid (shop_id, payment_state, status, placed_at, id);

-- What happened to a shop that no order's history can hold, because the
-- order is gone: a deleted test order (W10) leaves here who deleted it,
-- when, and what it was (code, number, customer, total, lines).
CREATE TABLE shop_log (
  shop_id      BIGINT UNSIGNED NOT NULL,
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  actor_type   ENUM('staff','api','customer','system') NOT NULL,
  actor_id     BIGINT UNSIGNED NULL,
  actor_label  VARCHAR(255) NOT NULL DEFAULT '',
  action       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  details      TEXT NOT NULL,
  PRIMARY KEY (shop_id, id),
  KEY k_shop_log_id (id),
  CONSTRAINT fk_shop_log_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
