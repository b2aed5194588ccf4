-- Stock (issue 13): the history of every product's stock. Written by
-- core/stock/ (the one writer of the stock columns) in the transaction of
-- the change it records: who, when, what, and the stock before and after.
CREATE TABLE product_events (
  shop_id          BIGINT UNSIGNED NOT NULL,
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  product_id       BIGINT UNSIGNED NOT NULL,
  at               DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  actor_type       ENUM('staff','api','customer','system') NOT NULL,
  actor_id         BIGINT UNSIGNED NULL,
  actor_label      VARCHAR(255) NOT NULL DEFAULT '',
  -- reserved / released for an order, adjusted by staff, set by the storefront
  action           ENUM('reserved','released','adjusted','set') NOT NULL,
  -- why: intake, cancel, edit, quote, delete, adjust, storefront
  cause            VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  order_id         BIGINT UNSIGNED NULL,
  reason           VARCHAR(255) NOT NULL DEFAULT '',
  on_hand_before   INT NOT NULL,
  on_hand_after    INT NOT NULL,
  reserved_before  INT NOT NULL,
  reserved_after   INT NOT NULL,
  PRIMARY KEY (shop_id, id),
  KEY k_product_events_product (shop_id, product_id, id),
  KEY k_product_events_order (shop_id, order_id),
  KEY k_product_events_id (id),
  CONSTRAINT fk_product_events_product FOREIGN KEY (shop_id, product_id) REFERENCES products (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
