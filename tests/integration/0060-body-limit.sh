#!/usr/bin/env bash
# Bodies over server.max_body (1 MiB here) are refused with 413 before
# anything is done with them; nginx refuses what is over its own limit.
. "$(dirname "$0")/../lib/test-lib.sh"

head -c 2000000 /dev/zero | tr '\0' 'a' >"$TEST_TMP/2mb"
head -c 20000000 /dev/zero | tr '\0' 'a' >"$TEST_TMP/20mb"
sql "DELETE FROM login_failures"

test_expect_success 'a 2 MB form is refused by Comptoir with its own 413 page' '
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" \
		--data-binary "@$TEST_TMP/2mb" && test_status 413 &&
	body_has "Ce que vous avez envoyé est trop volumineux." &&
	header_has "^X-Frame-Options: DENY"
'

test_expect_success 'an oversized login attempt counts as no attempt at all' '
	[ "$(sql "SELECT COUNT(*) FROM login_failures")" = 0 ]
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
