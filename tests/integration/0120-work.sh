#!/usr/bin/env bash
# comptoir work removes what has expired, and only that.
. "$(dirname "$0")/../lib/test-lib.sh"

test_shop_new || test_bail "no shop of its own"
sessions_of() {
	sql "SELECT COUNT(*) FROM staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id WHERE u.email = '$1'"
}

test_expect_success 'an expired session and an old failure count are removed, live ones stay' '
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/picker login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	sql "UPDATE staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id
		SET s.last_seen_at = NOW(6) - INTERVAL 2 HOUR WHERE u.email = \"$SHOP_PICKER\"" &&
	now_us="CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)" &&
	sql "INSERT INTO login_throttle (shop_id, scope, subject, tat_us) VALUES
		((SELECT id FROM shops WHERE code = \"$SHOP_CODE\"), \"account\", \"old@$SHOP_CODE.example\", $now_us - 1000000),
		((SELECT id FROM shops WHERE code = \"$SHOP_CODE\"), \"account\", \"new@$SHOP_CODE.example\", $now_us + 600000000)" &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once &&
	[ "$(sessions_of "$SHOP_PICKER")" = 0 ] &&
	[ "$(sessions_of "$SHOP_OWNER")" -ge 1 ] &&
	[ "$(sql "SELECT COUNT(*) FROM staff_sessions WHERE last_seen_at < NOW(6) - INTERVAL 1800 SECOND")" = 0 ] &&
	[ "$(sql "SELECT subject FROM login_throttle WHERE subject LIKE \"%@$SHOP_CODE.example\"")" = "new@$SHOP_CODE.example" ] &&
	http GET / && test_status 200
'

test_expect_success 'idempotency keys are kept 48 hours, then removed' '
	shop=$(sql "SELECT id FROM shops WHERE code = \"$SHOP_CODE\"") &&
	sql "INSERT INTO idempotency_keys (shop_id, idem_key, request_hash, status_code, response, created_at) VALUES
		($shop, \"t0120-old\", REPEAT(\"x\", 32), 201, \"{}\", NOW(6) - INTERVAL 49 HOUR),
		($shop, \"t0120-day\", REPEAT(\"x\", 32), 201, \"{}\", NOW(6) - INTERVAL 25 HOUR)" &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once &&
	[ "$(sql "SELECT GROUP_CONCAT(idem_key) FROM idempotency_keys WHERE idem_key LIKE \"t0120-%\"")" = "t0120-day" ] &&
	sql "DELETE FROM idempotency_keys WHERE idem_key LIKE \"t0120-%\""
'

test_expect_success 'the worker runs until SIGTERM and then stops' '
	"$CPT_BIN" --config "$CPT_CONFIG" work --interval 1 >"$TEST_TMP/work.log" 2>&1 &
	pid=$! && sleep 0.5 && kill -TERM "$pid" && wait "$pid" &&
	grep -q "work: stopped" "$TEST_TMP/work.log"
'

sql "DELETE FROM login_throttle"
test_done
