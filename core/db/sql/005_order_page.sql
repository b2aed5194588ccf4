-- The order page: staff's internal notes on an order (never shown to
-- customers), and the orders each staff member opened last.

CREATE TABLE order_notes (
  shop_id       BIGINT UNSIGNED NOT NULL,
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id      BIGINT UNSIGNED NOT NULL,
  staff_id      BIGINT UNSIGNED NULL,               -- NULL once the account is gone
  author_label  VARCHAR(255) NOT NULL DEFAULT '',   -- the author's name as it was
  body          TEXT NOT NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  KEY k_order_notes_order (shop_id, order_id, id),
  KEY k_order_notes_id (id),
  CONSTRAINT fk_order_notes_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Notes written before this table were history events only.
INSERT INTO order_notes (shop_id, order_id, staff_id, author_label, body, created_at)
  SELECT shop_id, order_id, actor_id, actor_label, JSON_VALUE(details, '$.note'), at
  FROM order_events WHERE action = 'order.note_added' AND JSON_VALUE(details, '$.note') IS NOT NULL
  ORDER BY shop_id, id;

-- At most a few rows per staff member (order_recent_record keeps 10).
CREATE TABLE staff_recent_orders (
  shop_id    BIGINT UNSIGNED NOT NULL,
  staff_id   BIGINT UNSIGNED NOT NULL,
  order_id   BIGINT UNSIGNED NOT NULL,
  viewed_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, staff_id, order_id),
  KEY k_staff_recent_viewed (shop_id, staff_id, viewed_at),
  CONSTRAINT fk_staff_recent_staff FOREIGN KEY (shop_id, staff_id) REFERENCES staff_users (shop_id, id) ON DELETE CASCADE,
  CONSTRAINT fk_staff_recent_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
