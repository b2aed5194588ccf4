#!/usr/bin/env bash
# A logout holds even while other requests of the same session are in
# flight: no server thread may keep trusting the session it was checking
# when the logout happened (core/auth/session.c, cache_store).
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
trap 'sql "DELETE FROM login_throttle"; rm -rf "$TEST_TMP"' EXIT
URL=http://127.0.0.1:$CPT_PORT/
ROUNDS=25
# With several comptoir serve processes, the others learn of a logout when
# their check of the session is older than sessions.cache_seconds (1 s by
# default; core/auth/session.c): the documented bound, waited for before
# the probe. Within the process that logged out, nothing waits.
CACHE_S=$(sed -n 's/^  cache_seconds: *//p' "$CPT_CONFIG")
WAIT_OTHERS=0
[ "$CPT_PROCS" -gt 1 ] && WAIT_OTHERS=$(( ${CACHE_S:-1} * 10 + 2 ))

# hammer TOKEN N: N requests of the dashboard with that session, on one
# connection, as fast as they go.
hammer() {
	local urls=() i
	for i in $(seq 1 "$2"); do urls+=("$URL"); done
	curl -s -o /dev/null -H "Host: $HOST" -b "cpt_session=$1" "${urls[@]}"
}

# probe TOKEN: 8 × 5 requests at once after the logout; prints each status.
probe() {
	local i
	for i in 1 2 3 4 5 6 7 8; do
		curl -s -o /dev/null -w '%{http_code}\n' -H "Host: $HOST" -b "cpt_session=$1" \
			"$URL" "$URL" "$URL" "$URL" "$URL" &
	done
	wait
}

test_expect_success "$ROUNDS logouts under load: not one request trusts the session afterwards" '
	for round in $(seq 1 "$ROUNDS"); do
		forget_cookies && login owner@atelier.example "$DEMO_PASSWORD" && test_status 303 &&
		token=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") && csrf=$(session_csrf) &&
		[ -n "$token" ] && [ -n "$csrf" ] || return 1
		pids=
		for i in 1 2 3 4 5 6 7 8; do hammer "$token" 60 & pids="$pids $!"; done
		sleep 0.05
		http POST /logout --data-urlencode "csrf=$csrf" && test_status 303 || return 1
		[ "$WAIT_OTHERS" = 0 ] || sleep "$((WAIT_OTHERS / 10)).$((WAIT_OTHERS % 10))"
		probe "$token" >"$TEST_TMP/probe"
		wait $pids
		if grep -q "^200" "$TEST_TMP/probe"; then
			echo "round $round: $(grep -c "^200" "$TEST_TMP/probe") of 40 requests after the logout got the dashboard"
			return 1
		fi
		[ "$(grep -c "^303" "$TEST_TMP/probe")" = 40 ] || { sort "$TEST_TMP/probe" | uniq -c; return 1; }
	done
'

test_done
