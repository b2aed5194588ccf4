#!/usr/bin/env bash
# The catalogue sync API: PUT/GET /api/v1/products/{sku} and the paginated
# list, authenticated by a shop's API key; every refusal is a problem
# document naming the field, and changes nothing.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

# Two shops of its own: the print shop, and the wine shop as the other one.
test_shop_new wine || test_bail "no shop of its own"
CAVE_CODE=$SHOP_CODE CAVE_HOST=$SHOP_HOST
test_shop_new || test_bail "no shop of its own"
KEY=$(new_key "$SHOP_CODE" "test-0300-$RUN")
CAVE_KEY=$(new_key "$CAVE_CODE" "test-0300-$RUN")
P=T0300-$RUN
CARD='{"name": "Carte de visite 350 g mat", "price": 2490, "vat_rate": 2000, "weight": 120,
	"ean": "3760123456784", "low_stock_threshold": 5, "stock_on_hand": 10}'

# The stored row of product $1 in shop $2 (this script's print shop by default), every column.
row() {
	sql "SELECT CONCAT_WS('|', p.sku, p.name, p.price_cents, p.vat_rate, p.weight_g,
		IFNULL(p.ean, 'NULL'), p.track_stock, p.stock_on_hand, p.stock_reserved,
		p.low_stock_threshold, p.customisable, p.active, p.updated_at)
		FROM products p JOIN shops s ON s.id = p.shop_id
		WHERE s.code = '${2:-$SHOP_CODE}' AND p.sku = '$1'"
}

# refused SKU JSON STATUS POINTER…: the PUT is refused with that problem,
# and the product (existing or not) is exactly as before.
refused() {
	local sku=$1 json=$2 status=$3 before
	shift 3
	before=$(row "$sku")
	put_product "$sku" "$json" && problem "$status" "$@" || return 1
	[ "$(row "$sku")" = "$before" ] || { echo "product $sku changed: $before -> $(row "$sku")"; return 1; }
}

# A minimal order of $2 units of SKU $1 on the print shop.
order_of() {
	cat >"$TEST_TMP/order.json" <<-JSON
	{"customer": {"first_name": "Léa", "last_name": "Martin", "email": "lea.$RUN@example.fr"},
	 "billing_address": {"name": "Léa Martin", "line1": "3 quai Saint-Vincent", "postcode": "69001",
	                     "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "$1", "quantity": $2}]}
	JSON
	post_order "$TEST_TMP/order.json"
}

test_expect_success 'setup: one API key per shop, made with comptoir shop api-key' '
	case $KEY in cpt_?*) ;; *) echo "atelier key: $KEY"; false ;; esac &&
	case $CAVE_KEY in cpt_?*) ;; *) echo "cave key: $CAVE_KEY"; false ;; esac &&
	[ "$KEY" != "$CAVE_KEY" ] &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE name = \"test-0300-$RUN\"")" = 2 ] &&
	keyed=$(/usr/bin/python3 "$SRC_DIR/tests/lib/blake2b.py" \
		--key-file "$(dirname "$CPT_CONFIG")/secret.key" --subkey 1 "$KEY") &&
	plain=$(/usr/bin/python3 "$SRC_DIR/tests/lib/blake2b.py" "$KEY") &&
	[ "$(sql "SELECT CONCAT(s.code, \" \", k.prefix) FROM api_keys k JOIN shops s ON s.id = k.shop_id
		WHERE k.key_hash = UNHEX(\"$keyed\")")" = "$SHOP_CODE ${KEY:0:8}" ] &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE key_hash = UNHEX(\"$plain\")")" = 0 ] &&
	mariadb-dump --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot --hex-blob comptoir api_keys >"$TEST_TMP/dump" &&
	grep -q "${KEY:0:8}" "$TEST_TMP/dump" && ! grep -qF "${KEY:0:9}" "$TEST_TMP/dump" &&
	"$CPT_BIN" --config "$CPT_CONFIG" shop api-keys --shop "$SHOP_CODE" >"$TEST_TMP/keys" &&
	grep -q "^${KEY:0:8}…	test-0300-$RUN	" "$TEST_TMP/keys" && ! grep -qF "${KEY:0:9}" "$TEST_TMP/keys" &&
	! grep -qi "$(printf %s "$KEY" | od -An -tx1 | tr -d " \n")" "$TEST_TMP/dump"
'

test_expect_success 'PUT of a new SKU creates it: 201, Location, the product as JSON' '
	put_product "$P-CARD" "$CARD" && test_status 201 &&
	header_has "^Location: /api/v1/products/$P-CARD" &&
	header_has "^Content-Type: application/json" &&
	json_is sku "$P-CARD" && json_is name "Carte de visite 350 g mat" && json_is price 2490 &&
	json_is vat_rate 2000 && json_is weight 120 && json_is ean 3760123456784 &&
	json_is low_stock_threshold 5 && json_is stock_on_hand 10 && json_is reserved 0 &&
	json_is available 10 && json_is track_stock true && json_is customisable false &&
	json_is active true && ! jsontool has "$BODY" warnings &&
	row "$P-CARD" | grep -q "^$P-CARD|Carte de visite 350 g mat|2490|2000|120|3760123456784|1|10|0|5|0|1|"
'

test_expect_success 'PUT of an existing SKU changes what it names and keeps the rest: 200' '
	put_product "$P-CARD" "{\"price\": 2590, \"stock_on_hand\": 12}" && test_status 200 &&
	! grep -qi "^Location:" "$HEADERS" &&
	json_is price 2590 && json_is stock_on_hand 12 && json_is available 12 &&
	json_is name "Carte de visite 350 g mat" && json_is vat_rate 2000 && json_is weight 120 &&
	json_is ean 3760123456784 && json_is low_stock_threshold 5 &&
	row "$P-CARD" | grep -q "^$P-CARD|Carte de visite 350 g mat|2590|2000|120|3760123456784|1|12|0|5|0|1|"
'

test_expect_success 'GET returns the stored product' '
	api GET "/api/v1/products/$P-CARD" && test_status 200 &&
	json_is sku "$P-CARD" && json_is price 2590 && json_is stock_on_hand 12 &&
	json_is reserved 0 && json_is available 12
'

test_expect_success 'an EAN with a wrong check digit is kept, with a warning; null or "" (no barcode) clears it' '
	put_product "$P-CARD" "{\"ean\": \"3760123456781\"}" && test_status 200 &&
	json_is ean 3760123456781 && json_is warnings.0.pointer /ean &&
	put_product "$P-CARD" "{\"ean\": null}" && test_status 200 && json_is ean null &&
	[ "$(sql "SELECT ean IS NULL FROM products WHERE sku = \"$P-CARD\"")" = 1 ] &&
	put_product "$P-CARD" "{\"ean\": \"3760123456784\"}" && test_status 200 && json_is ean 3760123456784 &&
	put_product "$P-CARD" "{\"ean\": \"\"}" && test_status 200 && json_is ean null &&
	[ "$(sql "SELECT ean IS NULL FROM products WHERE sku = \"$P-CARD\"")" = 1 ] &&
	put_product "$P-CARD" "{\"ean\": \"3760123456784\"}" && test_status 200 && json_is ean 3760123456784
'

test_expect_success 'once an order holds stock, GET shows it reserved and no longer available' '
	order_of "$P-CARD" 3 && test_status 201 &&
	api GET "/api/v1/products/$P-CARD" && test_status 200 &&
	json_is stock_on_hand 12 && json_is reserved 3 && json_is available 9
'

test_expect_success 'stock_on_hand below what is reserved: 422 at /stock_on_hand, nothing changed' '
	refused "$P-CARD" "{\"stock_on_hand\": 2, \"price\": 1}" 422 /stock_on_hand &&
	api GET "/api/v1/products/$P-CARD" && json_is stock_on_hand 12 && json_is reserved 3 &&
	json_is price 2590
'

test_expect_success 'stock_on_hand equal to what is reserved is allowed: nothing left available' '
	put_product "$P-CARD" "{\"stock_on_hand\": 3}" && test_status 200 &&
	json_is stock_on_hand 3 && json_is reserved 3 && json_is available 0 &&
	put_product "$P-CARD" "{\"stock_on_hand\": 12}" && test_status 200 && json_is available 9
'

test_expect_success 'a new product needs a name, a price and a VAT rate: 422 naming each' '
	refused "$P-NEW" "{}" 422 /name /price /vat_rate &&
	refused "$P-NEW" "{\"price\": 100, \"vat_rate\": 2000}" 422 /name &&
	refused "$P-NEW" "{\"name\": \"x\", \"vat_rate\": 2000}" 422 /price &&
	refused "$P-NEW" "{\"name\": \"x\", \"price\": 100}" 422 /vat_rate &&
	api GET "/api/v1/products/$P-NEW" && problem 404
'

# Each refused both as a new product and as an update of an existing one.
# (The cases come on fd 3: the tests keep their standard input.)
while IFS='|' read -r json pointer <&3; do
	[ -n "$json" ] || continue
	test_expect_success "refused with 422 at $pointer: $json" '
		new=$(echo "{\"name\": \"x\", \"price\": 100, \"vat_rate\": 2000}" | jsontool merge - "{$json}") &&
		refused "$P-NEW" "$new" 422 "$pointer" &&
		api GET "/api/v1/products/$P-NEW" && problem 404 &&
		refused "$P-CARD" "{$json}" 422 "$pointer"
	'
done 3<<'CASES'
"price": -1|/price
"price": 1000000001|/price
"vat_rate": 10001|/vat_rate
"vat_rate": -1|/vat_rate
"name": ""|/name
"weight": -1|/weight
"stock_on_hand": -1|/stock_on_hand
"low_stock_threshold": -1|/low_stock_threshold
"ean": "12345"|/ean
"ean": "376012345678X"|/ean
"ean": "376012345678412"|/ean
"ean": " 3760123456784"|/ean
"colour": "blue"|/colour
"price": "2490"|/price
"price": 24.90|/price
"vat_rate": 20.0|/vat_rate
"name": 42|/name
"ean": 3760123456784|/ean
"stock_on_hand": "10"|/stock_on_hand
"track_stock": "yes"|/track_stock
"active": 1|/active
"customisable": null, "weight": {}|/weight
CASES

test_expect_success 'the limits themselves are accepted: VAT 0 and 100 %, price 0, EAN-8, UPC-A, GTIN-14' '
	put_product "$P-EDGE" "{\"name\": \"Bord\", \"price\": 0, \"vat_rate\": 0, \"ean\": \"96385074\"}" &&
	test_status 201 && json_is price 0 && json_is vat_rate 0 && json_is ean 96385074 &&
	put_product "$P-EDGE" "{\"vat_rate\": 10000, \"ean\": \"036000291452\"}" && test_status 200 &&
	json_is vat_rate 10000 && json_is ean 036000291452 &&
	put_product "$P-EDGE" "{\"ean\": \"10012345678902\", \"price\": 1000000000}" && test_status 200 &&
	json_is ean 10012345678902 && json_is price 1000000000
'

test_expect_success 'a SKU that is not a SKU: PUT 422, GET 404' '
	put_product "bad%20sku" "$CARD" && problem 422 &&
	put_product "$(printf "A%.0s" $(seq 65))" "$CARD" && problem 422 &&
	api GET "/api/v1/products/bad%20sku" && problem 404 &&
	[ "$(sql "SELECT COUNT(*) FROM products WHERE sku LIKE \"bad%\" OR LENGTH(sku) > 64")" = 0 ]
'

test_expect_success 'malformed JSON, a body that is not an object, duplicate members: 400' '
	refused "$P-NEW" "{\"name\": \"x\"," 400 &&
	refused "$P-NEW" "[1, 2]" 400 &&
	refused "$P-NEW" "\"x\"" 400 &&
	refused "$P-NEW" "{\"name\": \"a\", \"name\": \"b\", \"price\": 1, \"vat_rate\": 0}" 400 &&
	refused "$P-CARD" "{\"price\": 1" 400 &&
	refused "$P-CARD" "" 400 &&
	api GET "/api/v1/products/$P-NEW" && problem 404
'

test_expect_success 'a body that is not application/json: 415, nothing changed' '
	before=$(row "$P-CARD") &&
	printf "%s" "{\"price\": 1}" >"$TEST_TMP/p.json" &&
	api PUT "/api/v1/products/$P-CARD" -H "Content-Type: text/plain" --data-binary "@$TEST_TMP/p.json" &&
	problem 415 &&
	api PUT "/api/v1/products/$P-CARD" --data-binary "@$TEST_TMP/p.json" && problem 415 &&
	api PUT "/api/v1/products/$P-CARD" -H "Content-Type:" --data-binary "@$TEST_TMP/p.json" && problem 415 &&
	[ "$(row "$P-CARD")" = "$before" ]
'

test_expect_success 'no key, a wrong key, another scheme: 401 with WWW-Authenticate, nothing changed' '
	before=$(row "$P-CARD") &&
	for auth in "" "Bearer" "Bearer " "Bearer cpt_wrongwrongwrongwrongwrongwrongwrong" "Bearer $KEY$KEY" \
		"Bearer ${KEY%?}" "Basic $KEY" "$KEY"; do
		printf "%s" "{\"price\": 1}" >"$TEST_TMP/p.json" &&
		STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w "%{http_code}" -X PUT -H "Host: $HOST" \
			${auth:+-H "Authorization: $auth"} -H "Content-Type: application/json" \
			--data-binary "@$TEST_TMP/p.json" "http://127.0.0.1:$CPT_PORT/api/v1/products/$P-CARD") &&
		problem 401 && header_has "^WWW-Authenticate: Bearer" || { echo "with [$auth]"; exit 1; }
	done &&
	KEY= api GET "/api/v1/products/$P-CARD" && problem 401 &&
	KEY= api GET "/api/v1/products" && problem 401 &&
	[ "$(row "$P-CARD")" = "$before" ]
'

test_expect_success 'the key is checked before the body: bad JSON without a key is a 401' '
	KEY= put_product "$P-NEW" "{" && problem 401
'

test_expect_success 'a revoked key is refused at once; the shop'"'"'s other keys still work' '
	k2=$(new_key "$SHOP_CODE" "test-0300-revoke-$RUN") && [ -n "$k2" ] &&
	KEY=$k2 api GET "/api/v1/products/$P-CARD" && test_status 200 &&
	"$CPT_BIN" --config "$CPT_CONFIG" shop revoke-key --shop "$SHOP_CODE" --prefix "${k2:0:12}" &&
	[ "$(sql "SELECT revoked_at IS NOT NULL FROM api_keys WHERE prefix = \"${k2:0:8}\"")" = 1 ] &&
	KEY=$k2 api GET "/api/v1/products/$P-CARD" && problem 401 &&
	before=$(row "$P-CARD") &&
	KEY=$k2 put_product "$P-CARD" "{\"price\": 1}" && problem 401 &&
	KEY=$k2 put_product "$P-REVOKED" "$CARD" && problem 401 &&
	[ "$(row "$P-CARD")" = "$before" ] && [ -z "$(row "$P-REVOKED")" ] &&
	api GET "/api/v1/products/$P-CARD" && test_status 200
'

test_expect_success 'revoke-key with an unknown prefix fails and revokes nothing' '
	n=$(sql "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL") &&
	! "$CPT_BIN" --config "$CPT_CONFIG" shop revoke-key --shop "$SHOP_CODE" --prefix cpt_nosuchke 2>/dev/null &&
	! "$CPT_BIN" --config "$CPT_CONFIG" shop revoke-key --shop "$CAVE_CODE" --prefix "${KEY:0:12}" 2>/dev/null &&
	[ "$(sql "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")" = "$n" ] &&
	api GET "/api/v1/products/$P-CARD" && test_status 200
'

test_expect_success 'a key of the print shop on the wine shop'"'"'s host: 401, nothing written there' '
	HOST=$CAVE_HOST api GET "/api/v1/products/$P-CARD" && problem 401 &&
	HOST=$CAVE_HOST put_product "$P-CARD" "$CARD" && problem 401 &&
	HOST=$CAVE_HOST api GET /api/v1/products && problem 401 &&
	[ -z "$(row "$P-CARD" "$CAVE_CODE")" ]
'

# Every response has an id of its own (X-Request-Id): all else is the same.
test_expect_success 'another shop'"'"'s product is not found, exactly like one that does not exist' '
	HOST=$CAVE_HOST KEY=$CAVE_KEY api GET "/api/v1/products/$P-CARD" && problem 404 &&
	cp "$BODY" "$TEST_TMP/theirs" &&
	sed -e "/^Date:/d" -e "/^X-Request-Id:/d" "$HEADERS" >"$TEST_TMP/theirs.h" &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY api GET "/api/v1/products/$P-NOSUCH" && problem 404 &&
	sed -e "/^Date:/d" -e "/^X-Request-Id:/d" "$HEADERS" >"$TEST_TMP/missing.h" &&
	cmp "$BODY" "$TEST_TMP/theirs" && cmp "$TEST_TMP/missing.h" "$TEST_TMP/theirs.h"
'

test_expect_success 'the same SKU in another shop is another product; the first is untouched' '
	before=$(row "$P-CARD") &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY put_product "$P-CARD" "{\"name\": \"Crémant\", \"price\": 1450, \"vat_rate\": 2000}" &&
	test_status 201 && json_is name Crémant && json_is reserved 0 &&
	[ "$(row "$P-CARD")" = "$before" ] &&
	row "$P-CARD" "$CAVE_CODE" | grep -q "^$P-CARD|Crémant|1450|" &&
	api GET "/api/v1/products/$P-CARD" && json_is name "Carte de visite 350 g mat" && json_is reserved 3
'

test_expect_success 'setup: five products to page through, and one of the wine shop among them' '
	for i in 1 2 3 4 5; do
		put_product "$P-L$i" "{\"name\": \"Produit $i\", \"price\": ${i}00, \"vat_rate\": 2000}" &&
		test_status 201 || exit 1
	done &&
	HOST=$CAVE_HOST KEY=$CAVE_KEY put_product "$P-L25" "{\"name\": \"Vin\", \"price\": 900, \"vat_rate\": 2000}" &&
	test_status 201
'

test_expect_success 'the list by pages: limit, the next cursor, SKU order, only this shop' '
	api GET "/api/v1/products?after=$P-L&limit=2" && test_status 200 &&
	header_has "^Content-Type: application/json" &&
	[ "$(jsontool column "$BODY" items sku | tr "\n" " ")" = "$P-L1 $P-L2 " ] && json_is next "$P-L2" &&
	json_is items.0.name "Produit 1" && json_is items.0.price 100 && json_is items.0.available 0 &&
	api GET "/api/v1/products?after=$P-L2&limit=2" && test_status 200 &&
	[ "$(jsontool column "$BODY" items sku | tr "\n" " ")" = "$P-L3 $P-L4 " ] && json_is next "$P-L4" &&
	api GET "/api/v1/products?after=$P-L4&limit=2" && test_status 200 &&
	json_is items.0.sku "$P-L5"
'

test_expect_success 'following next from the start visits every product once, in order' '
	after= && : >"$TEST_TMP/seen" && pages=0 &&
	while :; do
		api GET "/api/v1/products?limit=500${after:+&after=$after}" && test_status 200 || exit 1
		jsontool column "$BODY" items sku >>"$TEST_TMP/seen" &&
		after=$(jget next) && pages=$((pages + 1)) || exit 1
		[ "$after" != null ] && [ "$pages" -lt 10000 ] || break
	done &&
	[ "$(sql "SELECT COUNT(*) FROM products p JOIN shops s ON s.id = p.shop_id WHERE s.code = \"$SHOP_CODE\"")" = "$(wc -l <"$TEST_TMP/seen")" ] &&
	sort -u "$TEST_TMP/seen" | cmp - "$TEST_TMP/seen" &&
	grep -qx "$P-CARD" "$TEST_TMP/seen" && grep -qx "$P-L5" "$TEST_TMP/seen" &&
	! grep -qx "$P-L25" "$TEST_TMP/seen"
'

test_expect_success 'without parameters: a page of at most 50 and a next member' '
	api GET /api/v1/products && test_status 200 &&
	jsontool has "$BODY" next && [ "$(jsontool column "$BODY" items sku | wc -l)" -le 50 ]
'

test_expect_success 'a limit out of 1..500 or not a number: 400' '
	for l in 0 501 -1 abc 2x ""; do
		api GET "/api/v1/products?limit=$l" && problem 400 || { echo "limit=$l"; exit 1; }
	done &&
	api GET "/api/v1/products?limit=500" && test_status 200
'

# Known bug when written: MariaDB refuses to compare the ASCII sku column
# with a non-ASCII string (error 1267), and the API answers 503.
test_expect_success 'a cursor that cannot be a SKU is a client error or an empty page, never a 5xx' '
	api GET "/api/v1/products?after=%C3%89t%C3%A9&limit=2" &&
	case $STATUS in 200|400|422) ;; *) echo "status $STATUS"; cat "$BODY"; false ;; esac
'

test_expect_success 'methods the API does not have: 405 or 404 as a problem, never a 5xx' '
	api DELETE "/api/v1/products/$P-CARD" &&
	case $STATUS in 404|405) ;; *) echo "status $STATUS"; false ;; esac &&
	header_has "^Content-Type: application/problem+json" &&
	api GET "/api/v1/products/$P-CARD" && test_status 200
'

test_done
