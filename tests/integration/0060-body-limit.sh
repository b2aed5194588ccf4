#!/usr/bin/env bash
# Bodies over server.max_body (1 MiB here) are refused with 413 before
# anything is done with them; nginx refuses what is over its own limit.
. "$(dirname "$0")/../lib/test-lib.sh"

head -c 2000000 /dev/zero | tr '\0' 'a' >"$TEST_TMP/2mb"
head -c 20000000 /dev/zero | tr '\0' 'a' >"$TEST_TMP/20mb"
sql "DELETE FROM login_throttle"
test_shop_new || test_bail "no shop of its own"

test_expect_success 'a 2 MB form is refused by Comptoir with its own 413 page' '
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/2mb" && test_status 413 &&
	body_has "Ce que vous avez envoyé est trop volumineux." &&
	header_has "^X-Frame-Options: DENY"
'

# A genuine login form (CSRF cookie and field, an account, a wrong
# password) padded past the limit: had the body been read, it would count.
# form_of SIZE: such a form of about SIZE bytes, in $TEST_TMP/form.
form_of() {
	forget_cookies && http GET /login && csrf=$(form_value csrf) && [ -n "$csrf" ] || return 1
	{ printf "csrf=%s&email=%s&password=wrong-password&pad=" "$csrf" "${SHOP_OWNER/@/%40}"
	  head -c "$1" /dev/zero | tr "\0" "p"; } >"$TEST_TMP/form"
}
attempts() {
	sql "SELECT COUNT(*) FROM login_throttle WHERE scope = 'account' AND subject = '$SHOP_OWNER'"
}

test_expect_success 'an oversized login attempt counts as no attempt at all' '
	sql "DELETE FROM login_throttle" && form_of 2000000 &&
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/form" && test_status 413 &&
	[ "$(attempts)" = 0 ]
'

test_expect_success 'the same form under the limit is read and counted (the check can tell)' '
	form_of 1000 &&
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/form" && test_status 401 &&
	[ "$(attempts)" = 1 ] && sql "DELETE FROM login_throttle"
'

test_expect_success 'a chunked 2 MB body is refused the same way' '
	http POST /login -H "Transfer-Encoding: chunked" \
		-H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/2mb" && test_status 413
'

test_expect_success 'a 20 MB body is stopped by nginx before it reaches Comptoir' '
	http POST /login --data-binary "@$TEST_TMP/20mb" && test_status 413
'

test_expect_success 'a body just under the limit is read and handled' '
	head -c 1000000 /dev/zero | tr "\0" "b" >"$TEST_TMP/1mb" &&
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/1mb" && test_status 403
'

test_expect_success 'the server still answers normally afterwards' '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		http GET /login && test_status 200 || return 1
	done
'

test_done
