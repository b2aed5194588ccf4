#!/usr/bin/env bash
# comptoir seed: realistic orders, and every one of them consistent.
# Seeds a wine shop of its own (removed at the end); checks only what the
# seed wrote (orders by their numbers, products by their seed SKUs).
. "$(dirname "$0")/../lib/test-lib.sh"

cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }
# zero "what" SQL: the query must count 0 rows at fault.
zero() {
	local n
	n=$(sql "$2") || return 1
	[ "$n" = 0 ] || { echo "$1: $n"; return 1; }
}

test_shop_new "" "{customer_account_required: true, storefront_prices: false, prices_include_vat: true}" ||
	test_bail "no shop of its own"
CAVE=$SHOP_ID
counter() { sql "SELECT COALESCE(MAX(value), 0) FROM shop_counters WHERE shop_id = $CAVE AND name = 'order_number'"; }
# Everything seed may touch, to prove a refused command changed nothing.
snapshot() {
	sql "SELECT (SELECT COUNT(*) FROM shops), (SELECT COUNT(*) FROM products),
		(SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM orders),
		(SELECT COUNT(*) FROM order_lines), (SELECT COUNT(*) FROM order_events),
		(SELECT COALESCE(SUM(value), 0) FROM shop_counters),
		(SELECT COALESCE(SUM(stock_reserved + stock_on_hand), 0) FROM products)"
}
# The orders of the last seed run, as SQL: the cave's numbers first..last.
seeded() { echo "o.shop_id = $CAVE AND o.number BETWEEN $(cat "$TEST_TMP/first") AND $(cat "$TEST_TMP/last")"; }
SEED_SKU="'^[A-Z]{3}-[0-9]{4}\$'"

test_expect_success 'bad arguments are refused with the usage and change nothing' '
	before=$(snapshot) &&
	for args in "--orders -5 --products 40" "--orders 500 --products -1" "--orders 500 --products 0" \
		"--orders 10 --products 5 --customers 0" "--orders 10 --products 5 --customers 11" \
		"--orders abc --products 5" "--orders 5" "--orders 5 --products 5 --frobnicate 1" \
		"--orders 5 --products 5 --kind beer" "--orders 5 --products 5 --threads 0" \
		"--orders 5 --products 5 --orders 6" "--orders 5 --products"; do
		cpt seed --shop "$SHOP_CODE" $args; rc=$?
		[ "$rc" = 2 ] || { echo "seed --shop $SHOP_CODE $args: status $rc, wanted 2"; cat "$TEST_TMP/out"; exit 1; }
		out_has "usage: comptoir seed" || exit 1
	done &&
	! cpt seed --orders 5 --products 5 && out_has "either --shop CODE or --shops N" &&
	! cpt seed --shop "$SHOP_CODE" --shops 2 --orders 5 --products 5 && out_has "usage: comptoir seed" &&
	! cpt seed --shops 0 --orders 5 --products 5 && out_has "--shops must be" &&
	[ "$(snapshot)" = "$before" ]
'

test_expect_success 'seed --shop nowhere fails cleanly and changes nothing' '
	before=$(snapshot) &&
	! cpt seed --shop nowhere --orders 5 --products 5 &&
	out_has "no shop '"'"'nowhere'"'"' in the configuration" &&
	[ "$(snapshot)" = "$before" ] &&
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"nowhere\"")" = 0 ]
'

test_expect_success 'seed of a wine shop writes 500 orders numbered after the counter' '
	c0=$(counter) &&
	echo $((c0 + 1)) >"$TEST_TMP/first" && echo $((c0 + 500)) >"$TEST_TMP/last" &&
	cpt seed --shop "$SHOP_CODE" --kind wine --orders 500 --products 40 &&
	out_has "seed: 500 orders, " && out_has "orders/s)" && out_has "wine catalogue" &&
	[ "$(counter)" = $((c0 + 500)) ] &&
	[ "$(sql "SELECT COUNT(*), COUNT(DISTINCT number) FROM orders o WHERE $(seeded)")" = "500	500" ] &&
	[ "$(sql "SELECT MAX(number) FROM orders WHERE shop_id = $CAVE")" = $((c0 + 500)) ]
'

test_expect_success 'order codes are unique in the shop and well formed' '
	zero "duplicate codes" "SELECT COUNT(*) - COUNT(DISTINCT code) FROM orders WHERE shop_id = $CAVE" &&
	zero "malformed codes" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND code NOT REGEXP \"^[2-9ABCDEFGHJKMNPQRSTUVWXYZ]{8}\$\""
'

test_expect_success 'every order has lines, a billing and a shipping address, and a history' '
	zero "orders without lines" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)" &&
	zero "orders without two addresses" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (SELECT COUNT(DISTINCT kind) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) <> 2" &&
	zero "orders with no or too many events" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (SELECT COUNT(*) FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id) NOT BETWEEN 1 AND 4" &&
	zero "orders with more than 5 lines" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) > 5" &&
	zero "histories not opened by order.created at placed_at" "SELECT COUNT(*) FROM orders o
		JOIN order_events e ON e.shop_id = o.shop_id AND e.order_id = o.id
		AND e.id = (SELECT MIN(id) FROM order_events f WHERE f.shop_id = o.shop_id AND f.order_id = o.id)
		WHERE $(seeded) AND (e.action <> \"order.created\" OR e.at <> o.placed_at)" &&
	zero "events out of order or in the future" "SELECT COUNT(*) FROM orders o
		JOIN order_events e ON e.shop_id = o.shop_id AND e.order_id = o.id
		WHERE $(seeded) AND (e.at < o.placed_at OR e.at > UTC_TIMESTAMP(6) OR e.at > o.updated_at
		OR NOT JSON_VALID(e.details))"
'

test_expect_success 'totals are consistent: lines, VAT breakdown, shipping VAT, weight' '
	zero "line totals" "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		WHERE $(seeded) AND (l.total_cents <> l.unit_price_cents * l.quantity - l.discount_cents
		OR l.discount_cents < 0 OR l.total_cents < 0 OR l.vat_rate NOT IN (2000, 1000, 550))" &&
	zero "lines_cents <> sum of line totals" "SELECT COUNT(*) FROM orders o WHERE $(seeded) AND o.lines_cents <>
		(SELECT SUM(total_cents) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)" &&
	zero "total <> ex VAT + VAT" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (o.total_cents <> o.total_ex_vat_cents + o.total_vat_cents OR o.total_cents <= 0
		OR o.total_cents <> o.lines_cents + o.shipping_cents)" &&
	zero "VAT breakdown does not add up" "SELECT COUNT(*) FROM orders o WHERE $(seeded) AND
		(SELECT CONCAT(SUM(j.base), \"/\", SUM(j.vat)) FROM JSON_TABLE(o.vat_breakdown, \"\$[*]\"
			COLUMNS (base BIGINT PATH \"\$.base\", vat BIGINT PATH \"\$.vat\")) j)
		<> CONCAT(o.total_ex_vat_cents, \"/\", o.total_vat_cents)" &&
	zero "shipping VAT is not the highest line rate" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND o.shipping_vat_rate <> (SELECT MAX(vat_rate) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)" &&
	zero "weight" "SELECT COUNT(*) FROM orders o WHERE $(seeded) AND o.total_weight_g <>
		(SELECT SUM(weight_g) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)" &&
	zero "pickup with a shipping cost" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND o.carrier = \"pickup\" AND o.shipping_cents <> 0"
'

test_expect_success 'the customer snapshot is the customer row, created before the order' '
	zero "snapshot differs" "SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id
		WHERE $(seeded) AND (c.id IS NULL OR (c.code IS NOT NULL AND BINARY o.customer_code <> BINARY c.code)
		OR BINARY o.customer_title <> BINARY c.title OR BINARY o.customer_first_name <> BINARY c.first_name
		OR BINARY o.customer_last_name <> BINARY c.last_name OR BINARY o.customer_email <> BINARY c.email
		OR o.customer_phone <> c.phone OR o.customer_locale <> c.locale OR c.created_at > o.placed_at)" &&
	zero "customer codes not derived from the id" "SELECT COUNT(*) FROM orders o
		JOIN customers c ON c.shop_id = o.shop_id AND c.id = o.customer_id WHERE $(seeded)
		AND (c.code IS NOT NULL OR o.customer_code <> CONCAT(\"C\", IF(c.id < 1000000, LPAD(c.id, 6, \"0\"), c.id)))" &&
	zero "the billing address is not the customer" "SELECT COUNT(*) FROM orders o
		JOIN order_addresses a ON a.shop_id = o.shop_id AND a.order_id = o.id AND a.kind = \"billing\"
		WHERE $(seeded) AND a.name <> CONCAT(o.customer_first_name, \" \", o.customer_last_name)" &&
	[ "$(sql "SELECT COUNT(*) FROM (SELECT customer_id FROM orders o WHERE $(seeded)
		GROUP BY customer_id HAVING COUNT(*) > 1) r")" -ge 10 ] &&
	[ "$(sql "SELECT COUNT(DISTINCT customer_id) BETWEEN 120 AND 200 FROM orders o WHERE $(seeded)")" = 1 ] &&
	zero "the cave requires accounts" "SELECT COUNT(*) FROM orders o JOIN customers c ON c.shop_id = o.shop_id
		AND c.id = o.customer_id WHERE $(seeded) AND c.has_account = 0"
'

test_expect_success 'payment and shipping states follow the status' '
	zero "states" "SELECT COUNT(*) FROM orders o WHERE $(seeded) AND NOT (
		(o.status = \"received\" AND o.shipping_state = \"unshipped\" AND o.payment_state IN (\"unpaid\", \"paid\")) OR
		(o.status = \"awaiting_payment\" AND o.payment_state = \"unpaid\" AND o.shipping_state = \"unshipped\"
			AND o.payment_method IN (\"banktransfer\", \"cheque\")) OR
		(o.status = \"processing\" AND o.payment_state = \"paid\" AND o.shipping_state = \"unshipped\") OR
		(o.status = \"shipped\" AND o.payment_state = \"paid\" AND o.shipping_state = \"shipped\") OR
		(o.status IN (\"delivered\", \"completed\") AND o.payment_state = \"paid\" AND o.shipping_state = \"delivered\") OR
		(o.status = \"cancelled\" AND o.payment_state IN (\"unpaid\", \"refunded\") AND o.shipping_state = \"unshipped\"))" &&
	zero "paid amounts" "SELECT COUNT(*) FROM orders o WHERE $(seeded) AND o.paid_cents <>
		IF(o.payment_state = \"paid\", o.total_cents, 0)" &&
	zero "quantities shipped" "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		WHERE $(seeded) AND l.qty_shipped <> IF(o.shipping_state IN (\"shipped\", \"delivered\"), l.quantity, 0)" &&
	zero "held orders that are not in progress" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND o.on_hold = 1 AND o.status <> \"processing\"" &&
	zero "unknown carriers or methods" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (o.carrier NOT IN (\"colissimo\", \"mondial_relay\", \"chronopost\", \"bpost\", \"pickup\")
		OR o.payment_method NOT IN (\"card\", \"paypal\", \"banktransfer\", \"cheque\"))"
'

test_expect_success 'statuses are spread as in a real shop over two years' '
	zero "orders outside the last two years" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND (o.placed_at > UTC_TIMESTAMP(6) OR o.placed_at < UTC_TIMESTAMP(6) - INTERVAL 731 DAY)" &&
	[ "$(sql "SELECT SUM(status = \"completed\") * 100 DIV COUNT(*) BETWEEN 75 AND 95 FROM orders o
		WHERE $(seeded) AND placed_at < UTC_TIMESTAMP() - INTERVAL 30 DAY")" = 1 ] &&
	[ "$(sql "SELECT SUM(status = \"cancelled\") * 1000 DIV COUNT(*) BETWEEN 10 AND 120 FROM orders o WHERE $(seeded)")" = 1 ] &&
	zero "recent orders closed" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND placed_at > UTC_TIMESTAMP() - INTERVAL 47 HOUR AND status IN (\"completed\", \"delivered\")" &&
	zero "old orders still open" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND placed_at < UTC_TIMESTAMP() - INTERVAL 31 DAY AND status IN (\"received\", \"awaiting_payment\", \"processing\")" &&
	[ "$(sql "SELECT SUM(placed_at > UTC_TIMESTAMP() - INTERVAL 1 YEAR) > SUM(placed_at <= UTC_TIMESTAMP() - INTERVAL 1 YEAR)
		FROM orders o WHERE $(seeded)")" = 1 ] &&
	[ "$(sql "SELECT SUM(remarks <> \"\") BETWEEN 40 AND 130 FROM orders o WHERE $(seeded)")" = 1 ] &&
	[ "$(sql "SELECT AVG(n) BETWEEN 1.5 AND 2.6 FROM (SELECT COUNT(*) n FROM order_lines l JOIN orders o
		ON o.shop_id = l.shop_id AND o.id = l.order_id WHERE $(seeded) GROUP BY o.id) x")" = 1 ] &&
	[ "$(sql "SELECT COUNT(*) > 0 FROM orders o JOIN order_addresses b ON b.shop_id = o.shop_id AND b.order_id = o.id
		AND b.kind = \"billing\" JOIN order_addresses s ON s.shop_id = o.shop_id AND s.order_id = o.id AND s.kind = \"shipping\"
		WHERE $(seeded) AND (b.line1 <> s.line1 OR b.city <> s.city)")" = 1 ]
'

test_expect_success 'French and Belgian data are well formed (phones, postcodes, e-mails, EANs)' '
	zero "phones not E.164 +33/+32" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND o.customer_phone NOT REGEXP \"^[+](33[1-9][0-9]{8}|324[0-9]{8})\$\"" &&
	zero "postcodes" "SELECT COUNT(*) FROM orders o JOIN order_addresses a ON a.shop_id = o.shop_id AND a.order_id = o.id
		WHERE $(seeded) AND NOT ((a.country = \"FR\" AND a.postcode REGEXP \"^[0-9]{5}\$\")
		OR (a.country = \"BE\" AND a.postcode REGEXP \"^[1-9][0-9]{3}\$\"))" &&
	[ "$(sql "SELECT COUNT(DISTINCT a.country) FROM orders o JOIN order_addresses a ON a.shop_id = o.shop_id
		AND a.order_id = o.id WHERE $(seeded)")" = 2 ] &&
	zero "e-mails outside .example" "SELECT COUNT(*) FROM orders o WHERE $(seeded)
		AND o.customer_email NOT REGEXP \"^[a-z0-9.-]+@[a-z]+[.]example\$\"" &&
	zero "bad EAN-13" "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE AND sku REGEXP $SEED_SKU AND ean IS NOT NULL
		AND (ean NOT REGEXP \"^[0-9]{13}\$\" OR (10 - (
			(SUBSTR(ean,1,1) + SUBSTR(ean,3,1) + SUBSTR(ean,5,1) + SUBSTR(ean,7,1) + SUBSTR(ean,9,1) + SUBSTR(ean,11,1))
			+ 3 * (SUBSTR(ean,2,1) + SUBSTR(ean,4,1) + SUBSTR(ean,6,1) + SUBSTR(ean,8,1) + SUBSTR(ean,10,1) + SUBSTR(ean,12,1))
			) % 10) % 10 <> SUBSTR(ean,13,1))" &&
	[ "$(sql "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE AND sku REGEXP $SEED_SKU")" -ge 40 ] &&
	zero "wine VAT" "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE AND sku REGEXP $SEED_SKU
		AND vat_rate <> 2000 AND name NOT LIKE \"Jus de raisin%\""
'

# stock_reserved of each seeded product = the quantities of its lines in
# the open orders; never above the stock on hand.
check_stock() {
	zero "reserved <> open quantities" "SELECT COUNT(*) FROM products p WHERE p.shop_id = $CAVE
		AND p.sku REGEXP $SEED_SKU AND p.stock_reserved <> (SELECT COALESCE(SUM(l.quantity), 0)
		FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		WHERE l.shop_id = p.shop_id AND l.product_id = p.id
		AND o.status NOT IN (\"shipped\", \"delivered\", \"cancelled\", \"completed\"))" &&
	zero "reserved above on hand" "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE
		AND sku REGEXP $SEED_SKU AND stock_reserved > stock_on_hand" &&
	zero "reserved_stock flags" "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id
		JOIN products p ON p.shop_id = l.shop_id AND p.id = l.product_id
		WHERE $(seeded) AND l.reserved_stock <> (p.track_stock AND o.status IN (\"received\", \"awaiting_payment\", \"processing\"))"
}

test_expect_success 'stock reserved = quantities of open orders, never above stock on hand' '
	check_stock &&
	[ "$(sql "SELECT SUM(stock_reserved) > 0 FROM products WHERE shop_id = $CAVE AND sku REGEXP $SEED_SKU")" = 1 ]
'

test_expect_success 'a second run continues the numbering and reuses the products' '
	products=$(sql "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE") &&
	last=$(cat "$TEST_TMP/last") && [ "$(counter)" = "$last" ] &&
	cpt seed --shop "$SHOP_CODE" --kind wine --orders 50 --products 40 --seed 7 --threads 1 &&
	out_has "seed: 50 orders, " &&
	[ "$(counter)" = $((last + 50)) ] &&
	[ "$(sql "SELECT MIN(number), MAX(number), COUNT(*) FROM orders WHERE shop_id = $CAVE AND number > $last")" = "$((last + 1))	$((last + 50))	50" ] &&
	[ "$(sql "SELECT COUNT(*) FROM products WHERE shop_id = $CAVE")" = "$products" ] &&
	zero "duplicate codes" "SELECT COUNT(*) - COUNT(DISTINCT code) FROM orders WHERE shop_id = $CAVE" &&
	zero "duplicate e-mails" "SELECT COUNT(email) - COUNT(DISTINCT LOWER(email)) FROM customers WHERE shop_id = $CAVE" &&
	echo $((last + 1)) >"$TEST_TMP/first" && echo $((last + 50)) >"$TEST_TMP/last" &&
	check_stock
'

test_expect_success 'the other tests are unaffected: shops, staff, the site' '
	cpt shop list && [ "$(grep -c . "$TEST_TMP/out")" = "$(ls "$CPT_STACK_DIR"/etc/shops.d/*.yaml | wc -l)" ] &&
	[ "$(sql "SELECT COUNT(*) FROM staff_users WHERE email IN (\"owner@cave.example\", \"picker@cave.example\")")" -ge 2 ] &&
	HOST=cave.localhost && http GET /login && test_status 200
'

# A shop whose workflow is its own (a shops.d preset): the seed writes its
# codes, stage by stage (arrival, payment awaited, the sale statuses in
# their order, completed, cancels), in the orders and their history.
PRESET='workflow: {statuses: [
  {code: nouvelle, label_fr: Nouvelle, label_en: New, colour: "#1d4ed8", flags: [arrival, sale, customer_may_pay]},
  {code: a_payer, label_fr: À payer, label_en: To pay, colour: "#b45309", flags: [customer_may_pay]},
  {code: en_cours, label_fr: En cours, label_en: In progress, colour: "#6d28d9", flags: [sale]},
  {code: partie, label_fr: Partie, label_en: Sent, colour: "#0f766e", flags: [sale]},
  {code: soldee, label_fr: Soldée, label_en: Settled, colour: "#166534", flags: [completed, final, sale]},
  {code: abandon, label_fr: Abandonnée, label_en: Dropped, colour: "#b91c1c", flags: [cancels, final]}],
  transitions: {nouvelle: [a_payer, en_cours, abandon], a_payer: [nouvelle, en_cours, abandon],
    en_cours: [partie, soldee, abandon], partie: [soldee]}}'
test_shop_new preset "{storefront_prices: true, prices_include_vat: true, auto_cancel_unpaid_after: 10d}" "$PRESET" ||
	test_bail "no shop with a preset workflow"
OWN=$SHOP_ID

test_expect_success 'a shop with its own workflow is seeded with its own codes, consistent everywhere' '
	cpt seed --shop "$SHOP_CODE" --kind print --orders 2000 --products 30 --threads 1 &&
	out_has "seed: 2000 orders, " &&
	zero "orders in a status the shop does not have" "SELECT COUNT(*) FROM orders o WHERE o.shop_id = $OWN
		AND o.status NOT IN (SELECT code FROM shop_statuses WHERE shop_id = $OWN)" &&
	[ "$(sql "SELECT GROUP_CONCAT(DISTINCT status ORDER BY status) FROM orders WHERE shop_id = $OWN")" = \
		"a_payer,abandon,en_cours,nouvelle,partie,soldee" ] &&
	zero "history naming a status the shop does not have" "SELECT COUNT(*) FROM order_events e WHERE e.shop_id = $OWN
		AND e.action IN (\"order.created\", \"order.status_changed\")
		AND COALESCE(JSON_VALUE(e.details, \"$.to\"), JSON_VALUE(e.details, \"$.status\")) NOT IN
		(SELECT code FROM shop_statuses WHERE shop_id = $OWN)" &&
	zero "last event not the status" "SELECT COUNT(*) FROM orders o WHERE o.shop_id = $OWN AND o.status <> (
		SELECT COALESCE(JSON_VALUE(e.details, \"$.to\"), JSON_VALUE(e.details, \"$.status\")) FROM order_events e
		WHERE e.shop_id = o.shop_id AND e.order_id = o.id
		AND e.action IN (\"order.created\", \"order.status_changed\") ORDER BY e.at DESC, e.id DESC LIMIT 1)
		AND o.status <> \"abandon\"" &&
	[ "$(sql "SELECT SUM(closed = 1) > 0 AND SUM(closed = 2) > 0 FROM orders WHERE shop_id = $OWN")" = 1 ] &&
	counts_exact "$OWN"
'

test_done
