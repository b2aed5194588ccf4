#!/usr/bin/env bash
# The administration commands a hosting provider scripts against.
. "$(dirname "$0")/../lib/test-lib.sh"

cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }
# What it adds goes to a shop of its own; the demo shops are only read.
test_shop_new || test_bail "no shop of its own"
DEMO_KEY=cpt_demo_${SHOP_CODE//-/_}

test_expect_success 'migrate a second time applies nothing and changes nothing' '
	before=$(sql "SELECT COUNT(*) FROM schema_migrations") &&
	cpt migrate && out_has "0 migrations applied" &&
	[ "$(sql "SELECT COUNT(*) FROM schema_migrations")" = "$before" ] &&
	[ "$before" = "$(ls "$SRC_DIR"/core/db/sql/*.sql | wc -l)" ]
'

test_expect_success 'every table is utf8mb4 and every shop-owned key starts with shop_id' '
	[ "$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \"comptoir\" AND table_collation NOT LIKE \"utf8mb4%\"")" = 0 ] &&
	bad=$(sql "SELECT DISTINCT s.table_name FROM information_schema.statistics s
		JOIN information_schema.columns c ON c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.column_name = \"shop_id\"
		WHERE s.table_schema = \"comptoir\" AND s.seq_in_index = 1 AND s.column_name <> \"shop_id\"
		AND s.index_name NOT LIKE \"k_%_id\" AND s.index_name NOT LIKE \"p\\_%\"
		AND s.index_name NOT IN (\"k_staff_sessions_seen\", \"k_login_failures_window\")") &&
	{ [ -z "$bad" ] || { echo "keys not starting with shop_id in: $bad"; false; }; }
'

test_expect_success 'shop list shows the configured shops with their ids' '
	cpt shop list && out_has "atelier" && out_has "cave.localhost" && out_has "$SHOP_HOST" &&
	[ "$(grep -c . "$TEST_TMP/out")" = "$(ls "$CPT_STACK_DIR"/etc/shops.d/*.yaml | wc -l)" ]
'

test_expect_success 'user add refuses an unknown role' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email x@atelier.example --role admin &&
	out_has "usage:"
'

test_expect_success 'user add refuses a short password and an invalid e-mail' '
	! COMPTOIR_PASSWORD=short cpt user add --shop atelier --email y@atelier.example --role staff &&
	out_has "at least 10 characters" &&
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email not-an-email --role staff &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email IN (\"y@atelier.example\", \"not-an-email\")")" = 0 ]
'

test_expect_success 'user add refuses an e-mail already used in the shop' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop atelier --email owner@atelier.example --role staff &&
	out_has "already exists"
'

test_expect_success 'user add refuses an unknown shop' '
	! COMPTOIR_PASSWORD=some-long-password cpt user add --shop nowhere --email z@x.example --role staff &&
	out_has "no shop '"'"'nowhere'"'"'"
'

test_expect_success 'the same e-mail may be staff of two shops, separately' '
	printf "two-shops-password\n" | "$CPT_BIN" --config "$CPT_CONFIG" user add --shop "$SHOP_CODE" \
		--email owner@atelier.example --role staff --locale en >"$TEST_TMP/out" 2>&1 &&
	out_has "added to $SHOP_CODE as staff" &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email = \"owner@atelier.example\"")" = 2 ]
'

test_expect_success 'user list shows the accounts of one shop only' '
	cpt user list --shop "$SHOP_CODE" && out_has "$SHOP_OWNER" && out_has "owner@atelier.example" &&
	! grep -q "picker@atelier.example" "$TEST_TMP/out"
'

test_expect_success 'the stored password is an argon2id hash' '
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE password_hash NOT LIKE \"\$argon2id\$%\"")" = 0 ]
'

test_expect_success 'the demo keys of the README can be created, a too short key cannot' '
	cpt shop api-key --shop "$SHOP_CODE" --name demo --key "$DEMO_KEY" && out_has "$DEMO_KEY" &&
	! cpt shop api-key --shop "$SHOP_CODE" --name demo --key "$DEMO_KEY" && out_has "already exists" &&
	! cpt shop api-key --shop "$SHOP_CODE" --name short --key cpt_short &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE name = \"short\"")" = 0 ] &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $SHOP_HOST" \
		-H "Authorization: Bearer $DEMO_KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products") &&
	test_status 200 &&
	cpt shop revoke-key --shop "$SHOP_CODE" --prefix "${DEMO_KEY:0:12}" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $SHOP_HOST" \
		-H "Authorization: Bearer $DEMO_KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products") &&
	test_status 401
'

test_expect_success 'comptoir without a command prints its usage and fails' '
	! "$CPT_BIN" >"$TEST_TMP/out" 2>&1 && out_has "usage: comptoir" &&
	! "$CPT_BIN" frobnicate >"$TEST_TMP/out" 2>&1 && out_has "not a command"
'

test_done
