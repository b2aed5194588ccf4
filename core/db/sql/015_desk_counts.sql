-- The dashboard's figures (issue 12), kept up to date by the transactions
-- that change them (intake, status change, hold: core/orders/order_counts.c)
-- so that the dashboard reads a few rows, never the shop's orders.

-- The shop's orders by status, hold, payment and shipping state: a few
-- hundred rows at most per shop, whatever its size. n may pass through 0;
-- a row is never deleted.
CREATE TABLE order_counts (
  shop_id         BIGINT UNSIGNED NOT NULL,
  status          VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  on_hold         TINYINT(1) NOT NULL,
  payment_state   ENUM('unpaid','partially_paid','paid','partially_refunded','refunded') NOT NULL,
  shipping_state  ENUM('unshipped','partially_shipped','shipped','delivered') NOT NULL,
  n               BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, status, on_hold, payment_state, shipping_state),
  CONSTRAINT fk_order_counts_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The orders placed in each hour (UTC) and those of them whose status
-- counts as a sale (WF_SALE), with their total: a day in the shop's time
-- zone is 24 rows, a month about 744.
CREATE TABLE order_hours (
  shop_id      BIGINT UNSIGNED NOT NULL,
  hour         DATETIME NOT NULL,
  n            BIGINT NOT NULL DEFAULT 0,
  sales        BIGINT NOT NULL DEFAULT 0,
  sales_cents  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, hour),
  CONSTRAINT fk_order_hours_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO order_counts (shop_id, status, on_hold, payment_state, shipping_state, n)
  SELECT shop_id, status, on_hold, payment_state, shipping_state, COUNT(*) FROM orders
  GROUP BY shop_id, status, on_hold, payment_state, shipping_state;

-- The statuses that count as a sale: WF_SALE in core/orders/workflow.c.
INSERT INTO order_hours (shop_id, hour, n, sales, sales_cents)
  SELECT shop_id, DATE_FORMAT(placed_at, '%Y-%m-%d %H:00:00'), COUNT(*),
    SUM(status IN ('received','processing','shipped','delivered','completed')),
    SUM(IF(status IN ('received','processing','shipped','delivered','completed'), total_cents, 0))
  FROM orders GROUP BY shop_id, DATE_FORMAT(placed_at, '%Y-%m-%d %H:00:00');

-- Products at or under their low-stock threshold, found through an index
-- rather than by reading the catalogue.
ALTER TABLE products
  ADD COLUMN low_stock TINYINT(1) AS (track_stock = 1 AND active = 1
    AND stock_on_hand - stock_reserved <= low_stock_threshold) PERSISTENT,
  ADD KEY k_products_low_stock (shop_id, low_stock, name);

-- What a bulk action on the order list did (L8), order by order, for the
-- summary page its POST redirects to. details is a JSON array of
-- {"code", "number", "done", "why"}.
CREATE TABLE bulk_runs (
  shop_id     BIGINT UNSIGNED NOT NULL,
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  staff_id    BIGINT UNSIGNED NOT NULL,
  label       VARCHAR(255) NOT NULL,
  done        INT UNSIGNED NOT NULL,
  refused     INT UNSIGNED NOT NULL,
  details     MEDIUMTEXT NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  KEY k_bulk_runs_id (id),
  CONSTRAINT fk_bulk_runs_staff FOREIGN KEY (shop_id, staff_id) REFERENCES staff_users (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
