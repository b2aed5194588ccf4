#!/usr/bin/env bash
# Sessions end after 30 min idle or 12 h in all; a new password ends them all.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
test_shop_new || test_bail "no shop of its own"
COMPTOIR_PASSWORD=session-test-password "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop "$SHOP_CODE" --email sessions@atelier.example --role staff >/dev/null 2>&1
user_sessions() {
	sql "SELECT COUNT(*) FROM staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id WHERE u.email = 'sessions@atelier.example'"
}
# Each server thread trusts a session it checked less than
# sessions.cache_seconds (1 s) ago: changes made behind the server's back
# (here with SQL, or by another process) are seen after that.
settle() { sleep 1.1; }
age_session() {
	sql "UPDATE staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id SET $1 WHERE u.email = 'sessions@atelier.example'"
}

test_expect_success 'a fresh session opens the dashboard' '
	sql "DELETE s FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE u.email = \"sessions@atelier.example\"" &&
	login sessions@atelier.example session-test-password && test_status 303 &&
	http GET / && test_status 200 && [ "$(user_sessions)" = 1 ]
'

test_expect_success 'a session seen two minutes ago is renewed by a request' '
	age_session "s.last_seen_at = NOW(6) - INTERVAL 120 SECOND" && settle &&
	http GET / && test_status 200 &&
	[ "$(sql "SELECT TIMESTAMPDIFF(SECOND, s.last_seen_at, NOW(6)) < 5 FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE u.email = \"sessions@atelier.example\"")" = 1 ]
'

test_expect_success 'after 30 minutes idle the session is over and deleted' '
	age_session "s.last_seen_at = NOW(6) - INTERVAL 1801 SECOND" && settle &&
	http GET / && test_status 303 && header_has "^Location: /login" &&
	[ "$(user_sessions)" = 0 ]
'

test_expect_success 'after 12 hours the session is over even if in use' '
	login sessions@atelier.example session-test-password && test_status 303 &&
	age_session "s.created_at = NOW(6) - INTERVAL 43201 SECOND, s.last_seen_at = NOW(6)" && settle &&
	http GET / && test_status 303 && [ "$(user_sessions)" = 0 ]
'

test_expect_success 'changing the password closes every session of the account' '
	login sessions@atelier.example session-test-password && test_status 303 &&
	JAR=$TEST_TMP/jar2 login sessions@atelier.example session-test-password &&
	[ "$(user_sessions)" = 2 ] &&
	COMPTOIR_PASSWORD=session-test-password-2 "$CPT_BIN" --config "$CPT_CONFIG" user passwd \
		--shop "$SHOP_CODE" --email sessions@atelier.example >/dev/null &&
	[ "$(user_sessions)" = 0 ] && settle &&
	http GET / && test_status 303 &&
	login sessions@atelier.example session-test-password && test_status 401 &&
	login sessions@atelier.example session-test-password-2 && test_status 303
'

test_expect_success 'a malformed session cookie is simply no session' '
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $HOST" \
		-b "cpt_session=%27%20OR%201%3D1%20--" "http://127.0.0.1:$CPT_PORT/") &&
	test_status 303
'

COMPTOIR_PASSWORD=disable-test-password "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop "$SHOP_CODE" --email disabled@atelier.example --role staff >/dev/null 2>&1
"$CPT_BIN" --config "$CPT_CONFIG" user enable --shop "$SHOP_CODE" --email disabled@atelier.example >/dev/null 2>&1
disabled_sessions() {
	sql "SELECT COUNT(*) FROM staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id WHERE u.email = 'disabled@atelier.example'"
}

test_expect_success 'disabling an account closes its sessions at once and refuses its login' '
	forget_cookies && login disabled@atelier.example disable-test-password && test_status 303 &&
	JAR=$TEST_TMP/jar3 login disabled@atelier.example disable-test-password && test_status 303 &&
	http GET / && test_status 200 && [ "$(disabled_sessions)" = 2 ] &&
	"$CPT_BIN" --config "$CPT_CONFIG" user disable --shop "$SHOP_CODE" --email Disabled@Atelier.Example \
		>"$TEST_TMP/out" && grep -q "disabled; their sessions are closed" "$TEST_TMP/out" &&
	[ "$(disabled_sessions)" = 0 ] && settle &&
	http GET / && test_status 303 && header_has "^Location: /login" &&
	JAR=$TEST_TMP/jar3 http GET / && test_status 303 &&
	forget_cookies && login disabled@atelier.example disable-test-password && test_status 401 &&
	body_has "Adresse e-mail ou mot de passe incorrect." && ! grep -q cpt_session "$JAR" &&
	"$CPT_BIN" --config "$CPT_CONFIG" user list --shop "$SHOP_CODE" | grep -q "^disabled@atelier.example.*(disabled)"
'

test_expect_success 'a disabled account enabled again logs in' '
	"$CPT_BIN" --config "$CPT_CONFIG" user enable --shop "$SHOP_CODE" --email disabled@atelier.example \
		>"$TEST_TMP/out" && grep -q "enabled" "$TEST_TMP/out" &&
	forget_cookies && login disabled@atelier.example disable-test-password && test_status 303 &&
	http GET / && test_status 200
'

test_expect_success 'disable names an account that does not exist, and changes nothing' '
	! "$CPT_BIN" --config "$CPT_CONFIG" user disable --shop "$SHOP_CODE" --email nobody@atelier.example \
		2>"$TEST_TMP/err" && grep -q "no account nobody@atelier.example" "$TEST_TMP/err" &&
	! "$CPT_BIN" --config "$CPT_CONFIG" user disable --shop cave --email disabled@atelier.example 2>/dev/null &&
	[ "$(sql "SELECT disabled FROM staff_users WHERE email = \"disabled@atelier.example\"")" = 0 ]
'

sql "DELETE FROM login_throttle"
test_done
