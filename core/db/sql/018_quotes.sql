-- Quotes (W7): what an order would be, kept in tables of their own rather
-- than as orders of kind 'quote' (002 left that column, always 'order').
-- Why apart: every reader of orders (the list and its counts, the CSV, the
-- dashboard's counters and last orders, the search words, auto-cancel,
-- the payments) would need "AND kind = 'order'", and the list's indexes
-- (006) would carry it as a leading column to stay exact; one reader
-- forgetting it shows a quote as an order. A quote holds no stock, no
-- number, no payment and no status of the workflow: none of those columns
-- mean anything for it. It becomes an order through intake
-- (core/orders/quote.c), once: order_id is set in that order's transaction.
CREATE TABLE quotes (
  shop_id               BIGINT UNSIGNED NOT NULL,
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code                  CHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version               BIGINT UNSIGNED NOT NULL DEFAULT 0,
  from_order_id         BIGINT UNSIGNED NULL,
  order_id              BIGINT UNSIGNED NULL,
  currency              CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  prices_include_vat    TINYINT(1) NOT NULL,
  lines_cents           BIGINT NOT NULL,
  shipping_cents        BIGINT NOT NULL DEFAULT 0,
  shipping_vat_rate     INT UNSIGNED NOT NULL DEFAULT 0,
  total_ex_vat_cents    BIGINT NOT NULL,
  total_vat_cents       BIGINT NOT NULL,
  total_cents           BIGINT NOT NULL,
  vat_breakdown         TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payment_method        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  carrier               VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  total_weight_g        BIGINT UNSIGNED NOT NULL DEFAULT 0,
  customer_id           BIGINT UNSIGNED NULL,
  customer_title        VARCHAR(20) NOT NULL DEFAULT '',
  customer_first_name   VARCHAR(100) NOT NULL DEFAULT '',
  customer_last_name    VARCHAR(100) NOT NULL DEFAULT '',
  customer_email        VARCHAR(254) NOT NULL DEFAULT '',
  customer_phone        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  customer_locale       CHAR(2) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'fr',
  created_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_quotes_code (shop_id, code),
  KEY k_quotes_id (id),
  CONSTRAINT fk_quotes_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The quote's addresses, copied from its order: intake needs them when
-- the quote becomes an order.
CREATE TABLE quote_addresses (
  shop_id   BIGINT UNSIGNED NOT NULL,
  quote_id  BIGINT UNSIGNED NOT NULL,
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
  PRIMARY KEY (shop_id, quote_id, kind),
  CONSTRAINT fk_quote_addresses_quote FOREIGN KEY (shop_id, quote_id) REFERENCES quotes (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The quote's lines: the columns of order_lines that a quote has (no
-- stock held, nothing shipped or returned).
CREATE TABLE quote_lines (
  shop_id             BIGINT UNSIGNED NOT NULL,
  quote_id            BIGINT UNSIGNED NOT NULL,
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
  customisable        TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, quote_id, line_no),
  CONSTRAINT fk_quote_lines_quote FOREIGN KEY (shop_id, quote_id) REFERENCES quotes (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The history of a quote, as order_events is an order's.
CREATE TABLE quote_events (
  shop_id      BIGINT UNSIGNED NOT NULL,
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  quote_id     BIGINT UNSIGNED NOT NULL,
  at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  actor_type   ENUM('staff','api','customer','system') NOT NULL,
  actor_id     BIGINT UNSIGNED NULL,
  actor_label  VARCHAR(255) NOT NULL DEFAULT '',
  action       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  details      TEXT NOT NULL,
  PRIMARY KEY (shop_id, id),
  KEY k_quote_events_quote (shop_id, quote_id, id),
  KEY k_quote_events_id (id),
  CONSTRAINT fk_quote_events_quote FOREIGN KEY (shop_id, quote_id) REFERENCES quotes (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
