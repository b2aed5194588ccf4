#!/usr/bin/env bash
# Behind HTTPS (nginx sets HTTPS=on), cookies are Secure and HSTS is sent.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
test_shop_new || test_bail "no shop of its own"
https() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -sk -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" \
		-b "$JAR" -c "$JAR" --resolve "$SHOP_HOST:$CPT_TLS_PORT:127.0.0.1" "$@" \
		"https://$SHOP_HOST:$CPT_TLS_PORT$path")
}

test_expect_success 'over HTTPS the login form cookie is Secure and HSTS is on' '
	https GET /login && test_status 200 &&
	header_has "^Set-Cookie: cpt_login_csrf=.*; HttpOnly; Secure" &&
	header_has "^Strict-Transport-Security: max-age=31536000"
'

test_expect_success 'over HTTPS the session cookie is Secure' '
	csrf=$(form_value csrf) &&
	https POST /login --data-urlencode "csrf=$csrf" --data-urlencode "email=$SHOP_OWNER" \
		--data-urlencode "password=$DEMO_PASSWORD" && test_status 303 &&
	header_has "^Set-Cookie: cpt_session=[A-Za-z0-9_-]*; Path=/; SameSite=Lax; HttpOnly; Secure" &&
	https GET / && test_status 200 && body_has "Tableau de bord"
'

test_expect_success 'over plain HTTP there is no HSTS and the cookie is not Secure' '
	forget_cookies && http GET /login && test_status 200 &&
	! grep -qi "^Strict-Transport-Security" "$HEADERS" &&
	! grep -qi "^Set-Cookie:.*Secure" "$HEADERS"
'

test_done
