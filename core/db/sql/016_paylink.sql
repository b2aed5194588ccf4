-- The payment link (issue 14, P6, C3), the payment reminder (P7) and the
-- workflow's "paid" status.
--
-- A link is 256 random bits (token_new, libsodium randombytes) in
-- base64url, kept as is so that staff can show and copy it again; it is
-- found only together with the shop of the host it is asked on, so
-- another shop's host answers like an unknown token. Regenerating it
-- revokes the old one (revoked_at set; a revoked link answers 404). At
-- most one live link per order: the order's row lock serialises changes.
CREATE TABLE payment_links (
  shop_id     BIGINT UNSIGNED NOT NULL,
  token       CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  order_id    BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  revoked_at  DATETIME(6) NULL,
  PRIMARY KEY (shop_id, token),
  KEY k_payment_links_order (shop_id, order_id, revoked_at),
  CONSTRAINT fk_payment_links_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When `comptoir work` wrote the order's payment reminder (once per
-- order); NULL while none was sent. An instant column: no table rebuild.
ALTER TABLE orders
  ADD COLUMN payment_reminded_at DATETIME(6) NULL;

-- The status a paid order moves to when its status lets the customer pay
-- (at most one per shop: conf/wf_conf.c checks the default and presets).
ALTER TABLE shop_statuses
  MODIFY flags SET('sale','final','customer_may_pay','cancels','arrival','completed','paid') NOT NULL DEFAULT '';

-- The shops already here were given the default workflow: its
-- "processing" becomes their paid status, as conf/workflow.yaml now says.
-- No shop had the flag before this migration.
UPDATE shop_statuses SET flags = CONCAT(flags, IF(flags = '', '', ','), 'paid')
  WHERE code = 'processing' AND retired = 0;
UPDATE shops SET statuses_version = statuses_version + 1
  WHERE id IN (SELECT shop_id FROM shop_statuses WHERE FIND_IN_SET('paid', flags));
