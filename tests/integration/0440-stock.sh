#!/usr/bin/env bash
# Stock (issue 13, St2–St4): intake reserves through the one stock module
# and writes each product's history; /products shows on hand, reserved,
# available, the threshold and the orders waiting for each product (the
# same as SQL says); /products/{sku} adjusts on hand with a reason (a
# history row, on hand exact; below what is reserved refused, nothing
# written); another shop's products are a 404 like none; adjustments and
# intakes at once on one product end with exact arithmetic and a history
# whose every row starts where the one before ended.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=paul.$RUN@example.fr

# order_json FILE SKU:QTY…: an order's JSON in FILE.
order_json() {
	local file=$1 lines= l
	shift
	for l in "$@"; do lines="$lines${lines:+,}{\"sku\": \"${l%%:*}\", \"quantity\": ${l##*:}}"; done
	cat >"$file" <<JSON
{"customer": {"first_name": "Paul", "last_name": "Girard", "email": "$EMAIL"},
 "billing_address": {"name": "Paul Girard", "line1": "3 quai Sud", "postcode": "44000", "city": "Nantes", "country": "FR"},
 "lines": [$lines], "payment_method": "banktransfer", "carrier": "colissimo"}
JSON
}
# order SKU:QTY…: an order through the intake API, prints its code.
order() {
	order_json "$TEST_TMP/o.json" "$@" &&
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
pid() { sql "SELECT id FROM products WHERE shop_id = ${2:-$SHOP_ID} AND sku = '$1'"; }
stock() { sql "SELECT stock_on_hand, stock_reserved FROM products WHERE shop_id = ${2:-$SHOP_ID} AND sku = '$1'"; }
# Every row of the product's history: what, why, order, reason, before and after.
history() {
	sql "SELECT e.actor_type, e.actor_label, e.action, e.cause, IFNULL(o.code, '-'), e.reason,
		e.on_hand_before, e.on_hand_after, e.reserved_before, e.reserved_after
		FROM product_events e LEFT JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id
		WHERE e.shop_id = $SHOP_ID AND e.product_id = $(pid "$1") ORDER BY e.id"
}
# What an adjustment may write, whole (CHECKSUM of every row), and the intake's tables.
state() {
	intake_state && sql "CHECKSUM TABLE product_events EXTENDED" &&
	sql "SELECT COUNT(*) FROM product_events"
}
# same BEFORE: fails, showing the difference, unless state is still BEFORE.
same() {
	local after
	after=$(state)
	[ "$after" = "$1" ] && return 0
	echo "the database changed:"
	diff <(printf '%s\n' "$1") <(printf '%s\n' "$after")
	return 1
}
adjust() {
	http POST "/products/$1/adjust" --data-urlencode "csrf=$CSRF" --data-urlencode "delta=$2" \
		--data-urlencode "reason=$3"
}
# The orders the page lists as waiting: the codes in its "waiting" section.
page_waiting() {
	sed -n '/id="waiting"/,/id="history"/p' "$BODY" | grep -o 'href="/orders/[A-Z0-9]*"' |
		sed 's|href="/orders/||; s|"||' | sort
}
# … and as SQL says: open orders with a line holding the product's stock.
sql_waiting() {
	sql "SELECT DISTINCT o.code FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		WHERE l.shop_id = $SHOP_ID AND l.product_id = $(pid "$1") AND l.reserved_stock = 1
		AND o.status NOT IN ('completed', 'cancelled') ORDER BY o.code" | sort
}

test_expect_success 'products through the API: the storefront'"'"'s count is in the history' '
	put_product S-MUG "{\"name\": \"Mug émaillé\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 20,
		\"low_stock_threshold\": 5}" && test_status 201 &&
	put_product S-CARD "{\"name\": \"Carte\", \"price\": 300, \"vat_rate\": 2000, \"stock_on_hand\": 10,
		\"low_stock_threshold\": 2}" && test_status 201 &&
	put_product S-LOW "{\"name\": \"Dernier carnet\", \"price\": 900, \"vat_rate\": 2000, \"stock_on_hand\": 3,
		\"low_stock_threshold\": 5}" && test_status 201 &&
	put_product S-FREE "{\"name\": \"Fichier\", \"price\": 500, \"vat_rate\": 2000, \"track_stock\": false}" &&
	test_status 201 &&
	[ "$(history S-MUG)" = "$(printf "api\t%s\tset\tstorefront\t-\t\t0\t20\t0\t0" "$TEST_NAME")" ] &&
	put_product S-MUG "{\"stock_on_hand\": 20}" && test_status 200 &&
	[ "$(history S-MUG | wc -l)" = 1 ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID AND product_id = $(pid S-FREE)")" = 0 ]
'

test_expect_success 'intake reserves, one history row per product and order, before and after' '
	A=$(order S-MUG:3 S-CARD:1 S-MUG:1 S-FREE:2) && [ -n "$A" ] &&
	B=$(order S-MUG:2) && [ -n "$B" ] &&
	echo "$A $B" >"$TEST_TMP/codes" &&
	[ "$(stock S-MUG)" = "$(printf "20\t6")" ] && [ "$(stock S-CARD)" = "$(printf "10\t1")" ] &&
	[ "$(stock S-FREE)" = "$(printf "0\t0")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(l.reserved_stock ORDER BY l.line_no) FROM order_lines l JOIN orders o
		ON o.shop_id = l.shop_id AND o.id = l.order_id WHERE o.shop_id = $SHOP_ID AND o.code = \"$A\"")" = "1,1,1,0" ] &&
	[ "$(history S-MUG | tail -n 2)" = "$(printf "api\t%s\treserved\tintake\t%s\t\t20\t20\t0\t4\napi\t%s\treserved\tintake\t%s\t\t20\t20\t4\t6" "$TEST_NAME" "$A" "$TEST_NAME" "$B")" ] &&
	[ "$(history S-CARD | tail -n 1)" = "$(printf "api\t%s\treserved\tintake\t%s\t\t10\t10\t0\t1" "$TEST_NAME" "$A")" ]
'
read -r A B <"$TEST_TMP/codes" 2>/dev/null
[ -n "$B" ] || test_bail "no orders"

test_expect_success 'an order short of stock reserves nothing and writes no history' '
	before=$(state) &&
	order_json "$TEST_TMP/short.json" S-CARD:1 S-LOW:4 &&
	post_order "$TEST_TMP/short.json" && test_status 409 &&
	same "$before"
'

test_expect_success 'log in as staff: "Produits" in the navigation' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf" &&
	body_has "<a href=\"/products\">Produits</a>"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success '/products: on hand, reserved, available, threshold; low stock highlighted' '
	http GET /products && test_status 200 &&
	tr -d "\n" <"$BODY" | sed "s|<tr|\n<tr|g" >"$TEST_TMP/rows" &&
	grep -F "/products/S-MUG\"" "$TEST_TMP/rows" >"$TEST_TMP/mug" &&
	grep -qF "data-label=\"En stock\" class=\"amount\">20</td>" "$TEST_TMP/mug" &&
	grep -qF "data-label=\"Réservé\" class=\"amount\">6</td>" "$TEST_TMP/mug" &&
	grep -qF "data-label=\"Disponible\" class=\"amount\">14</td>" "$TEST_TMP/mug" &&
	grep -qF "data-label=\"Seuil d’alerte\" class=\"amount\">5</td>" "$TEST_TMP/mug" &&
	! grep -qF "low-stock" "$TEST_TMP/mug" &&
	grep -F "/products/S-LOW\"" "$TEST_TMP/rows" | grep -qF "<tr class=\"low\">" &&
	grep -F "/products/S-LOW\"" "$TEST_TMP/rows" | grep -qF "stock bas" &&
	grep -F "/products/S-FREE\"" "$TEST_TMP/rows" | grep -qF "non suivi" &&
	grep -qF "href=\"/orders/$A\"" "$TEST_TMP/mug" && grep -qF "href=\"/orders/$B\"" "$TEST_TMP/mug" &&
	! grep -F "/products/S-CARD\"" "$TEST_TMP/rows" | grep -qF "href=\"/orders/$B\""
'

test_expect_success 'the product page lists exactly the orders waiting for it (as SQL says)' '
	http GET /products/S-MUG && test_status 200 &&
	[ "$(page_waiting)" = "$(printf "%s\n%s" "$A" "$B" | sort)" ] &&
	[ "$(page_waiting)" = "$(sql_waiting S-MUG)" ] &&
	body_has "Commandes qui l’attendent (2)" &&
	body_has "Réservé pour la commande"
'

test_expect_success 'an order completed no longer waits; the list follows SQL' '
	http POST "/orders/$B/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=processing" \
		--data-urlencode "version=0" && test_status 303 &&
	http POST "/orders/$B/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=completed" \
		--data-urlencode "version=1" && test_status 303 &&
	http GET /products/S-MUG && test_status 200 &&
	[ "$(page_waiting)" = "$A" ] && [ "$(sql_waiting S-MUG)" = "$A" ] &&
	body_has "Commandes qui l’attendent (1)"
'

test_expect_success 'adjust with a reason: 303 back to the history, on hand exact, one history row' '
	adjust S-MUG +4 "Réception fournisseur" && test_status 303 &&
	header_has "^Location: /products/S-MUG#history" &&
	[ "$(stock S-MUG)" = "$(printf "24\t6")" ] &&
	[ "$(history S-MUG | tail -n 1)" = "$(printf "staff\tstaff@%s.example\tadjusted\tadjust\t-\tRéception fournisseur\t20\t24\t6\t6" "$SHOP_CODE")" ] &&
	http GET /products/S-MUG && body_has "Ajusté à la main : Réception fournisseur" &&
	body_has "<dd id=\"on-hand\">24</dd>" &&
	adjust S-MUG -18 "Casse" && test_status 303 && [ "$(stock S-MUG)" = "$(printf "6\t6")" ]
'

test_expect_success 'below what is reserved: 422, why, the form kept, nothing written' '
	before=$(state) &&
	adjust S-MUG -1 "Vol" && test_status 422 &&
	body_has "Le stock ne peut pas descendre sous les 6 unités réservées" &&
	body_has "value=\"Vol\"" &&
	same "$before"
'

test_expect_success 'no delta, not a number, 0, no reason, no CSRF: refused, nothing written' '
	before=$(state) &&
	adjust S-MUG "" "Rien" && test_status 422 &&
	adjust S-MUG "3 unités" "Rien" && test_status 422 && body_has "nombre entier" &&
	adjust S-MUG 0 "Rien" && test_status 422 &&
	adjust S-MUG 99999999999999999999 "Trop" && test_status 422 &&
	adjust S-MUG 2 "" && test_status 422 && body_has "Dites pourquoi" &&
	http POST /products/S-MUG/adjust --data-urlencode "delta=2" --data-urlencode "reason=Sans jeton" &&
	test_status 403 &&
	same "$before"
'

test_expect_success 'another shop'"'"'s SKU: the same 404 as none, on the page and the form; not listed' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product S-OTHER "{\"name\": \"Autre boutique\", \"price\": 100,
		\"vat_rate\": 2000, \"stock_on_hand\": 7}" && [ "$STATUS" = 201 ] &&
	http GET /products/S-OTHER && test_status 404 && cp "$BODY" "$TEST_TMP/404-other" &&
	http GET /products/S-NOPE && test_status 404 && cmp "$BODY" "$TEST_TMP/404-other" &&
	before=$(state) &&
	adjust S-OTHER 5 "Ailleurs" && test_status 404 &&
	same "$before" && [ "$(stock S-OTHER "$OTHER_ID")" = "$(printf "7\t0")" ] &&
	http GET "/products?q=S-OTHER" && test_status 200 && body_lacks "/products/S-OTHER" && body_has "Aucun produit"
'

test_expect_success 'search by name or SKU, accents and case aside; a LIKE wildcard is a letter' '
	http GET "/products?q=MUG+EMAILLE" && test_status 200 && body_has "/products/S-MUG\"" &&
	http GET "/products?q=mug+%C3%A9maill" && test_status 200 && body_has "/products/S-MUG\"" &&
	body_lacks "/products/S-CARD\"" &&
	http GET "/products?q=s-ca" && body_has "/products/S-CARD\"" && body_lacks "/products/S-MUG\"" &&
	http GET "/products?q=%25" && body_has "Aucun produit" &&
	http GET "/products?q=%ff" && test_status 400 &&
	http GET "/products?after=%27%3B" && test_status 400
'

test_expect_success 'pages of 50 by SKU (keyset): every product once, next and previous' '
	for i in $(seq -w 1 61); do
		put_product "S-PG-$i" "{\"name\": \"Page $i\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 1}" &&
		[ "$STATUS" = 201 ] || exit 1
	done &&
	http GET "/products?q=S-PG-" && test_status 200 &&
	grep -o "href=\"/products/S-PG-[0-9]*\"" "$BODY" >"$TEST_TMP/p1" && [ "$(wc -l <"$TEST_TMP/p1")" = 50 ] &&
	body_has "href=\"/products?q=S-PG-&amp;after=S-PG-50\" rel=\"next\"" && body_lacks "rel=\"prev\"" &&
	http GET "/products?q=S-PG-&after=S-PG-50" && test_status 200 &&
	grep -o "href=\"/products/S-PG-[0-9]*\"" "$BODY" >"$TEST_TMP/p2" && [ "$(wc -l <"$TEST_TMP/p2")" = 11 ] &&
	body_lacks "rel=\"next\"" && body_has "href=\"/products?q=S-PG-&amp;before=S-PG-51\" rel=\"prev\"" &&
	[ "$(cat "$TEST_TMP/p1" "$TEST_TMP/p2" | sort -u | wc -l)" = 61 ] &&
	http GET "/products?q=S-PG-&before=S-PG-51" && test_status 200 &&
	grep -o "href=\"/products/S-PG-[0-9]*\"" "$BODY" | cmp - "$TEST_TMP/p1" &&
	body_has "rel=\"next\"" && body_lacks "rel=\"prev\""
'

test_expect_success 'at once: 30 adjustments and 20 intakes on one product, exact arithmetic, one unbroken history' '
	put_product S-HOT "{\"name\": \"Très demandé\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 100}" &&
	test_status 201 &&
	cookie=$(awk "\$6 == \"cpt_session\" { print \$7 }" "$JAR") && [ -n "$cookie" ] &&
	order_json "$TEST_TMP/hot.json" S-HOT:2 &&
	for i in $(seq 1 20); do
		curl -s -o /dev/null -w "%{http_code}\n" -H "Host: $HOST" -b "cpt_session=$cookie" \
			--data-urlencode "csrf=$CSRF" --data-urlencode "delta=+1" --data-urlencode "reason=Arrivage $i" \
			"http://127.0.0.1:$CPT_PORT/products/S-HOT/adjust" >"$TEST_TMP/hot-a$i" &
		curl -s -o /dev/null -w "%{http_code}\n" -H "Host: $HOST" -H "Authorization: Bearer $KEY" \
			-H "Content-Type: application/json" --data-binary "@$TEST_TMP/hot.json" \
			"http://127.0.0.1:$CPT_PORT/api/v1/orders" >"$TEST_TMP/hot-o$i" &
		if [ "$i" -le 10 ]; then
			curl -s -o /dev/null -w "%{http_code}\n" -H "Host: $HOST" -b "cpt_session=$cookie" \
				--data-urlencode "csrf=$CSRF" --data-urlencode "delta=-1" --data-urlencode "reason=Casse $i" \
				"http://127.0.0.1:$CPT_PORT/products/S-HOT/adjust" >"$TEST_TMP/hot-d$i" &
		fi
	done &&
	wait &&
	echo "adjust: $(cat "$TEST_TMP"/hot-a* "$TEST_TMP"/hot-d* | sort | uniq -c | tr "\n" " ")" &&
	echo "intake: $(cat "$TEST_TMP"/hot-o* | sort | uniq -c | tr "\n" " ") stock: $(stock S-HOT | tr "\t" " ")" &&
	[ "$(cat "$TEST_TMP"/hot-a* "$TEST_TMP"/hot-d* | sort | uniq -c | sed "s/^ *//")" = "30 303" ] &&
	[ "$(cat "$TEST_TMP"/hot-o* | sort | uniq -c | sed "s/^ *//")" = "20 201" ] &&
	[ "$(stock S-HOT)" = "$(printf "110\t40")" ] &&
	[ "$(sql "SELECT action, COUNT(*) FROM product_events WHERE shop_id = $SHOP_ID AND product_id = $(pid S-HOT)
		GROUP BY action" | sort)" = "$(printf "adjusted\t30\nreserved\t20\nset\t1")" ] &&
	history S-HOT | awk -F "\t" "NR > 1 && (\$7 != oh || \$9 != res) { bad++; print \"break at row \" NR \": \" \$0 }
		{ oh = \$8; res = \$10 } END { exit (bad > 0 || oh != 110 || res != 40) }"
'

test_done
