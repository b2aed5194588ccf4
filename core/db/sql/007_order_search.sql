-- The search box: every searchable word of an order, folded (lowercase,
-- no accents: core/util/fold.h), one row per order, kind and word. A
-- prefix typed in the box is a range of the primary key ("dup" is
-- term >= 'dup' AND term < 'duq'); several words intersect the orders.
-- One B-tree, clustered by word, and no foreign key: each order writes
-- some 20 rows at intake, and a second index or a parent check per row
-- was measured to cost intake too much (rows go with their shop, as
-- test_shop_remove does; orders are never deleted alone).
-- kind is enum search_kind of core/orders/search.h; line_no says which
-- line a product word came from (0 when none). Written with the order in
-- its transaction (intake, seed, the reference field); `comptoir migrate`
-- fills it for the orders already there when it creates it, as does
-- `comptoir search reindex`.
CREATE TABLE order_search (
  shop_id   BIGINT UNSIGNED NOT NULL,
  order_id  BIGINT UNSIGNED NOT NULL,
  kind      TINYINT UNSIGNED NOT NULL,
  term      VARBINARY(64) NOT NULL,
  line_no   SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (shop_id, term, order_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
