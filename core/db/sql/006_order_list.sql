-- The order list (L1-L6, L9): what the list sorts and filters on, and the
-- views staff save.
--
-- Each sort of the list is read in index order from where the page's
-- cursor stands (keyset pages: never OFFSET). closed is 0 for an open
-- order, 1 completed, 2 cancelled: the list hides the last two by
-- default, so `closed = 0` is an equality on the index's second column
-- and every default page is a range of one index. first_product is the
-- name of the order's first line, copied at intake so that the list can
-- sort on it without a join.
ALTER TABLE orders
  ADD COLUMN first_product VARCHAR(255) NOT NULL DEFAULT '' AFTER title,
  ADD COLUMN closed TINYINT UNSIGNED AS (CASE status WHEN 'completed' THEN 1 WHEN 'cancelled' THEN 2 ELSE 0 END) PERSISTENT,
  ADD KEY k_orders_list_placed (shop_id, closed, placed_at, id),
  ADD KEY k_orders_list_number (shop_id, closed, number, id),
  ADD KEY k_orders_list_total (shop_id, closed, total_cents, id),
  ADD KEY k_orders_list_title (shop_id, closed, title, id),
  ADD KEY k_orders_list_customer (shop_id, closed, customer_code, id),
  ADD KEY k_orders_list_product (shop_id, closed, first_product, id);

UPDATE orders o JOIN order_lines l ON l.shop_id = o.shop_id AND l.order_id = o.id AND l.line_no = 1
  SET o.first_product = l.name;

-- A named filter and sort (the list's query string), for its author or
-- shared with the whole shop.
CREATE TABLE saved_views (
  shop_id     BIGINT UNSIGNED NOT NULL,
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  staff_id    BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(100) NOT NULL,
  query       VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  shared      TINYINT(1) NOT NULL DEFAULT 0,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  KEY k_saved_views_staff (shop_id, staff_id),
  KEY k_saved_views_shared (shop_id, shared),
  KEY k_saved_views_id (id),
  CONSTRAINT fk_saved_views_staff FOREIGN KEY (shop_id, staff_id) REFERENCES staff_users (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
