#!/usr/bin/env bash
# security.key_file: the host secret is checked when the configuration is
# read, every problem at the key's file:line:col; serve needs it.
. "$(dirname "$0")/../lib/test-lib.sh"

CONF=$TEST_TMP/comptoir.yaml
KEY=$TEST_TMP/secret.key
# conf KEY_FILE_LINE: the test stack's configuration with its own socket
# and the given security section (empty: none).
conf() {
	sed -e "s|^  shops: shops.d|  shops: $CPT_STACK_DIR/etc/shops.d|" \
		-e "s|^  socket: .*comptoir.sock|  socket: $TEST_TMP/comptoir.sock|" \
		-e "/^security:/,\$d" "$CPT_CONFIG" >"$CONF"
	[ -z "$1" ] || printf 'security:\n  %s\n' "$1" >>"$CONF"
}
line_of_key() { grep -n "key_file:" "$CONF" | cut -d: -f1; }
check() { "$CPT_BIN" check-config "$CONF" >"$TEST_TMP/out" 2>&1; }
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }

test_expect_success 'a good key file, readable by its owner only, passes' '
	(umask 077 && openssl rand -hex 32 >"$KEY") && conf "key_file: $KEY" && check && out_has ": ok"
'

test_expect_success 'group read is allowed (a service group), not group write' '
	chmod 640 "$KEY" && check &&
	chmod 660 "$KEY" && ! check && out_has "$CONF:$(line_of_key):13: the key file" &&
	out_has "(mode 660): chmod 600 it" && chmod 600 "$KEY"
'

test_expect_success 'a key file others may read is refused at the key'"'"'s place' '
	chmod 644 "$KEY" && ! check &&
	out_has "$CONF:$(line_of_key):13: the key file '"'"'$KEY'"'"' may be read or written by other users (mode 644)" &&
	chmod 600 "$KEY"
'

test_expect_success 'a missing key file is refused, saying how to make one' '
	conf "key_file: $TEST_TMP/none.key" && ! check &&
	out_has "$CONF:$(line_of_key):13: cannot open the key file" && out_has "openssl rand -hex 32"
'

test_expect_success 'a short key, a long one, or one that is not hex is refused' '
	conf "key_file: $KEY" &&
	(umask 077 && openssl rand -hex 16 >"$KEY") && ! check &&
	out_has "$CONF:$(line_of_key):13: the key file" && out_has "must hold 64 hex digits" &&
	(umask 077 && openssl rand -hex 33 >"$KEY") && ! check && out_has "must hold 64 hex digits" &&
	(umask 077 && printf "%064d\n" 0 | tr 0 g >"$KEY") && ! check && out_has "must hold 64 hex digits"
'

test_expect_success 'a relative key file is taken from the folder of comptoir.yaml' '
	(umask 077 && openssl rand -hex 32 >"$KEY") && conf "key_file: secret.key" && check &&
	conf "key_file: ./elsewhere.key" && ! check && out_has "$TEST_TMP/elsewhere.key"
'

test_expect_success 'without a key file, serve refuses to start and says what to do' '
	conf "" && ! timeout 20 "$CPT_BIN" --config "$CONF" serve >"$TEST_TMP/out" 2>&1 &&
	out_has "security.key_file is not set" && out_has "openssl rand -hex 32" &&
	[ ! -S "$TEST_TMP/comptoir.sock" ]
'

test_expect_success 'without a key file, no API key can be made' '
	! "$CPT_BIN" --config "$CONF" shop api-key --shop atelier --name t0075 >"$TEST_TMP/out" 2>&1 &&
	out_has "no security.key_file" &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE name = \"t0075\"")" = 0 ]
'

test_expect_success 'a key stored before migration 004 (unkeyed hash) works once and is rehashed' '
	key=cpt_t0075_legacy_$RANDOM$RANDOM &&
	plain=$(/usr/bin/python3 "$SRC_DIR/tests/lib/blake2b.py" "$key") &&
	keyed=$(/usr/bin/python3 "$SRC_DIR/tests/lib/blake2b.py" \
		--key-file "$(dirname "$CPT_CONFIG")/secret.key" --subkey 1 "$key") &&
	sql "INSERT INTO api_keys (shop_id, name, prefix, key_hash, legacy_hash)
		SELECT id, \"t0075-legacy\", LEFT(\"$key\", 8), UNHEX(\"$plain\"), 1 FROM shops WHERE code = \"cave\"" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: atelier.localhost" \
		-H "Authorization: Bearer $key" "http://127.0.0.1:$CPT_PORT/api/v1/products") && test_status 401 &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: cave.localhost" \
		-H "Authorization: Bearer $key" "http://127.0.0.1:$CPT_PORT/api/v1/products") && test_status 200 &&
	[ "$(sql "SELECT CONCAT(legacy_hash, LOWER(HEX(key_hash))) FROM api_keys WHERE name = \"t0075-legacy\"")" = "0$keyed" ] &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: cave.localhost" \
		-H "Authorization: Bearer $key" "http://127.0.0.1:$CPT_PORT/api/v1/products") && test_status 200
'
sql "DELETE FROM api_keys WHERE name = 't0075-legacy'"

test_done
