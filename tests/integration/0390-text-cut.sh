#!/usr/bin/env bash
# Text shortened to a byte budget is cut between characters: the search
# query (200 bytes) and the display name the session cache keeps (120
# bytes) never put half a character into a page.
. "$(dirname "$0")/../lib/test-lib.sh"

RUN=$(date +%s%N | cut -c 9-15)
EMAIL=cut.$RUN@atelier.example
E=$(printf '\303\251')   # é, two bytes
name="a$(printf "$E%.0s" $(seq 119))"   # 120 characters, 239 bytes
trap 'sql "DELETE FROM staff_users WHERE email = \"$EMAIL\""; rm -rf "$TEST_TMP"' EXIT

utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null || { echo "not UTF-8:"; grep -a "$E" "$1" | od -c | tail -n 5; return 1; }; }

test_expect_success 'setup: an account whose display name is 120 characters of 239 bytes' '
	COMPTOIR_PASSWORD=$DEMO_PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add --shop atelier \
		--email "$EMAIL" --role staff --name "$name" &&
	login "$EMAIL" "$DEMO_PASSWORD" && test_status 303
'

test_expect_success 'a query of 201 bytes ending in é is cut before it, and the page is UTF-8' '
	q="a$(printf "%%C3%%A9%.0s" $(seq 100))" &&
	http GET "/search?q=$q" && test_status 200 && utf8 "$BODY" &&
	body_has "« a$(printf "$E%.0s" $(seq 99)) »"
'

test_expect_success 'a query that is not UTF-8 is no query' '
	http GET "/search?q=%FF%C3" && test_status 200 && utf8 "$BODY" && body_lacks "« "
'

test_expect_success 'pages served from the session cache keep the display name whole characters' '
	urls= && for i in $(seq 40); do urls="$urls http://127.0.0.1:$CPT_PORT/account"; done &&
	curl -s -b "$JAR" -H "Host: $HOST" $urls >"$TEST_TMP/pages" &&
	[ "$(grep -c "</html>" "$TEST_TMP/pages")" -ge 40 ] && utf8 "$TEST_TMP/pages" &&
	grep -qF "a$(printf "$E%.0s" $(seq 59))" "$TEST_TMP/pages"
'

test_done
