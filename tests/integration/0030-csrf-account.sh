#!/usr/bin/env bash
# Every POST carries the session's CSRF token; the language is per staff member.
. "$(dirname "$0")/../lib/test-lib.sh"

sql "DELETE FROM login_throttle"
test_shop_new || test_bail "no shop of its own"
lang_of() { sql "SELECT locale FROM staff_users WHERE shop_id = $SHOP_ID AND email = '$SHOP_OWNER'"; }

test_expect_success 'log in as the owner, and the picker in another browser' '
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/picker-jar login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	[ "$(lang_of)" = fr ]
'

test_expect_success 'a POST without the CSRF token is refused and changes nothing' '
	http POST /account -d "lang=en" && test_status 403 &&
	body_has "le formulaire a expiré" && [ "$(lang_of)" = fr ]
'

test_expect_success 'a POST with another session'"'"'s token is refused' '
	other=$(sql "SELECT csrf_token FROM staff_sessions s JOIN staff_users u ON u.shop_id = s.shop_id AND u.id = s.user_id WHERE u.shop_id = $SHOP_ID AND u.email = \"$SHOP_PICKER\" LIMIT 1") &&
	[ -n "$other" ] &&
	http POST /account --data-urlencode "csrf=$other" -d "lang=en" && test_status 403 &&
	[ "$(lang_of)" = fr ]
'

test_expect_success 'a POST with a JSON body instead of a form has no token and is refused' '
	http POST /account -H "Content-Type: application/json" -d "{\"lang\":\"en\"}" &&
	test_status 403 && [ "$(lang_of)" = fr ]
'

test_expect_success 'an invalid language is refused with 400 and changes nothing' '
	csrf=$(session_csrf) &&
	http POST /account --data-urlencode "csrf=$csrf" -d "lang=de" && test_status 400 &&
	[ "$(lang_of)" = fr ]
'

test_expect_success 'with the token, the language changes to English' '
	csrf=$(session_csrf) &&
	http POST /account --data-urlencode "csrf=$csrf" -d "lang=en" && test_status 303 &&
	header_has "^Location: /account?saved=1" && [ "$(lang_of)" = en ] &&
	http GET / && test_status 200 && body_has "<html lang=\"en\">" &&
	body_has "Dashboard" && body_has "What are you looking for?" && body_lacks "Tableau de bord"
'

test_expect_success 'another staff member of the same shop still sees French' '
	JAR=$TEST_TMP/picker-jar http GET /account && test_status 200 &&
	body_has "<h1>Mon compte</h1>" && body_has "Se déconnecter" && body_lacks "My account"
'

test_expect_success 'error pages follow the staff member'"'"'s language' '
	http GET /nowhere && test_status 404 && body_has "This page does not exist."
'

test_expect_success 'back to French' '
	csrf=$(session_csrf) &&
	http POST /account --data-urlencode "csrf=$csrf" -d "lang=fr" && test_status 303 &&
	http GET / && body_has "Tableau de bord"
'

test_expect_success 'the search box is on every page and keeps the query' '
	http GET "/search?q=%3Cscript%3Edupont" && test_status 200 &&
	body_has "value=\"&lt;script&gt;dupont\"" && body_lacks "<script>dupont"
'

test_done
