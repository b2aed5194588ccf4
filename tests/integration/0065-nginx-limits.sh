#!/usr/bin/env bash
# What nginx/comptoir.conf and comptoir-http.conf stop before Comptoir sees
# it. The test stack's login limit is tools/lib/stack.sh's (STACK_LOGIN_RATE,
# STACK_LOGIN_BURST: 600r/m after a burst of 100, all its tests come from
# 127.0.0.1); the bursts here come from other loopback addresses, buckets
# of their own (new ones at each run), so the other scripts' logins are
# never counted with them.
. "$(dirname "$0")/../lib/test-lib.sh"

url=http://127.0.0.1:$CPT_PORT
addr1=127.0.3.$((RANDOM % 250 + 2))
addr2=127.0.4.$((RANDOM % 250 + 2))
# burst ADDRESS N PATH: N POSTs at once from ADDRESS, without a CSRF token
# (so Comptoir answers 403 at once and counts nothing); one status a line.
burst() {
	local i
	for i in $(seq 1 "$2"); do printf 'url = "%s%s"\noutput = "/dev/null"\n' "$url" "$3"; done >"$TEST_TMP/urls"
	curl -s --parallel --parallel-max 50 --interface "$1" -X POST \
		-H "Host: atelier.localhost" -d "email=x%40atelier.example&password=wrong" \
		-w '%{http_code}\n' -K "$TEST_TMP/urls"
}

test_expect_success '30 logins at once, as the parallel-login tests send, all reach Comptoir' '
	burst $addr1 30 /login >"$TEST_TMP/codes" &&
	[ "$(grep -c "^403$" "$TEST_TMP/codes")" = 30 ] || { sort "$TEST_TMP/codes" | uniq -c; exit 1; }
'

test_expect_success 'a burst of logins from one address gets 429 from nginx, past its burst' '
	burst $addr2 300 /login >"$TEST_TMP/codes" &&
	sort "$TEST_TMP/codes" | uniq -c &&
	[ "$(grep -c "^429$" "$TEST_TMP/codes")" -ge 1 ] &&
	[ "$(grep -c "^403$" "$TEST_TMP/codes")" -ge 30 ] &&
	[ "$(grep -vc "^403$\|^429$" "$TEST_TMP/codes")" = 0 ] &&
	grep "limiting requests" "$CPT_STACK_DIR/log/nginx-error.log" | grep "client: $addr2," |
		grep -q "zone \"comptoir_login\""
'

test_expect_success 'the login form itself is not limited, nor other addresses' '
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" --interface $addr2 -H "Host: atelier.localhost" \
		"$url/login") && test_status 200 && body_has "Se connecter" &&
	http POST /login -d "email=x" && test_status 403
'

test_expect_success 'a body over nginx'"'"'s 2m is refused by nginx, one under it by Comptoir' '
	head -c 2200000 /dev/zero | tr "\0" a >"$TEST_TMP/big" &&
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$TEST_TMP/big" &&
	test_status 413 && body_has "<center>nginx</center>" &&
	head -c 1100000 /dev/zero | tr "\0" a >"$TEST_TMP/over" &&
	http POST /login -H "Content-Type: application/x-www-form-urlencoded" --data-binary "@$TEST_TMP/over" &&
	test_status 413 && body_lacks "<center>nginx</center>"
'

test_expect_success 'the API gets nginx'"'"'s 413 as a problem document too' '
	head -c 20000000 /dev/zero | tr "\0" " " >"$TEST_TMP/huge" &&
	http POST /api/v1/orders -H "Content-Type: application/json" --data-binary "@$TEST_TMP/huge" &&
	test_status 413 && header_has "^Content-Type: application/problem+json" &&
	body_has "\"type\":\"/problems/too-large\"" && body_has "\"status\":413"
'

test_expect_success 'the site file pins what Comptoir reads and needs no fastcgi_params' '
	conf=$SRC_DIR/nginx/comptoir.conf &&
	grep -q "^fastcgi_param HTTP_HOST \$host;" "$conf" &&
	grep -q "^server_tokens off;" "$conf" &&
	! grep -q "include *fastcgi_params" "$conf" &&
	[ ! -e "$CPT_STACK_DIR/nginx/fastcgi_params" ]
'

test_done
