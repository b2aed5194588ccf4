-- orders.closed follows the shop's own workflow (issue 13): 0 open, 1 a
-- final status (completed, or another final one of the shop), 2 the
-- status that cancels. Migration 006 derived it from the codes
-- 'completed' and 'cancelled', which a shop with its own statuses may
-- not have. It is now an ordinary column that every writer of
-- orders.status writes in the same statement (wf_closed() in
-- core/orders/workflow.c); the list's indexes k_orders_list_* keep it as
-- their second column, so the list's queries do not change.
ALTER TABLE orders MODIFY closed TINYINT UNSIGNED NOT NULL DEFAULT 0;

UPDATE orders o JOIN shop_statuses s ON s.shop_id = o.shop_id AND s.code = o.status
  SET o.closed = IF(FIND_IN_SET('final', s.flags), IF(FIND_IN_SET('cancels', s.flags), 2, 1), 0);

-- Migration 015 counted the sales with the default workflow's codes: count
-- them again with each shop's statuses that count as a sale (WF_SALE).
UPDATE order_hours h JOIN (
    SELECT o.shop_id, DATE_FORMAT(o.placed_at, '%Y-%m-%d %H:00:00') hour,
      SUM(s.code IS NOT NULL) sales, SUM(IF(s.code IS NOT NULL, o.total_cents, 0)) sales_cents
    FROM orders o LEFT JOIN shop_statuses s ON s.shop_id = o.shop_id AND s.code = o.status
      AND FIND_IN_SET('sale', s.flags)
    GROUP BY o.shop_id, DATE_FORMAT(o.placed_at, '%Y-%m-%d %H:00:00')) r
  ON r.shop_id = h.shop_id AND r.hour = h.hour
  SET h.sales = r.sales, h.sales_cents = r.sales_cents;
