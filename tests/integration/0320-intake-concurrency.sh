#!/usr/bin/env bash
# No oversell whatever the concurrency: 64 storefront clients, connected
# first and then all sending at the same instant, order the last units of
# one SKU. Exactly what is on the shelf is sold, stock never goes below 0,
# every other client gets a 409, none a 5xx.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
P=T0320-$RUN
LOAD="$API_LIB/intake_load.py"

# burst NAME SKUS [options…]: 64 clients at once, one order each.
burst() {
	local name=$1 skus=$2
	shift 2
	"$PY" "$LOAD" run --port "$CPT_PORT" --host "$HOST" --key "$KEY" --skus "$skus" --clients 64 --requests 1 \
		--barrier --prefix "$P-$name" --out "$TEST_TMP/$name.jsonl" "$@" >"$TEST_TMP/$name.txt" ||
		{ cat "$TEST_TMP/$name.txt"; return 1; }
	"$PY" "$LOAD" summary "$TEST_TMP/$name.jsonl" >"$TEST_TMP/$name.summary"
	say "$name: $(tr '\n' ' ' <"$TEST_TMP/$name.summary")$(cat "$TEST_TMP/$name.txt" | tr '\n' ' ')"
}

# statuses NAME EXPECTED: the statuses of burst NAME, "STATUS COUNT" lines.
statuses() {
	[ "$(cat "$TEST_TMP/$1.summary")" = "$2" ] && return 0
	echo "statuses of $1:"; cat "$TEST_TMP/$1.summary"
	echo "wanted:"; echo "$2"
	grep -v '"status": 20[01]' "$TEST_TMP/$1.jsonl" | grep -v '"status": 409' | head -n 3
	return 1
}

# stock SKU: "on_hand reserved" from the database.
stock() {
	sql "SELECT CONCAT(stock_on_hand, ' ', stock_reserved) FROM products WHERE sku = '$1'"
}

# sold_in_db SKU: units of SKU in order lines holding stock.
sold_in_db() {
	sql "SELECT IFNULL(SUM(quantity), 0) FROM order_lines WHERE sku = '$1' AND reserved_stock = 1"
}

counts() {
	sql "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_lines),
		(SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM order_events))"
}

test_expect_success 'setup: products with the last 10 units on the shelf' '
	[ -n "$KEY" ] &&
	for s in HOT SAME TRIPLE A B KEY; do
		put_product "$P-$s" "{\"name\": \"Dernières unités $s\", \"price\": 990, \"vat_rate\": 2000,
			\"stock_on_hand\": 10}" && test_status 201 && json_is available 10 || exit 1
	done
'

test_expect_success '64 clients at once, 1 unit each, 10 on the shelf: ten 201, fifty-four 409, no 5xx' '
	before=$(counts) &&
	burst hot "$P-HOT" --watch "$P-HOT" &&
	statuses hot "201 10
409 54" &&
	set -- $before && after=$(counts) &&
	[ "$after" = "$(($1 + 10)) $(($2 + 10)) $(($3 + 10)) $(($4 + 10))" ] ||
		{ echo "orders, lines, customers, events: $before -> $after (wanted +10 each)"; false; }
'

test_expect_success 'exactly the 10 units were sold: reserved 10 = on hand, 0 available' '
	[ "$(stock "$P-HOT")" = "10 10" ] && [ "$(sold_in_db "$P-HOT")" = 10 ] &&
	api GET "/api/v1/products/$P-HOT" && test_status 200 &&
	json_is reserved 10 && json_is available 0 &&
	[ "$("$PY" "$LOAD" sold "$TEST_TMP/hot.jsonl")" = "$P-HOT 10" ]
'

test_expect_success 'the ten orders are whole, with ten distinct numbers' '
	"$PY" "$LOAD" codes "$TEST_TMP/hot.jsonl" >"$TEST_TMP/hot.codes" &&
	[ "$(sort -u "$TEST_TMP/hot.codes" | wc -l)" = 10 ] &&
	list=$(sed "s/.*/\"&\"/" "$TEST_TMP/hot.codes" | paste -sd, -) &&
	[ "$(sql "SELECT COUNT(DISTINCT o.number) FROM orders o WHERE o.code IN ($list)
		AND (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) = 1
		AND (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) = 2
		AND (SELECT COUNT(*) FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id) = 1")" = 10 ]
'

test_expect_success 'every 409 names the SKU, 1 requested, 0 available' '
	"$PY" "$LOAD" conflicts "$TEST_TMP/hot.jsonl" | sort | uniq -c >"$TEST_TMP/hot.conflicts" &&
	cat "$TEST_TMP/hot.conflicts" &&
	[ "$(cat "$TEST_TMP/hot.conflicts" | sed "s/^ *//")" = "54 $P-HOT 1 0" ]
'

test_expect_success 'available never went below 0 while it ran (polled through the API)' '
	line=$(grep "^watch " "$TEST_TMP/hot.txt") && echo "$line" &&
	polls=$(echo "$line" | sed -n "s/.*polls=\([0-9]*\).*/\1/p") && [ "$polls" -ge 1 ] &&
	echo "$line" | grep -q " bad=0$" &&
	min=$(echo "$line" | sed -n "s/.*min_available=\([-0-9]*\).*/\1/p") && [ "$min" -ge 0 ]
'

test_expect_success 'the same with every order from one customer: ten sold, no 5xx' '
	burst same "$P-SAME" --same-email &&
	statuses same "201 10
409 54" &&
	[ "$(stock "$P-SAME")" = "10 10" ] && [ "$(sold_in_db "$P-SAME")" = 10 ] &&
	[ "$(sql "SELECT COUNT(*) FROM customers WHERE email = \"$P-same@example.fr\"")" = 1 ]
'

test_expect_success '3 units each on 10: three orders (9 units), the others told 1 is left' '
	burst triple "$P-TRIPLE" --quantity 3 &&
	statuses triple "201 3
409 61" &&
	[ "$(stock "$P-TRIPLE")" = "10 9" ] && [ "$(sold_in_db "$P-TRIPLE")" = 9 ] &&
	[ "$("$PY" "$LOAD" conflicts "$TEST_TMP/triple.jsonl" | sort -u)" = "$P-TRIPLE 3 1" ]
'

test_expect_success 'two hot SKUs in either order on every order: no deadlock left over, no oversell' '
	burst ab "$P-A,$P-B" --lines 2 &&
	statuses ab "201 10
409 54" &&
	[ "$(stock "$P-A")" = "10 10" ] && [ "$(stock "$P-B")" = "10 10" ] &&
	[ "$(sold_in_db "$P-A")" = 10 ] && [ "$(sold_in_db "$P-B")" = 10 ]
'

test_expect_success '64 clients at once send the same request with the same Idempotency-Key: one order' '
	before=$(counts) &&
	burst samekey "$P-KEY" --same-key "$P-samekey" &&
	statuses samekey "201 64" &&
	"$PY" "$LOAD" answers "$TEST_TMP/samekey.jsonl" | sort | uniq -c | sed "s/^ *//" >"$TEST_TMP/samekey.answers" &&
	cat "$TEST_TMP/samekey.answers" &&
	[ "$(cut -d" " -f4 "$TEST_TMP/samekey.answers" | sort -u | wc -l)" = 1 ] &&
	grep -q "^1 201 first " "$TEST_TMP/samekey.answers" &&
	grep -q "^63 201 replayed " "$TEST_TMP/samekey.answers" &&
	set -- $before && after=$(counts) &&
	[ "$after" = "$(($1 + 1)) $(($2 + 1)) $(($3 + 1)) $(($4 + 1))" ] &&
	[ "$(stock "$P-KEY")" = "10 1" ] &&
	[ "$(sql "SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = \"$P-samekey\"")" = 1 ]
'

test_expect_success 'the server is still there and answers' '
	server_running && api GET "/api/v1/products/$P-HOT" && test_status 200
'

test_expect_success 'the dashboard counters hold what the orders say after every burst' '
	counts_exact "$SHOP_ID"
'

test_done
