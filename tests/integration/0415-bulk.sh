#!/usr/bin/env bash
# Bulk actions on the order list (L8): the boxes and the form without
# JavaScript; "change the status to …" on the orders ticked, those of the
# page and all that match the filters, each order checked on its own (the
# move, the version the list showed) and the summary saying why each
# refusal; another shop's codes answered like missing ones; no CSRF token,
# no change; above the limit, nothing changes and the page says why; a
# picker may not; the dashboard counters stay exact.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new b || test_bail "no second shop"
B_ID=$SHOP_ID B_HOST=$SHOP_HOST B_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
A=$SHOP_ID KEY=$SHOP_KEY

# order: one order through the intake API of shop $HOST/$KEY; prints its code.
order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Noé", "last_name": "Petit", "email": "noe.$RUN@example.fr"},
 "billing_address": {"name": "Noé Petit", "line1": "3 rue Basse", "postcode": "33000", "city": "Bordeaux", "country": "FR"},
 "lines": [{"sku": "K-PEN", "quantity": 1}], "payment_method": "card", "carrier": "colissimo"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $1 AND code = '$3'"; }
# bulk ARGS…: POST /bulk with the session's token and the form fields given
# as name=value pairs.
bulk() {
	local args=() f
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	http POST /bulk --data-urlencode "csrf=$CSRF" "${args[@]}"
}
# The shop's orders, their status and version.
footprint() {
	sql "SELECT code, status, version, on_hold FROM orders WHERE shop_id = $1 ORDER BY id;
		SELECT COUNT(*) FROM order_events WHERE shop_id = $1"
}
run_page() {
	test_status 303 && loc=$(sed -n 's/^Location: \(\/bulk\/[0-9]*\)\r$/\1/p' "$HEADERS") && [ -n "$loc" ] &&
	echo "$loc" >"$TEST_TMP/loc" && http GET "$loc" && test_status 200
}

test_expect_success 'eight orders in our shop, two in the other' '
	put_product K-PEN "{\"name\": \"Stylo\", \"price\": 500, \"vat_rate\": 2000, \"stock_on_hand\": 100}" &&
	test_status 201 &&
	for i in 1 2 3 4 5 6 7 8; do order >>"$TEST_TMP/a" || return 1; done &&
	KEY=$B_KEY HOST=$B_HOST put_product K-PEN "{\"name\": \"Stylo\", \"price\": 500, \"vat_rate\": 2000,
		\"stock_on_hand\": 100}" &&
	for i in 1 2; do KEY=$B_KEY HOST=$B_HOST order >>"$TEST_TMP/b" || return 1; done &&
	[ "$(wc -l <"$TEST_TMP/a")" = 8 ] && [ "$(wc -l <"$TEST_TMP/b")" = 2 ]
'
set -- $(cat "$TEST_TMP/a" 2>/dev/null)
C1=$1 C2=$2 C3=$3 C4=$4
B1=$(head -n 1 "$TEST_TMP/b" 2>/dev/null)

test_expect_success 'the list: a box per order, the choice of orders and the actions, without script' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET /orders && test_status 200 &&
	body_has "<form id=\"bulk\" method=\"post\" action=\"/bulk\"" &&
	body_has "<input type=\"checkbox\" form=\"bulk\" name=\"o\" value=\"$C1:0\"" &&
	body_has "<input type=\"hidden\" name=\"page\" value=\"$C4:0\">" &&
	body_has "name=\"scope\" value=\"all\"" &&
	body_has "<option value=\"status:processing\">Passer au statut « En préparation »</option>" &&
	body_lacks "value=\"status:cancelled\"" && body_lacks "$B1"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'without the CSRF token: 403, nothing changes' '
	before=$(footprint $A) &&
	http POST /bulk --data-urlencode "o=$C1:0" --data-urlencode "action=status:processing" &&
	test_status 403 && [ "$(footprint $A)" = "$before" ]
'

test_expect_success 'nothing ticked, or an action that does not exist: refused, nothing changes' '
	before=$(footprint $A) &&
	bulk "action=status:processing" "scope=ticked" && test_status 422 && body_has "Aucune commande choisie" &&
	bulk "o=$C1:0" "action=status:nowhere" && test_status 400 &&
	bulk "o=$C1:0" "action=status:cancelled" && test_status 400 &&
	bulk "o=$C1:0" "action=erase" && test_status 400 &&
	[ "$(footprint $A)" = "$before" ]
'

test_expect_success 'two orders ticked → processing: both changed, their events, the summary' '
	bulk "o=$C1:0" "o=$C2:0" "o=$C1:0" "action=status:processing" "scope=ticked" && run_page &&
	body_has "Passer au statut « En préparation »" && body_has "2 modifiée(s), 0 refusée(s)." &&
	[ "$(ocol $A "status, version" $C1)" = "$(printf "processing\t1")" ] &&
	[ "$(ocol $A "status, version" $C2)" = "$(printf "processing\t1")" ] &&
	[ "$(ocol $A status $C3)" = received ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $A AND action = \"order.status_changed\"")" = 2 ]
'

test_expect_success 'refusals order by order: a move not allowed, a stale version, another shop, no such code' '
	b_before=$(footprint $B_ID) &&
	bulk "o=$C1:1" "o=$C3:0" "o=$C2:0" "o=$B1:0" "o=ZZZZZZZZ:0" "action=status:shipped" && run_page &&
	body_has "1 modifiée(s), 4 refusée(s)." &&
	[ "$(ocol $A "status, version" $C1)" = "$(printf "shipped\t2")" ] &&
	[ "$(ocol $A "status, version" $C3)" = "$(printf "received\t0")" ] &&
	[ "$(ocol $A "status, version" $C2)" = "$(printf "processing\t1")" ] &&
	[ "$(footprint $B_ID)" = "$b_before" ] &&
	body_has "<a href=\"/orders/$C3\"><span class=\"code\">$C3</span></a> — La commande ne peut pas passer" &&
	body_has "<a href=\"/orders/$C2\"><span class=\"code\">$C2</span></a> — La commande a changé entre-temps" &&
	body_has "<span class=\"code\">$B1</span> — Aucune commande de cette boutique n’a ce code." &&
	body_has "<span class=\"code\">ZZZZZZZZ</span> — Aucune commande de cette boutique n’a ce code." &&
	body_lacks "href=\"/orders/$B1\""
'

test_expect_success 'the summary is its author’s: another staff member gets 404' '
	JAR=$TEST_TMP/owner.jar && login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET "$(cat "$TEST_TMP/loc")" && test_status 404
'

test_expect_success 'every order of the page, as the page lists them' '
	http GET "/orders?status=processing" && test_status 200 &&
	page=$(sed -n "s/.*<input type=\"hidden\" name=\"page\" value=\"\([^\"]*\)\">.*/\1/p" "$BODY" | sort) &&
	[ "$(echo "$page" | cut -d: -f1)" = "$(sql "SELECT code FROM orders WHERE shop_id = $A AND status = \"processing\" ORDER BY code")" ] &&
	set -- && for p in $page; do set -- "$@" "page=$p"; done &&
	bulk "$@" "scope=page" "action=status:shipped" && run_page && body_has "1 modifiée(s), 0 refusée(s)." &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND status = \"processing\"")" = 0 ]
'

test_expect_success 'all that match the filters (received), in our shop only, none of the other' '
	want=$(sql "SELECT GROUP_CONCAT(code ORDER BY code) FROM orders WHERE shop_id = $A AND status = \"received\"") &&
	[ "$(echo "$want" | tr , "\n" | wc -l)" = 6 ] && b_before=$(footprint $B_ID) &&
	bulk "scope=all" "query=status=received" "action=status:awaiting_payment" && run_page &&
	body_has "6 modifiée(s), 0 refusée(s)." &&
	[ "$(sql "SELECT GROUP_CONCAT(code ORDER BY code) FROM orders WHERE shop_id = $A AND status = \"awaiting_payment\"")" = "$want" ] &&
	[ "$(footprint $B_ID)" = "$b_before" ] &&
	counts_exact $A && counts_exact $B_ID
'

test_expect_success 'a picker may not: 403' '
	JAR=$TEST_TMP/picker.jar && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	csrf=$(session_csrf) && before=$(footprint $A) &&
	http POST /bulk --data-urlencode "csrf=$csrf" --data-urlencode "o=$C3:1" --data-urlencode "action=status:received" &&
	test_status 403 && [ "$(footprint $A)" = "$before" ]
'

test_expect_success 'more than 1000 that match: nothing changes, the page says why' '
	sql "INSERT INTO orders (shop_id, code, status, channel, currency, prices_include_vat, lines_cents,
		total_ex_vat_cents, total_vat_cents, total_cents, vat_breakdown, remarks, placed_at)
		SELECT $A, CONCAT(\"QQ\", LPAD(seq, 6, \"0\")), \"delivered\", \"web\", \"EUR\", 1, 0, 0, 0, 100, \"[]\", \"\",
		NOW() FROM seq_1_to_1001" &&
	before=$(footprint $A) &&
	bulk "scope=all" "query=status=delivered" "action=status:completed" && test_status 422 &&
	body_has "Plus de 1000 commandes" && [ "$(footprint $A)" = "$before" ]
'

test_done
