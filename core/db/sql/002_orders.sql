-- Orders come in: storefront API keys, the catalogue, customers, orders
-- with their lines, addresses and history, idempotency of the intake API,
-- and per-shop counters. Money is integer cents (currency beside it), VAT
-- rates are hundredths of a percent (2000 = 20 %, 550 = 5,5 %), weights are
-- grams. Orders copy what they need (snapshots): later changes to a product
-- or a customer never change an order.

-- Per-shop counters (order numbers; invoice numbers later). The row is
-- updated last in a transaction, so its lock is held only while committing.
CREATE TABLE shop_counters (
  shop_id  BIGINT UNSIGNED NOT NULL,
  name     VARCHAR(32) NOT NULL,
  value    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, name),
  CONSTRAINT fk_shop_counters_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Storefront keys: only a hash is kept; the prefix identifies a key in lists.
CREATE TABLE api_keys (
  shop_id       BIGINT UNSIGNED NOT NULL,
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name          VARCHAR(100) NOT NULL,
  prefix        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  key_hash      BINARY(32) NOT NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_used_at  DATETIME(6) NULL,
  revoked_at    DATETIME(6) NULL,
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_api_keys_hash (shop_id, key_hash),
  KEY k_api_keys_id (id),
  CONSTRAINT fk_api_keys_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The catalogue, as the storefront syncs it. Stock: on_hand is on the
-- shelf, reserved is promised to open orders; available = on_hand - reserved.
CREATE TABLE products (
  shop_id              BIGINT UNSIGNED NOT NULL,
  id                   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku                  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  ean                  VARCHAR(14) CHARACTER SET ascii COLLATE ascii_bin NULL,
  name                 VARCHAR(255) NOT NULL,
  price_cents          BIGINT NOT NULL,
  vat_rate             INT UNSIGNED NOT NULL,
  weight_g             INT UNSIGNED NOT NULL DEFAULT 0,
  track_stock          TINYINT(1) NOT NULL DEFAULT 1,
  stock_on_hand        INT NOT NULL DEFAULT 0,
  stock_reserved       INT NOT NULL DEFAULT 0,
  low_stock_threshold  INT NOT NULL DEFAULT 0,
  customisable         TINYINT(1) NOT NULL DEFAULT 0,
  active               TINYINT(1) NOT NULL DEFAULT 1,
  created_at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_products_sku (shop_id, sku),
  KEY k_products_ean (shop_id, ean),
  KEY k_products_name (shop_id, name),
  KEY k_products_id (id),
  CONSTRAINT ck_products_reserved CHECK (stock_reserved >= 0),
  CONSTRAINT fk_products_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Customers of a shop, one per e-mail address (guests included).
CREATE TABLE customers (
  shop_id      BIGINT UNSIGNED NOT NULL,
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code         VARCHAR(20) NULL,                -- imported codes; else derived from id, "C000042"
  title        VARCHAR(20) NOT NULL DEFAULT '',
  first_name   VARCHAR(100) NOT NULL DEFAULT '',
  last_name    VARCHAR(100) NOT NULL DEFAULT '',
  company      VARCHAR(255) NOT NULL DEFAULT '',
  email        VARCHAR(254) NULL,
  phone        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  has_account  TINYINT(1) NOT NULL DEFAULT 0,
  locale       CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'fr',
  created_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_customers_code (shop_id, code),
  UNIQUE KEY uk_customers_email (shop_id, email),
  KEY k_customers_name (shop_id, last_name, first_name),
  KEY k_customers_phone (shop_id, phone),
  KEY k_customers_id (id),
  CONSTRAINT fk_customers_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An order, with the totals computed once by order_totals() and the
-- customer as they were when ordering. Status is the shop's own workflow
-- step; payment and shipping states are kept apart (W11).
CREATE TABLE orders (
  shop_id               BIGINT UNSIGNED NOT NULL,
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  number                BIGINT UNSIGNED NULL,
  code                  CHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind                  ENUM('order','quote') NOT NULL DEFAULT 'order',
  title                 VARCHAR(255) NOT NULL DEFAULT '',
  status                VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payment_state         ENUM('unpaid','partially_paid','paid','partially_refunded','refunded') NOT NULL DEFAULT 'unpaid',
  shipping_state        ENUM('unshipped','partially_shipped','shipped','delivered') NOT NULL DEFAULT 'unshipped',
  on_hold               TINYINT(1) NOT NULL DEFAULT 0,
  channel               ENUM('web','phone','api','back_office') NOT NULL,
  is_test               TINYINT(1) NOT NULL DEFAULT 0,
  currency              CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  prices_include_vat    TINYINT(1) NOT NULL,
  lines_cents           BIGINT NOT NULL,
  discount_cents        BIGINT NOT NULL DEFAULT 0,
  shipping_cents        BIGINT NOT NULL DEFAULT 0,
  shipping_vat_rate     INT UNSIGNED NOT NULL DEFAULT 0,
  total_ex_vat_cents    BIGINT NOT NULL,
  total_vat_cents       BIGINT NOT NULL,
  total_cents           BIGINT NOT NULL,
  vat_breakdown         TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  paid_cents            BIGINT NOT NULL DEFAULT 0,
  payment_method        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  carrier               VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  total_weight_g        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  customer_id           BIGINT UNSIGNED NULL,
  customer_code         VARCHAR(20) NOT NULL DEFAULT '',
  customer_title        VARCHAR(20) NOT NULL DEFAULT '',
  customer_first_name   VARCHAR(100) NOT NULL DEFAULT '',
  customer_last_name    VARCHAR(100) NOT NULL DEFAULT '',
  customer_email        VARCHAR(254) NOT NULL DEFAULT '',
  customer_phone        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  customer_locale       CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'fr',
  remarks               TEXT NOT NULL,
  reference             VARCHAR(255) NOT NULL DEFAULT '',
  external_reference    VARCHAR(64) NOT NULL DEFAULT '',
  placed_at             DATETIME(6) NOT NULL,
  created_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_orders_code (shop_id, code),
  UNIQUE KEY uk_orders_number (shop_id, number),
  KEY k_orders_placed (shop_id, placed_at, id),
  KEY k_orders_status (shop_id, status, placed_at),
  KEY k_orders_customer (shop_id, customer_id, placed_at),
  KEY k_orders_external (shop_id, external_reference),
  KEY k_orders_id (id),
  CONSTRAINT fk_orders_shop FOREIGN KEY (shop_id) REFERENCES shops (id),
  CONSTRAINT fk_orders_customer FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Billing and shipping addresses, as given with the order.
CREATE TABLE order_addresses (
  shop_id   BIGINT UNSIGNED NOT NULL,
  order_id  BIGINT UNSIGNED NOT NULL,
  kind      ENUM('billing','shipping') NOT NULL,
  name      VARCHAR(200) NOT NULL,
  company   VARCHAR(255) NOT NULL DEFAULT '',
  line1     VARCHAR(255) NOT NULL,
  line2     VARCHAR(255) NOT NULL DEFAULT '',
  postcode  VARCHAR(16) NOT NULL,
  city      VARCHAR(100) NOT NULL,
  region    VARCHAR(100) NOT NULL DEFAULT '',
  country   CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  phone     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  PRIMARY KEY (shop_id, order_id, kind),
  CONSTRAINT fk_order_addresses_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Order lines: what was sold, as it was sold. Quantities shipped and
-- returned follow partial shipments (S2) and returns (R).
CREATE TABLE order_lines (
  shop_id             BIGINT UNSIGNED NOT NULL,
  order_id            BIGINT UNSIGNED NOT NULL,
  line_no             SMALLINT UNSIGNED NOT NULL,
  product_id          BIGINT UNSIGNED NULL,
  sku                 VARCHAR(64) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  ean                 VARCHAR(14) CHARACTER SET ascii COLLATE ascii_bin NULL,
  name                VARCHAR(255) NOT NULL,
  options             TEXT NOT NULL,
  quantity            INT UNSIGNED NOT NULL,
  unit_price_cents    BIGINT NOT NULL,
  vat_rate            INT UNSIGNED NOT NULL,
  discount_cents      BIGINT NOT NULL DEFAULT 0,
  total_cents         BIGINT NOT NULL,
  weight_g            BIGINT UNSIGNED NOT NULL DEFAULT 0,
  reserved_stock      TINYINT(1) NOT NULL DEFAULT 0,
  customisable        TINYINT(1) NOT NULL DEFAULT 0,
  qty_shipped         INT UNSIGNED NOT NULL DEFAULT 0,
  qty_returned        INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, order_id, line_no),
  KEY k_order_lines_product (shop_id, product_id),
  KEY k_order_lines_sku (shop_id, sku),
  CONSTRAINT fk_order_lines_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The history of an order: every action, who and when, with what changed
-- (details is JSON). Written in the transaction of the change it records.
CREATE TABLE order_events (
  shop_id      BIGINT UNSIGNED NOT NULL,
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id     BIGINT UNSIGNED NOT NULL,
  at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  actor_type   ENUM('staff','api','customer','system') NOT NULL,
  actor_id     BIGINT UNSIGNED NULL,
  actor_label  VARCHAR(255) NOT NULL DEFAULT '',
  action       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  details      TEXT NOT NULL,
  PRIMARY KEY (shop_id, id),
  KEY k_order_events_order (shop_id, order_id, id),
  KEY k_order_events_id (id),
  CONSTRAINT fk_order_events_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Intake idempotency: the first answer to a key is kept and replayed.
CREATE TABLE idempotency_keys (
  shop_id       BIGINT UNSIGNED NOT NULL,
  idem_key      VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_hash  BINARY(32) NOT NULL,
  status_code   SMALLINT UNSIGNED NOT NULL,
  response      MEDIUMTEXT NOT NULL,
  order_id      BIGINT UNSIGNED NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, idem_key),
  KEY p_idempotency_created (created_at)   -- purge by age, across shops
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
