#!/usr/bin/env bash
# A session of one shop opens nothing on another shop's host.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
# Two shops of its own: the wine shop's, then the print shop's (SHOP_*, HOST).
test_shop_new wine || test_bail "no wine shop of its own"
WINE_CODE=$SHOP_CODE WINE_HOST=$SHOP_HOST WINE_ID=$SHOP_ID WINE_OWNER=$SHOP_OWNER
test_shop_new print || test_bail "no print shop of its own"

test_expect_success 'log in on the print shop' '
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET / && test_status 200
'

test_expect_success 'the same cookie on the wine shop is treated as no session' '
	token=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") &&
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w "%{http_code}" -H "Host: $WINE_HOST" \
		-b "cpt_session=$token" "http://127.0.0.1:$CPT_PORT/") &&
	test_status 303 && header_has "^Location: /login"
'

# The session is the print shop owner's: had the wine shop taken it, the
# change would be to that account, so that is the account to look at.
owner_locale() {
	sql "SELECT u.locale FROM staff_users u JOIN shops s ON s.id = u.shop_id
		WHERE s.code = '$SHOP_CODE' AND u.email = '$SHOP_OWNER'"
}

test_expect_success 'nor does it allow a POST there, even with its CSRF token' '
	token=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") &&
	csrf=$(session_csrf) && [ -n "$csrf" ] && [ "$(owner_locale)" = fr ] &&
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w "%{http_code}" -H "Host: $WINE_HOST" \
		-b "cpt_session=$token" --data-urlencode "csrf=$csrf" -d "lang=en" \
		"http://127.0.0.1:$CPT_PORT/account") &&
	test_status 303 && header_has "^Location: /login" &&
	[ "$(owner_locale)" = fr ] &&
	[ "$(sql "SELECT locale FROM staff_users WHERE shop_id = $WINE_ID AND email = \"$WINE_OWNER\"")" = fr ]
'

test_expect_success 'the same POST on its own shop does change that account (the check can tell)' '
	csrf=$(session_csrf) && [ -n "$csrf" ] &&
	http POST /account --data-urlencode "csrf=$csrf" -d "lang=en" &&
	csrf=$(session_csrf) && [ "$(owner_locale)" = en ] &&
	http POST /account --data-urlencode "csrf=$csrf" -d "lang=fr" && [ "$(owner_locale)" = fr ]
'

test_expect_success 'the print shop login does not work on the wine shop' '
	HOST=$WINE_HOST JAR=$TEST_TMP/jar2 login "$SHOP_OWNER" "$DEMO_PASSWORD" &&
	test_status 401
'

test_expect_success 'staff of one shop never appear on another shop'"'"'s pages' '
	HOST=$WINE_HOST JAR=$TEST_TMP/jar3 login "$WINE_OWNER" "$DEMO_PASSWORD" &&
	HOST=$WINE_HOST JAR=$TEST_TMP/jar3 http GET / && test_status 200 &&
	body_has "Boutique $WINE_CODE" && body_lacks "$SHOP_CODE"
'

test_done
