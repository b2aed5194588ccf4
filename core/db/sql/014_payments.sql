-- Payments (issue 14): every amount received or given back for an order,
-- written by payment_record() (core/payments/payments.c) in the
-- transaction that recomputes orders.paid_cents and payment_state.
--
-- amount_cents is signed: a payment is > 0; a refund and a reversal (a
-- payment marked not received after all: a bounced cheque) are < 0.
-- provider_event_id is what the provider calls the event (a webhook's
-- event id, a bank statement line's key): the same event again records
-- nothing. NULL for what staff record by hand (their forms carry the
-- order's version instead).
CREATE TABLE payments (
  shop_id            BIGINT UNSIGNED NOT NULL,
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id           BIGINT UNSIGNED NOT NULL,
  kind               ENUM('payment','refund','reversal') NOT NULL,
  amount_cents       BIGINT NOT NULL,
  currency           CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  method             VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  provider           VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  provider_reference VARCHAR(140) NOT NULL DEFAULT '',
  provider_event_id  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  comment            VARCHAR(255) NOT NULL DEFAULT '',
  received_on        DATE NULL,
  actor_type         ENUM('staff','api','customer','system') NOT NULL,
  actor_id           BIGINT UNSIGNED NULL,
  actor_label        VARCHAR(255) NOT NULL DEFAULT '',
  created_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_payments_event (shop_id, provider, provider_event_id),
  KEY k_payments_order (shop_id, order_id, id),
  KEY k_payments_id (id),
  CONSTRAINT fk_payments_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Credit lines of the bank statements uploaded for reconciliation (P3),
-- kept until a payment is recorded for them: what is not matched stays
-- listed. line_key names a line whatever upload brings it (the bank's own
-- reference, else a hash of what it says): a statement uploaded twice adds
-- no line, and the payment of a line uses the key as its event id.
CREATE TABLE statement_lines (
  shop_id       BIGINT UNSIGNED NOT NULL,
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  line_key      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  source        ENUM('camt053','csv') NOT NULL,
  booked_on     DATE NULL,
  amount_cents  BIGINT NOT NULL,
  currency      CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  reference     VARCHAR(140) NOT NULL DEFAULT '',
  label         VARCHAR(255) NOT NULL DEFAULT '',
  bank_ref      VARCHAR(64) NOT NULL DEFAULT '',
  uploaded_by   VARCHAR(255) NOT NULL DEFAULT '',
  uploaded_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_statement_lines_key (shop_id, line_key),
  KEY k_statement_lines_id (id),
  CONSTRAINT fk_statement_lines_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
