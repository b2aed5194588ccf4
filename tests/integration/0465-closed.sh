#!/usr/bin/env bash
# A shop with its own status codes, two final ones besides its cancelling
# one (issue 13): what the list hides follows the shop's workflow
# (orders.closed = the status is final; cancelled = it cancels), whoever
# moves the order there: a status change, a bulk change, a cancel, the
# automatic cancel of `comptoir work`. Hidden by default, shown with their
# own tick boxes; the dashboard, the list and the counters agree.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

PRESET='workflow: {statuses: [
  {code: neuve, label_fr: Neuve, label_en: New, colour: "#1d4ed8", flags: [arrival, sale, customer_may_pay]},
  {code: attente, label_fr: Attente, label_en: Waiting, colour: "#b45309", flags: [customer_may_pay]},
  {code: prete, label_fr: Prête, label_en: Ready, colour: "#6d28d9", flags: [sale]},
  {code: remise, label_fr: Remise, label_en: Handed over, colour: "#166534", flags: [completed, final, sale]},
  {code: rendue, label_fr: Rendue, label_en: Returned, colour: "#0f766e", flags: [final]},
  {code: abandon, label_fr: Abandonnée, label_en: Dropped, colour: "#b91c1c", flags: [cancels, final]}],
  transitions: {neuve: [attente, prete, abandon], attente: [neuve, prete, abandon],
    prete: [remise, rendue, abandon]}}'
test_shop_new "" "{storefront_prices: true, prices_include_vat: true, auto_cancel_unpaid_after: 48h}" "$PRESET" ||
	test_bail "no shop of its own"
KEY=$SHOP_KEY

new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Inès", "last_name": "Roux", "email": "ines.$RUN@example.fr"},
 "billing_address": {"name": "Inès Roux", "line1": "5 rue Longue", "postcode": "69001", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "F-BOX", "quantity": 1}], "payment_method": "cheque", "carrier": "colissimo"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
post_status() {
	http POST "/orders/$1/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=$2" \
		--data-urlencode "version=$(ocol "$1" version)" && test_status 303
}
bulk() {
	local args=() f
	for f in "$@"; do args+=(--data-urlencode "$f"); done
	http POST /bulk --data-urlencode "csrf=$CSRF" "${args[@]}" && test_status 303
}
# overdue CODE: the order placed 3 days ago, and the hours it is counted
# in with it (it is in "attente", no sale), as if it had been placed then.
overdue() {
	local o="shop_id = $SHOP_ID AND code = '$1'" h="DATE_FORMAT(placed_at, '%Y-%m-%d %H:00:00')"
	sql "UPDATE order_hours SET n = n - 1 WHERE shop_id = $SHOP_ID AND hour = (SELECT $h FROM orders WHERE $o);
		UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY WHERE $o;
		INSERT INTO order_hours (shop_id, hour, n) SELECT shop_id, $h, 1 FROM orders WHERE $o
		ON DUPLICATE KEY UPDATE n = n + 1"
}
# The codes the list at PATH shows (one page is enough: 8 orders), sorted.
list_codes() {
	http GET "$1" && test_status 200 &&
	grep -o '<th scope="row" data-label="[^"]*"><a href="/orders/[A-Z0-9]*"' "$BODY" |
		sed 's|.*/orders/||; s|"$||' | sort
}
# The codes of the given orders (O1 … O8), sorted, one a line.
codes_of() {
	local i
	for i in "$@"; do sed -n "${i}p" "$TEST_TMP/codes"; done | sort
}

test_expect_success 'eight orders arrive in the shop'"'"'s own arrival status, open' '
	put_product F-BOX "{\"name\": \"Boîte\", \"price\": 1500, \"vat_rate\": 2000, \"stock_on_hand\": 100}" &&
	test_status 201 &&
	for i in 1 2 3 4 5 6 7 8; do new_order || exit 1; done >"$TEST_TMP/codes" &&
	[ "$(wc -l <"$TEST_TMP/codes")" = 8 ] &&
	[ "$(sql "SELECT GROUP_CONCAT(DISTINCT CONCAT(status, \":\", closed)) FROM orders WHERE shop_id = $SHOP_ID")" = "neuve:0" ]
'
mapfile -t O <"$TEST_TMP/codes"
[ "${#O[@]}" = 8 ] || test_bail "no orders"

test_expect_success 'each writer of the status writes closed: change, bulk, cancel, automatic cancel' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 && CSRF=$(session_csrf) &&
	post_status "${O[0]}" prete && post_status "${O[0]}" remise &&
	post_status "${O[1]}" prete && post_status "${O[1]}" rendue &&
	http POST "/orders/${O[2]}/cancel" --data-urlencode "csrf=$CSRF" --data-urlencode "version=0" && test_status 303 &&
	bulk "o=${O[4]}:0" "o=${O[5]}:0" "action=status:prete" "scope=ticked" &&
	bulk "o=${O[4]}:1" "o=${O[5]}:1" "action=status:remise" "scope=ticked" &&
	post_status "${O[3]}" attente &&
	overdue "${O[3]}" &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >"$TEST_TMP/work.log" 2>&1 &&
	for i in 0 1 2 3 4 5 6 7; do echo "$(ocol "${O[$i]}" "CONCAT(status, \":\", closed)")"; done >"$TEST_TMP/got" &&
	printf "%s\n" remise:1 rendue:1 abandon:2 abandon:2 remise:1 remise:1 neuve:0 neuve:0 >"$TEST_TMP/want" &&
	diff "$TEST_TMP/want" "$TEST_TMP/got"
'

test_expect_success 'the list hides the final ones by default and shows each kind with its tick box' '
	list_codes /orders >"$TEST_TMP/got" && codes_of 7 8 >"$TEST_TMP/want" && diff "$TEST_TMP/want" "$TEST_TMP/got" &&
	body_has "name=\"completed\" value=\"1\">" && body_has "name=\"cancelled\" value=\"1\">" &&
	body_has "role=\"status\">2 commandes</p>" &&
	list_codes "/orders?completed=1" >"$TEST_TMP/got" && codes_of 1 2 5 6 7 8 >"$TEST_TMP/want" &&
	diff "$TEST_TMP/want" "$TEST_TMP/got" && body_has "name=\"completed\" value=\"1\" checked>" &&
	body_has "role=\"status\">6 commandes</p>" &&
	list_codes "/orders?cancelled=1" >"$TEST_TMP/got" && codes_of 3 4 7 8 >"$TEST_TMP/want" &&
	diff "$TEST_TMP/want" "$TEST_TMP/got" && body_has "role=\"status\">4 commandes</p>" &&
	list_codes "/orders?completed=1&cancelled=1" >"$TEST_TMP/got" && codes_of 1 2 3 4 5 6 7 8 >"$TEST_TMP/want" &&
	diff "$TEST_TMP/want" "$TEST_TMP/got" && body_has "role=\"status\">8 commandes</p>" &&
	list_codes "/orders?status=rendue" >"$TEST_TMP/got" && codes_of 2 >"$TEST_TMP/want" && diff "$TEST_TMP/want" "$TEST_TMP/got"
'

test_expect_success 'the dashboard, the list and the counters agree' '
	http GET / && test_status 200 &&
	grep -o "href=\"/orders?paid=unpaid\"><span class=\"figure\">[0-9]*" "$BODY" | grep -q ">2$" &&
	list_codes "/orders?paid=unpaid" >"$TEST_TMP/got" && codes_of 7 8 >"$TEST_TMP/want" &&
	diff "$TEST_TMP/want" "$TEST_TMP/got" &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID AND closed = 0 AND payment_state = \"unpaid\"")" = 2 ] &&
	counts_exact "$SHOP_ID"
'

test_expect_success 'the list'"'"'s default page still reads one range of its index' '
	plan=$(sql "EXPLAIN SELECT id FROM orders WHERE shop_id = $SHOP_ID AND closed = 0
		ORDER BY placed_at DESC, id DESC LIMIT 51") &&
	echo "$plan" | grep -q k_orders_list_placed && ! echo "$plan" | grep -q filesort
'

test_expect_success 'in every shop of the database, closed follows the status'"'"'s flags' '
	[ "$(sql "SELECT COUNT(*) FROM orders o LEFT JOIN shop_statuses s ON s.shop_id = o.shop_id AND s.code = o.status
		WHERE o.closed <> IF(FIND_IN_SET(\"final\", s.flags), IF(FIND_IN_SET(\"cancels\", s.flags), 2, 1), 0)")" = 0 ]
'

test_done
