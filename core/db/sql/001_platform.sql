-- Platform: shops (mirrored from the YAML config), staff accounts, sessions,
-- login throttling. Every shop-owned table starts its keys with shop_id.

CREATE TABLE shops (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code        VARCHAR(32) NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uk_shops_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE staff_users (
  shop_id        BIGINT UNSIGNED NOT NULL,
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email          VARCHAR(254) NOT NULL,
  display_name   VARCHAR(120) NOT NULL DEFAULT '',
  password_hash  VARCHAR(255) NOT NULL,
  role           ENUM('owner','staff','picker') NOT NULL,
  locale         ENUM('fr','en') NOT NULL DEFAULT 'fr',
  disabled       TINYINT(1) NOT NULL DEFAULT 0,
  created_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (shop_id, id),
  UNIQUE KEY uk_staff_users_email (shop_id, email),
  KEY k_staff_users_id (id),
  CONSTRAINT fk_staff_users_shop FOREIGN KEY (shop_id) REFERENCES shops (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the hash of the cookie token is stored: a stolen dump opens nothing.
CREATE TABLE staff_sessions (
  shop_id       BIGINT UNSIGNED NOT NULL,
  token_hash    BINARY(32) NOT NULL,
  user_id       BIGINT UNSIGNED NOT NULL,
  csrf_token    CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_seen_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  remote_addr   VARCHAR(45) NOT NULL DEFAULT '',
  user_agent    VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (shop_id, token_hash),
  KEY k_staff_sessions_user (shop_id, user_id),
  KEY k_staff_sessions_seen (last_seen_at),
  CONSTRAINT fk_staff_sessions_user FOREIGN KEY (shop_id, user_id)
    REFERENCES staff_users (shop_id, id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins in the current window, per account and per client address.
CREATE TABLE login_failures (
  shop_id       BIGINT UNSIGNED NOT NULL,
  scope         ENUM('account','address') NOT NULL,
  subject       VARCHAR(254) NOT NULL,
  window_start  DATETIME(6) NOT NULL,
  failures      INT UNSIGNED NOT NULL,
  PRIMARY KEY (shop_id, scope, subject),
  KEY k_login_failures_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
