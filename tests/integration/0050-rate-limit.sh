#!/usr/bin/env bash
# Failed logins are limited per account and per client address, in the
# database, so the limit holds across processes.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_failures"
COMPTOIR_PASSWORD=limit-test-password "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop atelier --email limited@atelier.example --role staff >/dev/null 2>&1
COMPTOIR_PASSWORD=limit-test-password "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop atelier --email other@atelier.example --role staff >/dev/null 2>&1

test_expect_success 'five wrong passwords are each answered 401' '
	for i in 1 2 3 4 5; do
		forget_cookies && login limited@atelier.example "wrong-$i-password" && test_status 401 || return 1
	done
'

test_expect_success 'the sixth attempt is refused with 429, even with the right password' '
	forget_cookies && login limited@atelier.example limit-test-password && test_status 429 &&
	header_has "^Retry-After: 900" && body_has "Trop de tentatives" &&
	! grep -q cpt_session "$JAR"
'

test_expect_success 'the count is in the database, not in a process' '
	[ "$(sql "SELECT failures FROM login_failures WHERE scope = \"account\" AND subject = \"limited@atelier.example\"")" = 5 ]
'

test_expect_success 'the e-mail address is matched whatever its case' '
	forget_cookies && login LIMITED@Atelier.Example limit-test-password && test_status 429
'

test_expect_success 'another account from the same address can still log in' '
	forget_cookies && login other@atelier.example limit-test-password && test_status 303
'

test_expect_success 'a window that has passed lets the account in again' '
	sql "UPDATE login_failures SET window_start = NOW(6) - INTERVAL 901 SECOND WHERE subject = \"limited@atelier.example\"" &&
	forget_cookies && login limited@atelier.example limit-test-password && test_status 303 &&
	[ "$(sql "SELECT COUNT(*) FROM login_failures WHERE scope = \"account\" AND subject = \"limited@atelier.example\"")" = 0 ]
'

test_expect_success 'twenty failures from one address block every account from it' '
	sql "DELETE FROM login_failures" &&
	for i in $(seq 1 20); do
		forget_cookies && login "nobody$i@atelier.example" "wrong-password-$i" && test_status 401 || return 1
	done &&
	forget_cookies && login other@atelier.example limit-test-password && test_status 429
'

test_expect_success 'the address limit of one shop does not block another shop' '
	HOST=cave.localhost login owner@cave.example "$DEMO_PASSWORD" && test_status 303
'

sql "DELETE FROM login_failures"
test_done
