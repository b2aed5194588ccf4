#!/usr/bin/env bash
# Logging in and out of the back office.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
test_at_exit 'sql "DELETE FROM login_throttle"'
test_shop_new || test_bail "no shop of its own"

test_expect_success 'the login form sets a CSRF cookie matching its hidden field' '
	http GET /login && test_status 200 &&
	csrf=$(form_value csrf) && [ ${#csrf} -eq 43 ] &&
	grep -q "cpt_login_csrf.*$csrf" "$JAR"
'

test_expect_success 'a wrong password is refused with 401 and a message, no session' '
	login "$SHOP_OWNER" wrong-password-1 && test_status 401 &&
	body_has "Adresse e-mail ou mot de passe incorrect." &&
	! grep -q cpt_session "$JAR"
'

test_expect_success 'an unknown e-mail gets exactly the same answer' '
	login "nobody@$SHOP_CODE.example" wrong-password-1 && test_status 401 &&
	body_has "Adresse e-mail ou mot de passe incorrect."
'

test_expect_success 'a login without the CSRF token is refused and opens no session' '
	forget_cookies &&
	http POST /login --data-urlencode "email=$SHOP_OWNER" \
		--data-urlencode "password=$DEMO_PASSWORD" && test_status 403 &&
	! grep -q cpt_session "$JAR"
'

test_expect_success 'a login with a token that does not match its cookie is refused' '
	forget_cookies && http GET /login &&
	http POST /login --data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
		--data-urlencode "email=$SHOP_OWNER" \
		--data-urlencode "password=$DEMO_PASSWORD" && test_status 403
'

test_expect_success 'the right password opens a session and lands on the dashboard' '
	forget_cookies &&
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	header_has "^Location: /\s*$" &&
	header_has "^Set-Cookie: cpt_session=[A-Za-z0-9_-]\{43\}; Path=/; SameSite=Lax; HttpOnly; Max-Age=43200" &&
	http GET / && test_status 200 &&
	body_has "Tableau de bord" && body_has "Bonjour" && body_has "$SHOP_OWNER" &&
	body_has "Que cherchez-vous ?" && body_has "Boutique $SHOP_CODE"
'

test_expect_success 'a forged X-Forwarded-Proto header does not pass for HTTPS' '
	forget_cookies && http GET /login -H "X-Forwarded-Proto: https" && header_has "Set-Cookie" &&
	! grep -qi "Set-Cookie:.*Secure" "$HEADERS"
'

test_expect_success 'only the hash of the session token is stored, the token nowhere' '
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" &&
	token=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") && [ ${#token} = 43 ] &&
	hash=$(/usr/bin/python3 "$SRC_DIR/tests/lib/blake2b.py" "$token") &&
	[ "$(sql "SELECT u.email FROM staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id
		WHERE s.token_hash = UNHEX(\"$hash\")")" = "$SHOP_OWNER" ] &&
	mariadb-dump --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot --hex-blob comptoir >"$TEST_TMP/dump" &&
	grep -q "$(printf %s "$hash" | tr a-f A-F)" "$TEST_TMP/dump" &&
	! grep -qF "$token" "$TEST_TMP/dump" && ! grep -qF "$token" "$CPT_STACK_DIR"/log/*.log &&
	! grep -qi "$(printf %s "$token" | od -An -tx1 | tr -d " \n")" "$TEST_TMP/dump"
'

test_expect_success 'a login replaces the session cookie it came with, which then opens nothing' '
	old=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") && [ -n "$old" ] &&
	x=$(head -c 32 /dev/urandom | base64 | tr "+/" "-_" | tr -d "=\n" | head -c 43) &&
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w "%{http_code}" -H "Host: $HOST" \
		-H "Cookie: cpt_session=$old; cpt_login_csrf=$x" --data-urlencode "csrf=$x" \
		--data-urlencode "email=$SHOP_OWNER" --data-urlencode "password=$DEMO_PASSWORD" \
		"http://127.0.0.1:$CPT_PORT/login") && test_status 303 &&
	new=$(sed -n "s/^Set-Cookie: cpt_session=\([^;]*\);.*/\1/p" "$HEADERS") &&
	[ ${#new} -eq 43 ] && [ "$new" != "$old" ] &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $HOST" -b "cpt_session=$old" \
		"http://127.0.0.1:$CPT_PORT/") && test_status 303 &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $HOST" -b "cpt_session=$new" \
		"http://127.0.0.1:$CPT_PORT/") && test_status 200
'

test_expect_success 'logout needs the session CSRF token' '
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" &&
	http POST /logout -d "csrf=wrong" && test_status 403 &&
	http GET / && test_status 200
'

test_expect_success 'logout closes the session on the server' '
	token=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") &&
	csrf=$(session_csrf) && [ -n "$csrf" ] &&
	http POST /logout --data-urlencode "csrf=$csrf" && test_status 303 &&
	header_has "^Location: /login" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $HOST" -b "cpt_session=$token" \
		"http://127.0.0.1:$CPT_PORT/") && test_status 303
'

test_expect_success 'after login the browser returns to the page it asked for' '
	forget_cookies && http GET "/login?next=/search%3Fq%3Ddupont" &&
	csrf=$(form_value csrf) && next=$(form_value next) && [ "$next" = "/search?q=dupont" ] &&
	http POST /login --data-urlencode "csrf=$csrf" --data-urlencode "next=$next" \
		--data-urlencode "email=$SHOP_OWNER" --data-urlencode "password=$DEMO_PASSWORD" &&
	test_status 303 && header_has "^Location: /search?q=dupont"
'

test_expect_success 'a next pointing to another site is ignored' '
	forget_cookies && http GET /login && csrf=$(form_value csrf) &&
	http POST /login --data-urlencode "csrf=$csrf" --data-urlencode "next=//evil.example/x" \
		--data-urlencode "email=$SHOP_OWNER" --data-urlencode "password=$DEMO_PASSWORD" &&
	test_status 303 && header_has "^Location: /\s*$"
'

# Each form of `next` a browser could turn into another site (browsers drop
# tabs and line ends, read \ as /, and follow absolute URLs), sent encoded
# as a browser would send it in the login link and in the form.
for evil in "/%09/evil.example/x" "//evil.example/x" "/%5Cevil.example/x" "/%5C%5Cevil.example" \
	"/%0D%0A/evil.example" "/%0A/evil.example" "/%2F%2Fevil.example/x" "/%2F/evil.example" \
	"https://evil.example/x" "https:evil.example" "%2F%2Fevil.example" "/%20/evil.example" \
	"/nowhere" "javascript:alert(1)"; do
	test_expect_success "next=$evil: not in the form, not where the login leads" '
		forget_cookies && http GET "/login?next=$evil" && test_status 200 &&
		body_lacks "name=\"next\"" && csrf=$(form_value csrf) &&
		http POST /login --data "csrf=$csrf&next=$evil" --data-urlencode "email=$SHOP_OWNER" \
			--data-urlencode "password=$DEMO_PASSWORD" &&
		test_status 303 && header_has "^Location: /\s*$"
	'
done

test_expect_success 'a picker lands on their account page, whose menu offers only what they may use' '
	forget_cookies && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	header_has "^Location: /account\s*$" &&
	http GET /account && test_status 200 && body_has "$SHOP_PICKER" &&
	body_lacks "href=\"/team\"" && body_lacks "action=\"/search\"" &&
	body_lacks "<a href=\"/\">" && body_has "action=\"/logout\""
'

test_expect_success 'a picker may open neither the team, the search nor the dashboard' '
	http GET /team && test_status 403 &&
	http GET "/search?q=dupont" && test_status 403 &&
	http GET / && test_status 403 && body_has "<a href=\"/account\">Retour à mon compte</a>" &&
	body_lacks "<a href=\"/\">" &&
	http GET /login && test_status 303 && header_has "^Location: /account\s*$"
'

test_expect_success 'a picker sent to the dashboard by a login link lands on their page' '
	forget_cookies && http GET "/login?next=/search%3Fq%3Ddupont" && csrf=$(form_value csrf) &&
	http POST /login --data-urlencode "csrf=$csrf" --data-urlencode "next=/search?q=dupont" \
		--data-urlencode "email=$SHOP_PICKER" --data-urlencode "password=$DEMO_PASSWORD" &&
	test_status 303 && header_has "^Location: /account\s*$"
'

test_expect_success 'the owner sees the team of the shop, and only of this shop' '
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" &&
	http GET / && body_has "href=\"/team\"" &&
	http GET /team && test_status 200 && body_has "<h1>Équipe</h1>" &&
	body_has "$SHOP_PICKER" && body_has "Préparateur" && body_lacks "atelier.example" && body_lacks "cave.example"
'

test_expect_success 'an e-mail that is not UTF-8 gets a clear 422, not a 503, and is not echoed' '
	forget_cookies && http GET /login && csrf=$(form_value csrf) &&
	http POST /login --data "csrf=$csrf&email=h%E9l%E8ne%40$SHOP_CODE.example&password=whatever-it-is" &&
	test_status 422 && body_has "Cette adresse e-mail n’est pas valide." &&
	! LC_ALL=C grep -q "$(printf "\\351")" "$BODY" && ! grep -q cpt_session "$JAR"
'

test_done
