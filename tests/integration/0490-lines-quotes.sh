#!/usr/bin/env bash
# The lines of an order still in progress edited from its page (W9): a
# product added (by SKU, or by name as /products searches), a quantity
# changed, a line removed, each in one transaction with the stock, the
# totals and VAT (order_totals), the payment state, the dashboard's
# counters, the search words and one history event; a quantity short, a
# stale form, a completed or shipped order, another shop's order or
# product change nothing. Two staff editing the same lines at once: one
# order and stock that add up, a history that tells it, the loser told
# the order changed meanwhile. Quotes (W7): made from an order, no stock
# held, never among the orders; edited by the same editor; made an order
# once, with the stock checked and reserved then.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=lea.$RUN@example.fr

# new_order [SKU QTY]: an order of this script's customer, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Léa", "last_name": "Garnier", "email": "$EMAIL"},
 "billing_address": {"name": "Léa Garnier", "line1": "3 rue Vieille", "postcode": "69005", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "${1:-P-MUG}", "quantity": ${2:-2}}], "payment_method": "cheque", "carrier": "colissimo",
 "shipping_cost": 690}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

ocol() { sql "SELECT $2 FROM orders WHERE shop_id = ${3:-$SHOP_ID} AND code = '$1'"; }
qcol() { sql "SELECT $2 FROM quotes WHERE shop_id = $SHOP_ID AND code = '$1'"; }
lines() {
	sql "SELECT line_no, sku, quantity, unit_price_cents, total_cents, reserved_stock FROM order_lines
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$1" id) ORDER BY line_no"
}
qlines() {
	sql "SELECT line_no, sku, quantity, unit_price_cents, total_cents FROM quote_lines
		WHERE shop_id = $SHOP_ID AND quote_id = $(qcol "$1" id) ORDER BY line_no"
}
stock() { sql "SELECT stock_on_hand, stock_reserved FROM products WHERE shop_id = $SHOP_ID AND sku = '$1'"; }
last_event() {
	sql "SELECT actor_type, action, details FROM order_events
		WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$1" id) ORDER BY id DESC LIMIT 1"
}
# Every product's reserved stock is what the lines holding it add up to.
reserved_adds_up() {
	local bad
	bad=$(sql "SELECT p.sku, p.stock_reserved, COALESCE(SUM(l.quantity), 0) FROM products p
		LEFT JOIN order_lines l ON l.shop_id = p.shop_id AND l.product_id = p.id AND l.reserved_stock = 1
		WHERE p.shop_id = $SHOP_ID GROUP BY p.id HAVING p.stock_reserved <> COALESCE(SUM(l.quantity), 0)")
	[ -z "$bad" ] || { echo "reserved differs from the lines: $bad"; return 1; }
}
# Everything an edit or a quote may write, for this shop.
state() {
	local s=${1:-$SHOP_ID}
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, status, payment_state, paid_cents, lines_cents,
		total_cents, total_vat_cents, vat_breakdown, total_weight_g, first_product, updated_at) ORDER BY id)),
		COUNT(*) FROM orders WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', order_id, line_no, sku, quantity, total_cents, weight_g, reserved_stock)
		ORDER BY order_id, line_no)) FROM order_lines WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, stock_on_hand, stock_reserved) ORDER BY id)) FROM products WHERE shop_id = $s" &&
	sql "SELECT COUNT(*), MAX(id) FROM order_events WHERE shop_id = $s" &&
	sql "SELECT COUNT(*), MAX(id) FROM product_events WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', order_id, kind, term, line_no) ORDER BY order_id, kind, term))
		FROM order_search WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', status, on_hold, payment_state, n) ORDER BY status, on_hold, payment_state, shipping_state))
		FROM order_counts WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', hour, n, sales, sales_cents) ORDER BY hour)) FROM order_hours WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, order_id, total_cents) ORDER BY id)), COUNT(*)
		FROM quotes WHERE shop_id = $s" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', quote_id, line_no, quantity, total_cents) ORDER BY quote_id, line_no))
		FROM quote_lines WHERE shop_id = $s" &&
	sql "SELECT COUNT(*) FROM quote_events WHERE shop_id = $s"
}
unchanged() {
	local after
	after=$(state "${2-}")
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}

# post_lines PATH VERSION OP [field=value …]: a form of the line editor.
post_lines() {
	local path=$1 version=$2 op=$3 kv args=()
	shift 3
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http POST "$path" ${CSRF:+--data-urlencode "csrf=$CSRF"} --data-urlencode "version=$version" \
		--data-urlencode "op=$op" "${args[@]}"
}

test_expect_success 'products and an order through the intake API' '
	put_product P-MUG "{\"name\": \"Mug blanc\", \"price\": 1000, \"vat_rate\": 2000, \"weight\": 300, \"stock_on_hand\": 10}" &&
	test_status 201 &&
	put_product P-NOTE "{\"name\": \"Carnet ligné\", \"price\": 500, \"vat_rate\": 550, \"weight\": 100, \"stock_on_hand\": 5}" &&
	test_status 201 &&
	put_product P-MUGN "{\"name\": \"Mug noir\", \"price\": 1200, \"vat_rate\": 2000, \"track_stock\": false}" &&
	test_status 201 &&
	put_product P-RACE "{\"name\": \"Stylo bille\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 1000}" &&
	test_status 201 &&
	put_product P-PEN "{\"name\": \"Crayon\", \"price\": 200, \"vat_rate\": 2000, \"stock_on_hand\": 1000}" &&
	test_status 201 &&
	put_product P-OLD "{\"name\": \"Ancien modèle\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 5, \"active\": false}" &&
	test_status 201 &&
	CODE=$(new_order) && [ -n "$CODE" ] && echo "$CODE" >"$TEST_TMP/code" &&
	[ "$(stock P-MUG)" = "$(printf "10\t2")" ] && [ "$(ocol "$CODE" "version, total_cents")" = "$(printf "0\t2690")" ]
'
CODE=$(cat "$TEST_TMP/code" 2>/dev/null)
[ -n "$CODE" ] || test_bail "no order"

test_expect_success 'log in as staff; the order page leads to the line editor and offers a quote' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET "/orders/$CODE" && test_status 200 &&
	body_has "href=\"/orders/$CODE/lines\">Modifier les produits et les quantités</a>" &&
	body_has "action=\"/orders/$CODE/quote\"" && body_has "Dupliquer en devis" &&
	http GET "/orders/$CODE/lines" && test_status 200 &&
	body_has "action=\"/orders/$CODE/lines\"" && body_has "name=\"version\" value=\"0\"" &&
	body_has "id=\"qty-1\" name=\"quantity\" type=\"number\" min=\"0\" max=\"100000\" value=\"2\"" &&
	body_has "Produit à ajouter : référence ou nom"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'a product added by SKU: its line, its stock reserved, totals and VAT per rate, one event, counters' '
	events=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID") &&
	post_lines "/orders/$CODE/lines" 0 add find=p-note quantity=2 &&
	test_status 303 && header_has "^Location: /orders/$CODE/lines#lines" &&
	[ "$(lines "$CODE")" = "$(printf "1\tP-MUG\t2\t1000\t2000\t1\n2\tP-NOTE\t2\t500\t1000\t1")" ] &&
	[ "$(stock P-NOTE)" = "$(printf "5\t2")" ] && [ "$(stock P-MUG)" = "$(printf "10\t2")" ] &&
	[ "$(ocol "$CODE" "version, lines_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents, total_vat_cents, total_cents, total_weight_g")" = \
	  "$(printf "1\t3000\t690\t2000\t3190\t500\t3690\t800")" ] &&
	[ "$(ocol "$CODE" vat_breakdown)" = "[{\"rate\":2000,\"base\":2242,\"vat\":448},{\"rate\":550,\"base\":948,\"vat\":52}]" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID")" = $((events + 1)) ] &&
	[ "$(last_event "$CODE")" = "$(printf "staff\torder.lines_changed\t%s" \
	  "{\"op\":\"add\",\"line\":2,\"sku\":\"P-NOTE\",\"name\":\"Carnet ligné\",\"from\":0,\"to\":2,\"total_from\":2690,\"total_to\":3690,\"currency\":\"EUR\"}")" ] &&
	[ "$(sql "SELECT cause, order_id = $(ocol "$CODE" id), reserved_before, reserved_after FROM product_events
		WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1")" = "$(printf "edit\t1\t0\t2")" ] &&
	counts_exact "$SHOP_ID" && reserved_adds_up &&
	http GET "/search?q=carnet" && body_has "/orders/$CODE" &&
	http GET "/orders/$CODE" && body_has "Produit ajouté : Carnet ligné (P-NOTE), 2; total 26,90 € → 36,90 €" # (a no-break space before €)
'

test_expect_success 'by name: several products match, picked from a list, nothing changed until then' '
	before=$(state) &&
	post_lines "/orders/$CODE/lines" 1 add find=mug quantity=1 && test_status 422 &&
	body_has "Plusieurs produits correspondent : choisissez-en un." &&
	body_has "name=\"find\" value=\"P-MUG\"" && body_has "name=\"find\" value=\"P-MUGN\"" &&
	unchanged "$before" &&
	post_lines "/orders/$CODE/lines" 1 add "find=mug noir" quantity=1 && test_status 303 &&
	[ "$(lines "$CODE" | sed -n 3p)" = "$(printf "3\tP-MUGN\t1\t1200\t1200\t0")" ] &&
	[ "$(ocol "$CODE" "version, total_cents")" = "$(printf "2\t4890")" ] && counts_exact "$SHOP_ID"
'

test_expect_success 'the same SKU again raises its line; a quantity changed up and down moves the stock exactly' '
	post_lines "/orders/$CODE/lines" 2 add find=P-MUG quantity=3 && test_status 303 &&
	[ "$(lines "$CODE" | sed -n 1p)" = "$(printf "1\tP-MUG\t5\t1000\t5000\t1")" ] &&
	[ "$(stock P-MUG)" = "$(printf "10\t5")" ] &&
	post_lines "/orders/$CODE/lines" 3 set line=1 quantity=1 && test_status 303 &&
	[ "$(lines "$CODE" | sed -n 1p)" = "$(printf "1\tP-MUG\t1\t1000\t1000\t1")" ] &&
	[ "$(stock P-MUG)" = "$(printf "10\t1")" ] &&
	[ "$(ocol "$CODE" "version, lines_cents, total_cents, total_weight_g")" = "$(printf "4\t3200\t3890\t500")" ] &&
	last_event "$CODE" | grep -qF "\"op\":\"set\",\"line\":1,\"sku\":\"P-MUG\",\"name\":\"Mug blanc\",\"from\":5,\"to\":1" &&
	counts_exact "$SHOP_ID" && reserved_adds_up &&
	http GET "/orders/$CODE" && body_has "Quantité de Mug blanc (P-MUG) passée de 5 à 1"
'

test_expect_success 'a quantity short: 409 with what is left, nothing changed' '
	before=$(state) &&
	post_lines "/orders/$CODE/lines" 4 set line=2 quantity=6 && test_status 409 &&
	body_has "Pas assez de stock de Carnet ligné (P-NOTE) : 4 demandés, 3 disponibles." &&
	unchanged "$before" &&
	post_lines "/orders/$CODE/lines" 4 add find=P-MUG quantity=10 && test_status 409 &&
	body_has "Pas assez de stock de Mug blanc (P-MUG) : 10 demandés, 9 disponibles." &&
	unchanged "$before"
'

test_expect_success 'refused whole: a product not sold, one not in the catalogue, a quantity out of range, a stale form' '
	before=$(state) &&
	post_lines "/orders/$CODE/lines" 4 add find=P-OLD quantity=1 && test_status 422 && body_has "« P-OLD » n’est plus vendu." &&
	post_lines "/orders/$CODE/lines" 4 add find=ZZ-NONE quantity=1 && test_status 422 &&
	body_has "Aucun produit de référence « ZZ-NONE » au catalogue." &&
	post_lines "/orders/$CODE/lines" 4 set line=1 quantity=100001 && test_status 422 &&
	body_has "La quantité doit être un nombre entier de 1 à 100 000." &&
	post_lines "/orders/$CODE/lines" 3 set line=1 quantity=2 && test_status 409 &&
	body_has "La commande a changé entre-temps" &&
	post_lines "/orders/$CODE/lines" 4 set line=99 quantity=2 && test_status 404 &&
	CSRF= post_lines "/orders/$CODE/lines" 4 set line=1 quantity=2 && test_status 403 &&
	unchanged "$before"
'

test_expect_success 'a line removed: its stock given back, the totals again; the last line cannot go' '
	post_lines "/orders/$CODE/lines" 4 remove line=2 && test_status 303 &&
	[ "$(stock P-NOTE)" = "$(printf "5\t0")" ] &&
	[ "$(lines "$CODE" | cut -f1,2 | tr "\n" " ")" = "1	P-MUG 3	P-MUGN " ] &&
	[ "$(ocol "$CODE" "version, total_cents, total_vat_cents, vat_breakdown")" = \
	  "$(printf "5\t2890\t482\t[{\"rate\":2000,\"base\":2408,\"vat\":482}]")" ] &&
	post_lines "/orders/$CODE/lines" 5 set line=3 quantity=0 && test_status 303 &&
	[ "$(lines "$CODE" | wc -l)" = 1 ] &&
	before=$(state) &&
	post_lines "/orders/$CODE/lines" 6 remove line=1 && test_status 422 &&
	body_has "Une commande garde au moins un produit : annulez-la plutôt." && unchanged "$before" &&
	http GET "/search?q=carnet" && body_lacks "/orders/$CODE" &&
	counts_exact "$SHOP_ID" && reserved_adds_up
'

test_expect_success 'a paid order edited: its payment state follows its new total, and the counters with it' '
	http POST "/orders/$CODE/mark-paid" --data-urlencode "csrf=$CSRF" --data-urlencode version=6 && test_status 303 &&
	# Paid, it moves on to the paid status of the workflow (processing), one version more.
	[ "$(ocol "$CODE" "payment_state, paid_cents, status, version")" = "$(printf "paid\t1690\tprocessing\t8")" ] &&
	post_lines "/orders/$CODE/lines" 8 add find=P-NOTE quantity=1 && test_status 303 &&
	[ "$(ocol "$CODE" "payment_state, paid_cents, total_cents")" = "$(printf "partially_paid\t1690\t2190")" ] &&
	last_event "$CODE" | grep -qF "\"payment_to\":\"partially_paid\"" &&
	counts_exact "$SHOP_ID" &&
	post_lines "/orders/$CODE/lines" 9 remove line=2 && test_status 303 &&
	[ "$(ocol "$CODE" payment_state)" = paid ] && counts_exact "$SHOP_ID"
'

test_expect_success 'an order whose status counts as a sale: the hour'"'"'s sales move with its total' '
	[ "$(ocol "$CODE" "status, version")" = "$(printf "processing\t10")" ] &&
	post_lines "/orders/$CODE/lines" 10 set line=1 quantity=2 && test_status 303 &&
	[ "$(ocol "$CODE" total_cents)" = 2690 ] && counts_exact "$SHOP_ID" && reserved_adds_up
'

test_expect_success 'a completed order and a shipped one: no editor, refused in French, nothing changed' '
	C2=$(new_order P-PEN 1) && [ -n "$C2" ] &&
	http POST "/orders/$C2/status" --data-urlencode "csrf=$CSRF" --data-urlencode status=processing --data-urlencode version=0 &&
	http POST "/orders/$C2/status" --data-urlencode "csrf=$CSRF" --data-urlencode status=completed --data-urlencode version=1 &&
	test_status 303 &&
	http GET "/orders/$C2" && body_lacks "href=\"/orders/$C2/lines\"" &&
	body_has "Les produits de cette commande ne peuvent plus être modifiés." &&
	before=$(state) &&
	post_lines "/orders/$C2/lines" 2 set line=1 quantity=1 && test_status 422 &&
	body_has "Une commande terminée ou annulée ne peut plus être modifiée." && unchanged "$before" &&
	C3=$(new_order P-PEN 1) && [ -n "$C3" ] &&
	sql "UPDATE orders SET shipping_state = '\''shipped'\'' WHERE shop_id = $SHOP_ID AND code = '\''$C3'\''" &&
	before=$(state) &&
	post_lines "/orders/$C3/lines" 0 add find=P-NOTE quantity=1 && test_status 422 &&
	body_has "Cette commande est expédiée, en tout ou en partie : ses produits ne peuvent plus être modifiés." &&
	unchanged "$before" &&
	sql "UPDATE orders SET shipping_state = '\''unshipped'\'' WHERE shop_id = $SHOP_ID AND code = '\''$C3'\''"
'

test_expect_success 'another shop'"'"'s order: the same 404 as none; another shop'"'"'s product: not in this catalogue' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product P-MUG "{\"name\": \"Verre\", \"price\": 900, \"vat_rate\": 2000, \"stock_on_hand\": 5}" &&
	[ "$STATUS" = 201 ] &&
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product O-ONLY "{\"name\": \"Ailleurs\", \"price\": 900, \"vat_rate\": 2000, \"stock_on_hand\": 5}" &&
	[ "$STATUS" = 201 ] &&
	other=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order) && [ -n "$other" ] &&
	obefore=$(state "$OTHER_ID") && before=$(state) &&
	http GET "/orders/ZZZZZZZZ/lines" && test_status 404 && cp "$BODY" "$TEST_TMP/404" &&
	http GET "/orders/$other/lines" && test_status 404 && cmp "$BODY" "$TEST_TMP/404" &&
	post_lines "/orders/$other/lines" 0 set line=1 quantity=1 && test_status 404 && cmp "$BODY" "$TEST_TMP/404" &&
	http POST "/orders/$other/quote" --data-urlencode "csrf=$CSRF" && test_status 404 && cmp "$BODY" "$TEST_TMP/404" &&
	post_lines "/orders/$CODE/lines" 11 add find=O-ONLY quantity=1 && test_status 422 &&
	body_has "Aucun produit de référence « O-ONLY » au catalogue." &&
	unchanged "$obefore" "$OTHER_ID" && unchanged "$before"
'

test_expect_success 'a picker may not see or send the editor' '
	cp "$JAR" "$TEST_TMP/staff-jar" &&
	forget_cookies && login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET "/orders/$CODE/lines" && test_status 403 && http GET /quotes && test_status 403 &&
	cp "$TEST_TMP/staff-jar" "$JAR"
'

# Two staff members, each in a session of their own, edit the lines of one
# order at once, round after round, from the page they both loaded.
ROUNDS=15
test_expect_success "two staff edit the same lines at once, $ROUNDS rounds: one wins each, never a lost update" '
	C4=$(new_order P-RACE 1) && [ -n "$C4" ] &&
	OJAR=$TEST_TMP/owner-jar &&
	JAR=$OJAR login "$SHOP_OWNER" "$DEMO_PASSWORD" && [ "$STATUS" = 303 ] &&
	OCSRF=$(JAR=$OJAR session_csrf) && [ -n "$OCSRF" ] &&
	events=$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$C4" id)") &&
	won=0 &&
	for i in $(seq 1 $ROUNDS); do
		JAR=$OJAR http GET "/orders/$C4/lines" && v=$(form_value version) && [ -n "$v" ] || return 1
		( BODY=$TEST_TMP/b1 HEADERS=$TEST_TMP/h1 post_lines "/orders/$C4/lines" "$v" set line=1 quantity=$((i + 1))
		  echo "$STATUS" >"$TEST_TMP/s1" ) &
		( JAR=$OJAR CSRF=$OCSRF BODY=$TEST_TMP/b2 HEADERS=$TEST_TMP/h2 post_lines "/orders/$C4/lines" "$v" add find=P-PEN quantity=1
		  echo "$STATUS" >"$TEST_TMP/s2" ) &
		wait
		[ "$(sort "$TEST_TMP/s1" "$TEST_TMP/s2" | tr "\n" " ")" = "303 409 " ] ||
			{ echo "round $i: $(cat "$TEST_TMP/s1") $(cat "$TEST_TMP/s2")"; return 1; }
		if [ "$(cat "$TEST_TMP/s1")" = 409 ]; then lost=$TEST_TMP/b1; else lost=$TEST_TMP/b2; fi
		grep -qF "La commande a changé entre-temps" "$lost" || { echo "round $i: the loser was not told"; return 1; }
		[ "$(cat "$TEST_TMP/s2")" = 303 ] && won=$((won + 1))
		[ "$(ocol "$C4" version)" = $((v + 1)) ] || { echo "round $i: version $(ocol "$C4" version)"; return 1; }
	done &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$C4" id)")" = $((events + ROUNDS)) ] &&
	notes=$(lines "$C4" | awk -F"\t" "\$2 == \"P-PEN\" { print \$3 }") &&
	[ "${notes:-0}" = "$won" ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$C4" id)
		AND action = '\''order.lines_changed'\'' AND details LIKE '\''%\"sku\":\"P-PEN\"%'\''")" = "$won" ] &&
	last_mug=$(sql "SELECT details FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$C4" id)
		AND details LIKE '\''%\"sku\":\"P-RACE\"%'\'' ORDER BY id DESC LIMIT 1") &&
	{ [ -z "$last_mug" ] || echo "$last_mug" | grep -qF "\"to\":$(lines "$C4" | awk -F"\t" "\$2 == \"P-RACE\" { print \$3 }")," ; } &&
	reserved_adds_up && counts_exact "$SHOP_ID"
'

# ---- quotes --------------------------------------------------------------------

test_expect_success 'a quote from an order: its customer, lines, prices, methods; no stock held; both histories say it' '
	before_stock=$(sql "SELECT GROUP_CONCAT(stock_reserved ORDER BY id) FROM products WHERE shop_id = $SHOP_ID") &&
	C5=$(new_order P-MUG 3) && [ -n "$C5" ] && echo "$C5" >"$TEST_TMP/c5" &&
	post_lines "/orders/$C5/lines" 0 add find=P-NOTE quantity=1 && test_status 303 &&
	before_stock=$(sql "SELECT GROUP_CONCAT(stock_reserved ORDER BY id) FROM products WHERE shop_id = $SHOP_ID") &&
	http POST "/orders/$C5/quote" --data-urlencode "csrf=$CSRF" && test_status 303 &&
	Q=$(sed -n "s|^Location: /quotes/\([A-Z0-9]*\).*|\1|p" "$HEADERS" | tr -d "\r") && [ -n "$Q" ] && echo "$Q" >"$TEST_TMP/q" &&
	[ "$(qlines "$Q")" = "$(printf "1\tP-MUG\t3\t1000\t3000\n2\tP-NOTE\t1\t500\t500")" ] &&
	[ "$(qcol "$Q" "total_cents, payment_method, carrier, customer_email, order_id IS NULL, from_order_id")" = \
	  "$(printf "%s\tcheque\tcolissimo\t%s\t1\t%s" "$(ocol "$C5" total_cents)" "$EMAIL" "$(ocol "$C5" id)")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM quote_addresses WHERE shop_id = $SHOP_ID AND quote_id = $(qcol "$Q" id)")" = 2 ] &&
	[ "$(sql "SELECT GROUP_CONCAT(stock_reserved ORDER BY id) FROM products WHERE shop_id = $SHOP_ID")" = "$before_stock" ] &&
	last_event "$C5" | grep -qF "order.quoted	{\"quote\":\"$Q\"}" &&
	http GET "/quotes/$Q" && test_status 200 && body_has "Devis fait de la commande $C5" &&
	body_has "action=\"/quotes/$Q/lines\"" && body_has "action=\"/quotes/$Q/convert\"" &&
	http GET "/orders/$C5" && body_has "Dupliquée en devis $Q" &&
	http GET /quotes && test_status 200 && body_has "href=\"/quotes/$Q\"" &&
	counts_exact "$SHOP_ID"
'
Q=$(cat "$TEST_TMP/q" 2>/dev/null)
C5=$(cat "$TEST_TMP/c5" 2>/dev/null)

test_expect_success 'a quote never appears among the orders: list, CSV, dashboard, search' '
	norders=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID") &&
	http GET "/orders?completed=1&cancelled=1" && test_status 200 && body_lacks "$Q" &&
	[ "$(grep -o "href=\"/orders/[A-Z0-9]*\"" "$BODY" | sort -u | wc -l)" = "$norders" ] &&
	http GET "/orders.csv?completed=1&cancelled=1" && test_status 200 && body_lacks "$Q" &&
	[ "$(($(wc -l <"$BODY") - 1))" = "$norders" ] &&
	http GET / && test_status 200 && body_lacks "$Q" &&
	http GET "/search?q=$Q" && body_lacks "/quotes/$Q" &&
	http GET "/search?q=garnier" && test_status 200 && body_lacks "$Q" &&
	counts_exact "$SHOP_ID"
'

test_expect_success 'a quote edited with the same editor: totals again, its history, no stock moved' '
	sbefore=$(sql "SELECT GROUP_CONCAT(CONCAT(stock_on_hand, \"/\", stock_reserved) ORDER BY id) FROM products WHERE shop_id = $SHOP_ID") &&
	pbefore=$(sql "SELECT COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID") &&
	post_lines "/quotes/$Q/lines" 0 add find=P-NOTE quantity=2 && test_status 303 &&
	header_has "^Location: /quotes/$Q#lines" &&
	post_lines "/quotes/$Q/lines" 1 set line=1 quantity=50 && test_status 303 &&
	[ "$(qlines "$Q")" = "$(printf "1\tP-MUG\t50\t1000\t50000\n2\tP-NOTE\t3\t500\t1500")" ] &&
	[ "$(qcol "$Q" "version, lines_cents, total_cents, total_vat_cents")" = "$(printf "2\t51500\t52190\t8526")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(CONCAT(stock_on_hand, \"/\", stock_reserved) ORDER BY id) FROM products WHERE shop_id = $SHOP_ID")" = "$sbefore" ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID")" = "$pbefore" ] &&
	[ "$(sql "SELECT COUNT(*) FROM quote_events WHERE shop_id = $SHOP_ID AND action = '\''quote.lines_changed'\''")" = 2 ] &&
	before=$(state) &&
	post_lines "/quotes/$Q/lines" 1 set line=1 quantity=2 && test_status 409 &&
	body_has "Le devis a changé entre-temps" && unchanged "$before" &&
	http GET "/quotes/$Q" && body_has "Quantité de Mug blanc (P-MUG) passée de 3 à 50"
'

test_expect_success 'a quote made an order with stock short: refused with what is short, nothing changed' '
	before=$(state) &&
	http POST "/quotes/$Q/convert" --data-urlencode "csrf=$CSRF" --data-urlencode version=2 && test_status 409 &&
	body_has "Le devis ne peut pas devenir une commande : pas assez de stock de P-MUG : 50 demandés, " &&
	unchanged "$before"
'

test_expect_success 'a quote made an order: the stock reserved then, the order linked, its history; a second time refused' '
	post_lines "/quotes/$Q/lines" 2 set line=1 quantity=2 && test_status 303 &&
	mug=$(stock P-MUG) && note=$(stock P-NOTE) && norders=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID") &&
	http POST "/quotes/$Q/convert" --data-urlencode "csrf=$CSRF" --data-urlencode version=3 && test_status 303 &&
	O=$(sed -n "s|^Location: /orders/\([A-Z0-9]*\).*|\1|p" "$HEADERS" | tr -d "\r") && [ -n "$O" ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID")" = $((norders + 1)) ] &&
	[ "$(lines "$O")" = "$(printf "1\tP-MUG\t2\t1000\t2000\t1\n2\tP-NOTE\t3\t500\t1500\t1")" ] &&
	[ "$(ocol "$O" "channel, total_cents, payment_method, carrier, customer_email")" = \
	  "$(printf "back_office\t%s\tcheque\tcolissimo\t%s" "$(qcol "$Q" total_cents)" "$EMAIL")" ] &&
	[ "$(stock P-MUG | cut -f2)" = $(( $(echo "$mug" | cut -f2) + 2 )) ] &&
	[ "$(stock P-NOTE | cut -f2)" = $(( $(echo "$note" | cut -f2) + 3 )) ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID AND cause = '\''quote'\'' AND order_id = $(ocol "$O" id)")" = 2 ] &&
	[ "$(qcol "$Q" "order_id")" = "$(ocol "$O" id)" ] &&
	sql "SELECT details FROM order_events WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$O" id) AND action = '\''order.created'\''" |
		grep -qF "\"quote\":\"$Q\"" &&
	http GET "/orders/$O" && test_status 200 && body_has "Commande faite du devis $Q" &&
	http GET "/quotes/$Q" && body_has "Devenu la commande $O" && body_lacks "action=\"/quotes/$Q/convert\"" &&
	body_lacks "action=\"/quotes/$Q/lines\"" &&
	counts_exact "$SHOP_ID" && reserved_adds_up &&
	before=$(state) &&
	http POST "/quotes/$Q/convert" --data-urlencode "csrf=$CSRF" --data-urlencode version=4 && test_status 422 &&
	body_has "Ce devis est déjà devenu la commande $O." &&
	post_lines "/quotes/$Q/lines" 4 set line=1 quantity=1 && test_status 422 &&
	body_has "Ce devis est devenu une commande : il ne peut plus être modifié." &&
	unchanged "$before"
'

test_expect_success 'one quote converted twice at once: one order, the other refused' '
	http POST "/orders/$C5/quote" --data-urlencode "csrf=$CSRF" && test_status 303 &&
	Q2=$(sed -n "s|^Location: /quotes/\([A-Z0-9]*\).*|\1|p" "$HEADERS" | tr -d "\r") && [ -n "$Q2" ] &&
	norders=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID") &&
	OJAR=$TEST_TMP/owner-jar && OCSRF=$(JAR=$OJAR session_csrf) &&
	{ ( BODY=$TEST_TMP/b1 HEADERS=$TEST_TMP/h1 http POST "/quotes/$Q2/convert" --data-urlencode "csrf=$CSRF" --data-urlencode version=0
	    echo "$STATUS" >"$TEST_TMP/s1" ) &
	  ( JAR=$OJAR BODY=$TEST_TMP/b2 HEADERS=$TEST_TMP/h2 http POST "/quotes/$Q2/convert" --data-urlencode "csrf=$OCSRF" --data-urlencode version=0
	    echo "$STATUS" >"$TEST_TMP/s2" ) &
	  wait; } &&
	{ [ "$(sort "$TEST_TMP/s1" "$TEST_TMP/s2" | tr "\n" " ")" = "303 409 " ] ||
	  [ "$(sort "$TEST_TMP/s1" "$TEST_TMP/s2" | tr "\n" " ")" = "303 422 " ]; } &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID")" = $((norders + 1)) ] &&
	[ "$(sql "SELECT COUNT(*) FROM quote_events WHERE shop_id = $SHOP_ID AND quote_id = $(qcol "$Q2" id) AND action = '\''quote.converted'\''")" = 1 ] &&
	counts_exact "$SHOP_ID" && reserved_adds_up
'

test_expect_success 'another shop'"'"'s quote: the same 404 as none' '
	oq=$(sql "SELECT code FROM quotes WHERE shop_id = $SHOP_ID LIMIT 1") &&
	HOST=$OTHER_HOST http GET "/quotes/$oq" && [ "$STATUS" != 200 ] &&
	http GET "/quotes/ZZZZZZZZ" && test_status 404 &&
	before=$(state) &&
	login_other() { HOST=$OTHER_HOST JAR=$TEST_TMP/other-jar login "owner@t-${TEST_NAME%%-*}-other.example" "$DEMO_PASSWORD"; } &&
	login_other && [ "$STATUS" = 303 ] &&
	ocsrf=$(HOST=$OTHER_HOST JAR=$TEST_TMP/other-jar session_csrf) &&
	HOST=$OTHER_HOST JAR=$TEST_TMP/other-jar http GET "/quotes/$oq" && test_status 404 &&
	HOST=$OTHER_HOST JAR=$TEST_TMP/other-jar CSRF=$ocsrf post_lines "/quotes/$oq/lines" 0 set line=1 quantity=1 && test_status 404 &&
	HOST=$OTHER_HOST JAR=$TEST_TMP/other-jar http POST "/quotes/$oq/convert" --data-urlencode "csrf=$ocsrf" --data-urlencode version=0 &&
	test_status 404 &&
	unchanged "$before"
'

test_done
