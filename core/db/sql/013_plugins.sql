-- The plugin host (issue 14): each shop's settings of each loaded plugin,
-- and the state plugins keep on orders.

-- One row per shop and plugin, once the owner (or a shops.d preset) set it
-- up. `settings`: the plain values, a JSON object; `secrets`: the secret
-- ones, a JSON object sealed with crypto_secretbox (key derived from the
-- host secret for this shop and plugin), `secrets_nonce` its nonce.
CREATE TABLE shop_plugins (
  shop_id        BIGINT UNSIGNED NOT NULL,
  plugin         VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  enabled        TINYINT(1) NOT NULL DEFAULT 0,
  settings       JSON NOT NULL,
  secrets        VARBINARY(8192) NULL,
  secrets_nonce  BINARY(24) NULL,
  source         ENUM('preset','owner') NOT NULL DEFAULT 'owner',
  updated_by     BIGINT UNSIGNED NULL,
  updated_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, plugin),
  CONSTRAINT fk_shop_plugins_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What a plugin remembers of an order (a provider's session or
-- transaction id), found again by value when a webhook names it.
CREATE TABLE plugin_order_state (
  shop_id     BIGINT UNSIGNED NOT NULL,
  order_id    BIGINT UNSIGNED NOT NULL,
  plugin      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  k           VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  v           VARCHAR(1000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  updated_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, order_id, plugin, k),
  KEY k_plugin_state_value (shop_id, plugin, k, v(191)),
  CONSTRAINT fk_plugin_state_order FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
