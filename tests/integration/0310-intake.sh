#!/usr/bin/env bash
# Order intake: POST /api/v1/orders and GET /api/v1/orders/{code}. An order
# comes in whole (customer, addresses, lines, totals, stock, number, first
# event) or not at all: after every refusal below, the rows of every table
# an order writes, the shops' counters and the stock of this script's
# products are exactly as before.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

# Two shops of its own: a print shop (storefront prices) and a wine shop
# (catalogue prices only).
test_shop_new wine "{storefront_prices: false, prices_include_vat: true}" || test_bail "no shop of its own"
CAVE_CODE=$SHOP_CODE CAVE_HOST=$SHOP_HOST
test_shop_new || test_bail "no shop of its own"
KEY=$(new_key "$SHOP_CODE" "test-0310-$RUN")
CAVE_KEY=$(new_key "$CAVE_CODE" "test-0310-$RUN")
P=T0310-$RUN
PAT="$P-%"
EMAIL=helene.$RUN@example.fr
CODE_RE='^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'

# The issue's example, on this script's product.
cat >"$TEST_TMP/base.json" <<JSON
{"customer": {"title": "Mme", "first_name": "Hélène", "last_name": "Dupré",
              "email": "$EMAIL", "phone": "+33612345678"},
 "billing_address":  {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
                      "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
 "shipping_address": {"name": "Hélène Dupré", "company": "", "line1": "12 rue des Lilas",
                      "line2": "", "postcode": "69003", "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "$P-CARD", "quantity": 2}],
 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",
 "remarks": "Livrer après 18 h", "external_reference": "WEB-10045", "title": ""}
JSON

# mk NAME EDIT…: $TEST_TMP/NAME.json, the example with jsontool edits.
mk() {
	local name=$1
	shift
	jsontool edit "$TEST_TMP/base.json" "$@" >"$TEST_TMP/$name.json"
}

# rejected STATUS FILE [POINTER…]: POSTs FILE (with $IDEM, $KEY, $HOST as
# set); the answer is a STATUS problem naming each POINTER, and nothing in
# the database changed.
rejected() {
	local status=$1 file=$2 before
	shift 2
	before=$(intake_state "$PAT")
	post_order "$file" && problem "$status" "$@" && unchanged "$before" "$PAT"
}

# available SKU [HOST KEY]: stock on hand minus reserved, from the database.
available() {
	sql "SELECT p.stock_on_hand - p.stock_reserved FROM products p JOIN shops s ON s.id = p.shop_id
		WHERE s.code = '${2:-$SHOP_CODE}' AND p.sku = '$1'"
}

# The counts of one order's rows: "lines addresses events numbered".
order_rows() {
	sql "SELECT CONCAT_WS(' ',
		(SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id),
		(SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id),
		(SELECT COUNT(*) FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id),
		o.number IS NOT NULL) FROM orders o JOIN shops s ON s.id = o.shop_id
		WHERE s.code = '${2:-$SHOP_CODE}' AND o.code = '$1'"
}

test_expect_success 'setup: keys and products of both shops' '
	[ -n "$KEY" ] && [ -n "$CAVE_KEY" ] &&
	put_product "$P-CARD" "{\"name\": \"Carte de visite 350 g mat\", \"price\": 2490, \"vat_rate\": 2000,
		\"weight\": 120, \"ean\": \"3760123456784\", \"stock_on_hand\": 20}" && test_status 201 &&
	put_product "$P-FLYER" "{\"name\": \"Flyer A5\", \"price\": 1200, \"vat_rate\": 550,
		\"weight\": 50, \"stock_on_hand\": 1000}" && test_status 201 &&
	put_product "$P-LAST" "{\"name\": \"Dernier\", \"price\": 500, \"vat_rate\": 2000,
		\"stock_on_hand\": 1}" && test_status 201 &&
	put_product "$P-GONE" "{\"name\": \"Ancien\", \"price\": 500, \"vat_rate\": 2000,
		\"stock_on_hand\": 100, \"active\": false}" && test_status 201 &&
	put_product "$P-FREE" "{\"name\": \"Fichier PDF\", \"price\": 1000, \"vat_rate\": 2000,
		\"track_stock\": false}" && test_status 201 &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY put_product "$P-WINE" "{\"name\": \"Crémant de Bourgogne\",
		\"price\": 1450, \"vat_rate\": 2000, \"weight\": 1300, \"stock_on_hand\": 50}" && test_status 201
'

test_expect_success 'the issue'"'"'s example: 201, Location, code, number, status, totals' '
	before=$(sql "SELECT COUNT(*) FROM orders") &&
	post_order "$TEST_TMP/base.json" && test_status 201 &&
	header_has "^Content-Type: application/json" &&
	cp "$BODY" "$TEST_TMP/first.json" &&
	code=$(jget code) && echo "$code" | grep -Eq "$CODE_RE" &&
	header_has "^Location: /api/v1/orders/$code" &&
	number=$(jget number) && [ "$number" -ge 1 ] &&
	json_is status received &&
	json_is totals.lines 4980 && json_is totals.shipping 690 && json_is totals.shipping_vat_rate 2000 &&
	json_is totals.total 5670 && json_is totals.vat 945 && json_is totals.total_ex_vat 4725 &&
	json_is totals.prices_include_vat true &&
	json_is totals.vat_breakdown "[{\"rate\":2000,\"base\":4725,\"vat\":945}]" &&
	json_is lines.0.sku "$P-CARD" && json_is lines.0.quantity 2 && json_is lines.0.unit_price 2490 &&
	json_is lines.0.vat_rate 2000 && json_is lines.0.total 4980 && json_is lines.0.name "Carte de visite 350 g mat" &&
	json_is lines.0.ean 3760123456784 && json_is total_weight 240 &&
	json_is customer.email "$EMAIL" && json_is customer.last_name "Dupré" && json_is customer.phone +33612345678 &&
	json_is shipping_address.postcode 69003 && json_is billing_address.city Lyon &&
	json_is carrier colissimo && json_is payment_method banktransfer && json_is remarks "Livrer après 18 h" &&
	json_is external_reference WEB-10045 && json_is currency EUR && json_is payment_state unpaid &&
	json_is links.self "/api/v1/orders/$code" &&
	[ "$(sql "SELECT COUNT(*) FROM orders")" = $((before + 1)) ]
'
code1=$(jget code "$TEST_TMP/first.json" 2>/dev/null)
number1=$(jget number "$TEST_TMP/first.json" 2>/dev/null)

test_expect_success 'it is stored whole: totals, 1 line, 2 addresses, the first event, stock reserved' '
	[ "$(order_rows "$code1")" = "1 2 1 1" ] &&
	[ "$(sql "SELECT CONCAT_WS(\" \", status, number, total_cents, total_vat_cents, total_ex_vat_cents,
		lines_cents, shipping_cents, channel, customer_email, total_weight_g)
		FROM orders WHERE code = \"$code1\"")" = "received $number1 5670 945 4725 4980 690 web $EMAIL 240" ] &&
	[ "$(sql "SELECT CONCAT_WS(\" \", e.actor_type, e.action, e.actor_label) FROM order_events e
		JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.order_id WHERE o.code = \"$code1\"")" = "api order.created test-0310-$RUN" ] &&
	[ "$(sql "SELECT CONCAT_WS(\" \", l.sku, l.quantity, l.unit_price_cents, l.vat_rate, l.total_cents, l.reserved_stock)
		FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		WHERE o.code = \"$code1\"")" = "$P-CARD 2 2490 2000 4980 1" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(a.kind ORDER BY a.kind) FROM order_addresses a
		JOIN orders o ON o.shop_id = a.shop_id AND o.id = a.order_id WHERE o.code = \"$code1\"")" = billing,shipping ] &&
	[ "$(available "$P-CARD")" = 18 ] &&
	[ "$(sql "SELECT COUNT(*) FROM customers WHERE email = \"$EMAIL\"")" = 1 ]
'

test_expect_success 'GET /api/v1/orders/{code} returns the same order, byte for byte' '
	api GET "/api/v1/orders/$code1" && test_status 200 &&
	header_has "^Content-Type: application/json" && cmp "$BODY" "$TEST_TMP/first.json"
'

test_expect_success 'the code may be read back in lower case or with a dash' '
	lower=$(echo "$code1" | tr A-Z a-z) &&
	api GET "/api/v1/orders/$lower" && test_status 200 && json_is code "$code1" &&
	api GET "/api/v1/orders/${code1:0:4}-${code1:4:4}" && test_status 200 && json_is code "$code1"
'

test_expect_success 'an unknown code, or a code of no shape, is a 404 problem' '
	api GET /api/v1/orders/22222222 && problem 404 &&
	api GET /api/v1/orders/IIIIOOOO && problem 404 &&
	api GET /api/v1/orders/x && problem 404
'

test_expect_success 'another shop'"'"'s order is not found, exactly like a missing one; a foreign key is a 401' '
	HOST=$CAVE_HOST KEY=$CAVE_KEY api GET "/api/v1/orders/$code1" && problem 404 &&
	cp "$BODY" "$TEST_TMP/theirs" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY api GET /api/v1/orders/22222222 && problem 404 &&
	cmp "$BODY" "$TEST_TMP/theirs" &&
	HOST=$CAVE_HOST api GET "/api/v1/orders/$code1" && problem 401 &&
	KEY= api GET "/api/v1/orders/$code1" && problem 401
'

test_expect_success 'a second order: a higher number, another code, the same customer' '
	customers=$(sql "SELECT COUNT(*) FROM customers") &&
	mk second "lines.0.quantity=1" && post_order "$TEST_TMP/second.json" && test_status 201 &&
	cp "$BODY" "$TEST_TMP/second.out" &&
	[ "$(jget number)" -gt "$number1" ] && [ "$(jget code)" != "$code1" ] &&
	json_is customer.code "$(jget customer.code "$TEST_TMP/first.json")" &&
	[ "$(sql "SELECT COUNT(*) FROM customers")" = "$customers" ] &&
	[ "$(sql "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE customer_email = \"$EMAIL\"")" = 1 ] &&
	[ "$(available "$P-CARD")" = 17 ]
'

test_expect_success 'another e-mail is another customer, with its own code' '
	customers=$(sql "SELECT COUNT(*) FROM customers") &&
	mk other "customer.email=\"paul.$RUN@example.fr\"" "lines.0.quantity=1" &&
	post_order "$TEST_TMP/other.json" && test_status 201 &&
	[ "$(jget customer.code)" != "$(jget customer.code "$TEST_TMP/first.json")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM customers")" = $((customers + 1)) ] &&
	[ "$(jget number)" -gt "$(jget number "$TEST_TMP/second.out")" ]
'

test_expect_success 'a customer imported with its own code keeps it on the order' '
	mk imported "customer.email=\"import.$RUN@example.fr\"" "lines.0.quantity=1" &&
	post_order "$TEST_TMP/imported.json" && test_status 201 &&
	sql "UPDATE customers SET code = \"IMP-$RUN\" WHERE email = \"import.$RUN@example.fr\"" &&
	post_order "$TEST_TMP/imported.json" && test_status 201 && json_is customer.code "IMP-$RUN" &&
	[ "$(sql "SELECT customer_code FROM orders WHERE code = \"$(jget code)\"")" = "IMP-$RUN" ]
'

test_expect_success 'orders are snapshots: renaming and repricing the product changes no order' '
	put_product "$P-CARD" "{\"name\": \"Carte 400 g\", \"price\": 2990, \"weight\": 150}" && test_status 200 &&
	api GET "/api/v1/orders/$code1" && test_status 200 && cmp "$BODY" "$TEST_TMP/first.json" &&
	[ "$(sql "SELECT CONCAT_WS(\" \", l.name, l.unit_price_cents, o.total_cents) FROM order_lines l
		JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id WHERE o.code = \"$code1\"")" = "Carte de visite 350 g mat 2490 5670" ] &&
	mk third "lines.0.quantity=1" "shipping_cost=0" && post_order "$TEST_TMP/third.json" && test_status 201 &&
	json_is lines.0.name "Carte 400 g" && json_is lines.0.unit_price 2990 && json_is totals.total 2990
'

test_expect_success 'the customer as they were: a later order with a new name changes no earlier order' '
	mk renamed "customer.last_name=\"Dupré-Martin\"" "lines.0.quantity=1" &&
	post_order "$TEST_TMP/renamed.json" && test_status 201 && json_is customer.last_name Dupré-Martin &&
	api GET "/api/v1/orders/$code1" && json_is customer.last_name Dupré && cmp "$BODY" "$TEST_TMP/first.json"
'

test_expect_success 'VAT per rate on the sum of each rate, shipping at the highest rate' '
	mk mixed "lines=[{\"sku\": \"$P-CARD\", \"quantity\": 2, \"unit_price\": 2490},
		{\"sku\": \"$P-FLYER\", \"quantity\": 3}]" &&
	post_order "$TEST_TMP/mixed.json" && test_status 201 &&
	json_is totals.lines 8580 && json_is totals.shipping_vat_rate 2000 &&
	json_is totals.vat_breakdown "[{\"rate\":2000,\"base\":4725,\"vat\":945},{\"rate\":550,\"base\":3412,\"vat\":188}]" &&
	json_is totals.total_ex_vat 8137 && json_is totals.vat 1133 && json_is totals.total 9270 &&
	json_is total_weight 450
'

test_expect_success 'VAT is rounded half up to the cent (1503 TTC at 20 %: 250.5 -> 251)' '
	mk half "lines=[{\"sku\": \"$P-FREE\", \"quantity\": 1, \"unit_price\": 1503}]" "shipping_cost=0" &&
	post_order "$TEST_TMP/half.json" && test_status 201 &&
	json_is totals.vat 251 && json_is totals.total_ex_vat 1252 && json_is totals.total 1503
'

test_expect_success 'the print shop may send its own prices, VAT rates and discounts' '
	mk priced "lines=[{\"sku\": \"$P-FREE\", \"quantity\": 2, \"unit_price\": 1990, \"vat_rate\": 550,
		\"discount\": 80, \"options\": {\"paper\": \"350 g\"}}]" "title=\"Cartes de visite Dupont\"" &&
	post_order "$TEST_TMP/priced.json" && test_status 201 &&
	json_is lines.0.unit_price 1990 && json_is lines.0.vat_rate 550 && json_is lines.0.discount 80 &&
	json_is lines.0.total 3900 && json_is lines.0.options.paper "350 g" &&
	json_is totals.shipping_vat_rate 550 && json_is totals.total 4590 && json_is totals.vat 239 &&
	json_is title "Cartes de visite Dupont"
'

test_expect_success 'a product whose stock is not tracked reserves nothing' '
	mk free "lines=[{\"sku\": \"$P-FREE\", \"quantity\": 5000}]" && post_order "$TEST_TMP/free.json" &&
	test_status 201 &&
	[ "$(sql "SELECT stock_reserved FROM products WHERE sku = \"$P-FREE\"")" = 0 ]
'

test_expect_success 'numbers are per shop: the wine shop counts its own' '
	atelier=$(sql "SELECT value FROM shop_counters c JOIN shops s ON s.id = c.shop_id WHERE s.code = \"$SHOP_CODE\"") &&
	cave=$(sql "SELECT IFNULL((SELECT value FROM shop_counters c JOIN shops s ON s.id = c.shop_id
		WHERE s.code = \"$CAVE_CODE\" AND c.name = \"order_number\"), 0)") &&
	mk wine "lines=[{\"sku\": \"$P-WINE\", \"quantity\": 6}]" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY post_order "$TEST_TMP/wine.json" && test_status 201 &&
	cp "$BODY" "$TEST_TMP/wine.out" &&
	json_is number $((cave + 1)) && json_is totals.total 9390 &&
	[ "$(sql "SELECT value FROM shop_counters c JOIN shops s ON s.id = c.shop_id WHERE s.code = \"$SHOP_CODE\"")" = "$atelier" ] &&
	api GET "/api/v1/orders/$(jget code "$TEST_TMP/wine.out")" && problem 404
'

# Refusals. Each proves nothing was written (see rejected above).

test_expect_success '400: malformed JSON, not an object, duplicate members' '
	printf "%s" "{\"customer\": {" >"$TEST_TMP/bad.json" && rejected 400 "$TEST_TMP/bad.json" &&
	json_is type /problems/malformed-json &&
	head -c -3 "$TEST_TMP/base.json" >"$TEST_TMP/cut.json" && rejected 400 "$TEST_TMP/cut.json" &&
	echo "[]" >"$TEST_TMP/array.json" && rejected 400 "$TEST_TMP/array.json" &&
	printf "%s" "" >"$TEST_TMP/empty.json" && rejected 400 "$TEST_TMP/empty.json" &&
	sed "s/\"title\": \"\"}/\"title\": \"\", \"title\": \"x\"}/" "$TEST_TMP/base.json" >"$TEST_TMP/dup.json" &&
	rejected 400 "$TEST_TMP/dup.json" &&
	printf "{\"remarks\": \"\\xff\"}" >"$TEST_TMP/latin1.json" && rejected 400 "$TEST_TMP/latin1.json"
'

test_expect_success '401: no key, an unknown key, a key of the other shop' '
	KEY= rejected 401 "$TEST_TMP/base.json" && header_has "^WWW-Authenticate: Bearer" &&
	KEY=cpt_thisisnotakeythisisnotakeythisisnotakey rejected 401 "$TEST_TMP/base.json" &&
	KEY=$CAVE_KEY rejected 401 "$TEST_TMP/base.json" &&
	HOST=$CAVE_HOST rejected 401 "$TEST_TMP/wine.json"
'

test_expect_success '415: a body that is not application/json' '
	before=$(intake_state "$PAT") &&
	api POST /api/v1/orders -H "Content-Type: text/plain" --data-binary "@$TEST_TMP/base.json" &&
	problem 415 && unchanged "$before" "$PAT"
'

test_expect_success '409: more than is available, with the SKU, what was asked and what is left' '
	left=$(available "$P-CARD") && [ "$left" -gt 0 ] &&
	mk short "lines.0.quantity=$((left + 1))" "customer.email=\"new.$RUN@example.fr\"" &&
	rejected 409 "$TEST_TMP/short.json" /lines/0/quantity &&
	json_is type /problems/out-of-stock &&
	json_is errors.0.sku "$P-CARD" && json_is errors.0.requested $((left + 1)) &&
	json_is errors.0.available "$left"
'

test_expect_success '409 on the second line: the first line'"'"'s reservation is undone too' '
	mk short2 "lines=[{\"sku\": \"$P-CARD\", \"quantity\": 1}, {\"sku\": \"$P-LAST\", \"quantity\": 2}]" &&
	rejected 409 "$TEST_TMP/short2.json" /lines/1/quantity &&
	json_is errors.0.sku "$P-LAST" && json_is errors.0.requested 2 && json_is errors.0.available 1 &&
	[ "$(jsontool errors "$BODY" | wc -l)" = 1 ]
'

test_expect_success '409: two lines of one SKU count together; every short SKU is named' '
	mk twice "lines=[{\"sku\": \"$P-LAST\", \"quantity\": 1}, {\"sku\": \"$P-LAST\", \"quantity\": 1}]" &&
	rejected 409 "$TEST_TMP/twice.json" /lines/0/quantity &&
	json_is errors.0.requested 2 && json_is errors.0.available 1 &&
	left=$(available "$P-CARD") &&
	mk both "lines=[{\"sku\": \"$P-LAST\", \"quantity\": 3}, {\"sku\": \"$P-CARD\", \"quantity\": $((left + 5))}]" &&
	rejected 409 "$TEST_TMP/both.json" /lines/0/quantity /lines/1/quantity
'

test_expect_success 'the last unit can be sold; then it is a 409 with 0 available' '
	mk lastone "lines=[{\"sku\": \"$P-LAST\", \"quantity\": 1}]" &&
	post_order "$TEST_TMP/lastone.json" && test_status 201 && [ "$(available "$P-LAST")" = 0 ] &&
	rejected 409 "$TEST_TMP/lastone.json" /lines/0/quantity && json_is errors.0.available 0
'

pad_to() {   # pad_to FILE BYTES OUT: FILE's JSON padded with spaces to exactly BYTES
	"$PY" -c 'import sys
b = open(sys.argv[1], "rb").read().rstrip()
n = int(sys.argv[2])
sys.stdout.buffer.write(b[:-1] + b" " * (n - len(b)) + b"}")' "$1" "$2" >"$3"
}

test_expect_success '413: a body over the limit (1 MiB here), whatever it holds' '
	pad_to "$TEST_TMP/base.json" 1048577 "$TEST_TMP/big.json" && [ "$(wc -c <"$TEST_TMP/big.json")" = 1048577 ] &&
	rejected 413 "$TEST_TMP/big.json" && json_is type /problems/too-large &&
	pad_to "$TEST_TMP/base.json" 5000000 "$TEST_TMP/big5.json" && rejected 413 "$TEST_TMP/big5.json" &&
	IDEM=big-$RUN rejected 413 "$TEST_TMP/big.json"
'

test_expect_success 'a body of exactly 1 MiB is read and the order taken' '
	mk exact "lines.0.quantity=1" && pad_to "$TEST_TMP/exact.json" 1048576 "$TEST_TMP/exact1m.json" &&
	post_order "$TEST_TMP/exact1m.json" && test_status 201 &&
	IDEM=big-$RUN post_order "$TEST_TMP/base.json" && test_status 201 &&
	! grep -qi "^Idempotent-Replayed" "$HEADERS"
'

# 422: each edit of the example, the pointer it must be refused at.
while IFS="|" read -r edit pointer <&3; do
	[ -n "$edit" ] || continue
	test_expect_success "422 at $pointer: ${edit:0:90}" '
		mk invalid "$edit" && rejected 422 "$TEST_TMP/invalid.json" "$pointer" &&
		json_is type /problems/invalid-fields
	'
done 3<<CASES
lines.0.sku="NOPE-$RUN"|/lines/0/sku
lines.0.sku="$P-GONE"|/lines/0/sku
-lines.0.sku|/lines/0/sku
lines.0.sku=""|/lines/0/sku
lines.0.sku=42|/lines/0/sku
lines.0.quantity=0|/lines/0/quantity
lines.0.quantity=-1|/lines/0/quantity
lines.0.quantity=1000001|/lines/0/quantity
lines.0.quantity="2"|/lines/0/quantity
lines.0.quantity=1.5|/lines/0/quantity
-lines.0.quantity|/lines/0/quantity
lines=[]|/lines
-lines|/lines
lines={"sku": "$P-CARD"}|/lines
lines=["$P-CARD"]|/lines/0
lines.0.colour="blue"|/lines/0/colour
lines.0.discount=-1|/lines/0/discount
lines.0.discount=1000000|/lines/0
lines.0.unit_price=-1|/lines/0
lines.0.vat_rate=10001|/lines/0/vat_rate
lines.0.options="mat"|/lines/0/options
-customer|/customer
customer="Hélène"|/customer
customer.email="helene"|/customer/email
customer.email="helene@example"|/customer/email
customer.email="hélène dupré@example.fr"|/customer/email
customer.email="a@b@example.fr"|/customer/email
-customer.email|/customer/email
-customer.last_name|/customer/last_name
customer.phone="0612345678"|/customer/phone
customer.phone="+33 6 12 34 56 78"|/customer/phone
customer.locale="de"|/customer/locale
customer.age=42|/customer/age
-billing_address|/billing_address
-billing_address.name|/billing_address/name
-billing_address.line1|/billing_address/line1
billing_address.line1=""|/billing_address/line1
-billing_address.city|/billing_address/city
-billing_address.postcode|/billing_address/postcode
-billing_address.country|/billing_address/country
billing_address.country="fr"|/billing_address/country
billing_address.country="FRA"|/billing_address/country
billing_address.street="rue"|/billing_address/street
shipping_address.postcode="6900"|/shipping_address/postcode
shipping_address.postcode="6900A"|/shipping_address/postcode
shipping_address.postcode="690030"|/shipping_address/postcode
shipping_address.country="BE"|/shipping_address/postcode
-shipping_address.line1|/shipping_address/line1
shipping_address.phone="12"|/shipping_address/phone
shipping_cost=-1|/shipping_cost
shipping_cost=6.9|/shipping_cost
shipping_cost="690"|/shipping_cost
carrier="Colissimo Express"|/carrier
payment_method="carte bleue"|/payment_method
channel="fax"|/channel
test="yes"|/test
external_reference="$(printf 'R%.0s' $(seq 65))"|/external_reference
remarks="$(printf 'x%.0s' $(seq 2001))"|/remarks
title="$(printf 't%.0s' $(seq 256))"|/title
foo=1|/foo
CASES

test_expect_success '422: every problem at once, each at its pointer' '
	mk many "customer.email=\"nope\"" "billing_address.postcode=\"6\"" "lines.0.quantity=0" \
		"shipping_address.city=\"\"" &&
	rejected 422 "$TEST_TMP/many.json" /customer/email /billing_address/postcode /lines/0/quantity \
		/shipping_address/city
'

# Found when written: with more than INTAKE_MAX_LINES lines, parse_lines()
# leaves in->lines NULL and validate() reads it: the server crashes (SIGSEGV),
# every request in flight is lost, nginx answers 502 until it is restarted.
test_expect_success '422: more than 200 lines (and the server survives it)' '
	"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); d[\"lines\"]=[{\"sku\": sys.argv[2], \"quantity\": 1}]*201; print(json.dumps(d))" \
		"$TEST_TMP/base.json" "$P-FLYER" >"$TEST_TMP/201.json" &&
	rejected 422 "$TEST_TMP/201.json" /lines
'
server_running || server_restart

test_expect_success '422: the wine shop takes its prices from the catalogue only' '
	jsontool edit "$TEST_TMP/wine.json" "lines.0.unit_price=100" >"$TEST_TMP/wp.json" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY rejected 422 "$TEST_TMP/wp.json" /lines/0/unit_price &&
	jsontool edit "$TEST_TMP/wine.json" "lines.0.vat_rate=550" >"$TEST_TMP/wv.json" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY rejected 422 "$TEST_TMP/wv.json" /lines/0/vat_rate &&
	jsontool edit "$TEST_TMP/wine.json" "lines.0.unit_price=1450" >"$TEST_TMP/ws.json" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY rejected 422 "$TEST_TMP/ws.json" /lines/0/unit_price
'

# Found when written: a discount is a price, yet the wine shop accepts it
# from the storefront, so storefront_prices: false can be got round.
test_expect_success '422: nor a discount the storefront makes up (storefront_prices: false)' '
	jsontool edit "$TEST_TMP/wine.json" "lines.0.discount=8700" >"$TEST_TMP/wd.json" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY rejected 422 "$TEST_TMP/wd.json" /lines/0/discount
'

# Found when written: MariaDB refuses to compare the ASCII sku column with a
# non-ASCII string (error 1267) and the intake answered 503.
test_expect_success '422, not a 5xx: a SKU with non-ASCII letters' '
	mk accent "lines.0.sku=\"CAFÉ-$RUN\"" && rejected 422 "$TEST_TMP/accent.json" /lines/0/sku
'

# Found when written: weight (g) x quantity overflows order_lines.weight_g
# and orders.total_weight_g (INT UNSIGNED, 4.29 t): MariaDB error 1264, 503.
test_expect_success 'a heavy order (10 t x 500) is taken or refused with a 422, never a 5xx' '
	put_product "$P-HEAVY" "{\"name\": \"Presse\", \"price\": 100, \"vat_rate\": 2000,
		\"weight\": 10000000, \"track_stock\": false}" && test_status 201 &&
	mk heavy "lines=[{\"sku\": \"$P-HEAVY\", \"quantity\": 500}]" &&
	before=$(intake_state "$PAT") && post_order "$TEST_TMP/heavy.json" &&
	case $STATUS in
	201) json_is total_weight 5000000000 ;;
	422) problem 422 && unchanged "$before" "$PAT" ;;
	*) echo "status $STATUS"; cat "$BODY"; false ;;
	esac
'

# Idempotency.

test_expect_success 'Idempotency-Key: the first request creates the order' '
	mk idem "lines.0.quantity=1" "external_reference=\"IDEM-$RUN\"" &&
	IDEM=idem-$RUN post_order "$TEST_TMP/idem.json" && test_status 201 &&
	! grep -qi "^Idempotent-Replayed" "$HEADERS" &&
	cp "$BODY" "$TEST_TMP/idem.out" && grep -i "^Location:" "$HEADERS" >"$TEST_TMP/idem.loc"
'

test_expect_success 'the same key and body: the same status and body, marked replayed, nothing written' '
	before=$(intake_state "$PAT") &&
	IDEM=idem-$RUN post_order "$TEST_TMP/idem.json" && test_status 201 &&
	cmp "$BODY" "$TEST_TMP/idem.out" && header_has "^Idempotent-Replayed: true" &&
	grep -i "^Location:" "$HEADERS" | cmp - "$TEST_TMP/idem.loc" &&
	unchanged "$before" "$PAT" &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE external_reference = \"IDEM-$RUN\"")" = 1 ]
'

test_expect_success 'the replay is the first answer even after the product changed' '
	put_product "$P-CARD" "{\"price\": 3490}" && test_status 200 &&
	before=$(intake_state "$PAT") &&
	IDEM=idem-$RUN post_order "$TEST_TMP/idem.json" && test_status 201 &&
	cmp "$BODY" "$TEST_TMP/idem.out" && unchanged "$before" "$PAT"
'

test_expect_success 'the same key with another body: 422, nothing written' '
	mk idem2 "lines.0.quantity=2" "external_reference=\"IDEM-$RUN\"" &&
	IDEM=idem-$RUN rejected 422 "$TEST_TMP/idem2.json" &&
	json_is type /problems/idempotency-key-reused &&
	sed "s/^{/{ /" "$TEST_TMP/idem.json" >"$TEST_TMP/idem-spaces.json" &&
	! cmp -s "$TEST_TMP/idem.json" "$TEST_TMP/idem-spaces.json" &&
	IDEM=idem-$RUN rejected 422 "$TEST_TMP/idem-spaces.json"
'

test_expect_success 'keys are per shop: the same key on the wine shop is a new order there' '
	HOST=$CAVE_HOST KEY=$CAVE_KEY IDEM=idem-$RUN post_order "$TEST_TMP/wine.json" && test_status 201 &&
	! grep -qi "^Idempotent-Replayed" "$HEADERS" && [ "$(jget code)" != "$(jget code "$TEST_TMP/idem.out")" ]
'

test_expect_success 'a refused request keeps no key: corrected, it is taken' '
	mk bad-idem "lines.0.quantity=0" && IDEM=retry-$RUN rejected 422 "$TEST_TMP/bad-idem.json" &&
	mk good-idem "lines.0.quantity=1" && IDEM=retry-$RUN post_order "$TEST_TMP/good-idem.json" &&
	test_status 201 && ! grep -qi "^Idempotent-Replayed" "$HEADERS"
'

test_expect_success 'a 409 keeps no key: once restocked, the same request with the same key is taken' '
	mk restock "lines=[{\"sku\": \"$P-LAST\", \"quantity\": 2}]" &&
	IDEM=restock-$RUN rejected 409 "$TEST_TMP/restock.json" /lines/0/quantity &&
	put_product "$P-LAST" "{\"stock_on_hand\": 3}" && test_status 200 &&
	IDEM=restock-$RUN post_order "$TEST_TMP/restock.json" && test_status 201 &&
	! grep -qi "^Idempotent-Replayed" "$HEADERS" && [ "$(available "$P-LAST")" = 0 ] &&
	IDEM=restock-$RUN post_order "$TEST_TMP/restock.json" && test_status 201 &&
	header_has "^Idempotent-Replayed: true"
'

test_expect_success 'keys are kept at least 24 h (23 h old, after comptoir work: still replayed)' '
	sql "UPDATE idempotency_keys SET created_at = NOW(6) - INTERVAL 23 HOUR WHERE idem_key = \"idem-$RUN\"" &&
	"$CPT_BIN" --config "$CPT_CONFIG" work --once >/dev/null 2>&1 &&
	before=$(intake_state "$PAT") &&
	IDEM=idem-$RUN post_order "$TEST_TMP/idem.json" && test_status 201 &&
	cmp "$BODY" "$TEST_TMP/idem.out" && unchanged "$before" "$PAT"
'

test_expect_success 'an empty or over-long Idempotency-Key: 400' '
	before=$(intake_state "$PAT") &&
	post_order "$TEST_TMP/idem.json" -H "Idempotency-Key;" && problem 400 &&
	IDEM=$(printf "k%.0s" $(seq 256)) post_order "$TEST_TMP/idem.json" && problem 400 &&
	unchanged "$before" "$PAT"
'

# Found when written: the key is compared with an ASCII column; MariaDB
# refuses non-ASCII (error 1267) and the intake answered 503.
test_expect_success 'a non-ASCII Idempotency-Key is a 400, not a 5xx' '
	IDEM="clé-$RUN" rejected 400 "$TEST_TMP/idem.json"
'

test_expect_success 'after all this, every order of this script is whole and stock adds up' '
	[ "$(sql "SELECT COUNT(*) FROM orders o WHERE o.number IS NULL
		OR NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)
		OR (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) <> 2
		OR NOT EXISTS (SELECT 1 FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id)")" = 0 ] &&
	bad=$(sql "SELECT p.sku, p.stock_reserved, IFNULL(SUM(l.quantity), 0) FROM products p
		LEFT JOIN order_lines l ON l.shop_id = p.shop_id AND l.product_id = p.id AND l.reserved_stock = 1
		WHERE p.sku LIKE \"$PAT\" GROUP BY p.shop_id, p.id HAVING p.stock_reserved <> IFNULL(SUM(l.quantity), 0)") &&
	{ [ -z "$bad" ] || { echo "stock does not match the orders: $bad"; false; }; }
'

test_done
