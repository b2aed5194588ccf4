#!/usr/bin/env bash
# The log cannot be forged: what a request sends is escaped in the line
# that quotes it, so one event stays one line.
. "$(dirname "$0")/../lib/test-lib.sh"

log=$CPT_STACK_DIR/log/comptoir.log
# (The e-mail is lower-cased before it is logged: so is the forged line.)
forged="2026-12-01t09:00:00.000z comptoir info: login: owner@atelier.example on shop atelier"
sql "DELETE FROM login_failures"
trap 'sql "DELETE FROM login_failures"; rm -rf "$TEST_TMP"' EXIT

# The lines the log gained since it was $1 bytes long.
log_since() { tail -c +"$(($1 + 1))" "$log"; }

# failed_login EMAIL: a login with that (form-encoded) e-mail and a wrong
# password; the lines it added to the log go to $TEST_TMP/new.
failed_login() {
	local csrf size i
	http GET /login && csrf=$(form_value csrf) &&
	size=$(stat -c %s "$log") &&
	http POST /login --data "csrf=$csrf&password=wrong-password-1" --data "email=$1" &&
	test_status 401 || return 1
	for i in $(seq 1 20); do log_since "$size" | grep -q "login failed" && break; sleep 0.1; done
	# Each request also has its own line (log.requests), written after the
	# answer, and a thread whose connection a previous script killed says
	# it reconnects (with several processes, the first request to reach it
	# may be this one): the event is the other line.
	log_since "$size" | grep -v -e "^[^ ]* comptoir info: request ts=" \
		-e "^[^ ]* comptoir warn: db: connection closed by the server while idle: reconnecting$" \
		>"$TEST_TMP/new"
	cat "$TEST_TMP/new"
}

test_expect_success 'a failed login whose e-mail holds a line feed leaves one log line' '
	failed_login "nobody@atelier.example%0a$forged" &&
	[ "$(wc -l <"$TEST_TMP/new")" = 1 ] &&
	grep -qF "login failed for nobody@atelier.example\\n$forged from" "$TEST_TMP/new" &&
	! grep -qi "^2026-12-01t09:00:00.000z" "$log"
'

test_expect_success 'carriage returns and other controls are escaped too' '
	failed_login "a%0db%1bc%7fd%c2%85e@atelier.example" &&
	[ "$(wc -l <"$TEST_TMP/new")" = 1 ] &&
	grep -qF "login failed for a\\rb\\x1bc\\x7fd\\xc2\\x85e@atelier.example from" "$TEST_TMP/new" &&
	iconv -f UTF-8 -t UTF-8 "$TEST_TMP/new" >/dev/null
'

test_done
