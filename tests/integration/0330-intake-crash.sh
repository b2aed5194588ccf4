#!/usr/bin/env bash
# A crash in the middle of the intake: 8 storefront clients post 3-line
# orders without pause; comptoir serve is killed with SIGKILL while they
# do, then started again. Every order answered 201 is there whole, no order
# is half-written, each product's reserved stock is the sum of the lines
# that reserved it, and the requests left without an answer, sent again
# with their Idempotency-Key, give each exactly one order or none.
# The server is left running for the tests that follow.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
P=T0330-$RUN
LOAD="$API_LIB/intake_load.py"
SKUS=$(for i in $(seq -w 1 24); do printf '%s,' "$P-$i"; done)$P-LOW
STREAM=$TEST_TMP/stream.jsonl

# The orders of this script: their external_reference is their key.
mine="o.external_reference LIKE '$P-%'"

count_201() {
	if [ -f "$STREAM" ]; then grep -c '"status": 201' "$STREAM"; else echo 0; fi
}

# The stream, the kill and the restart; the load generator never outlives it.
crash_stream() {
	local old load i rc=0
	old=$(server_pids) && server_running || { echo "comptoir serve is not running"; return 1; }
	"$PY" "$LOAD" run --port "$CPT_PORT" --host "$HOST" --key "$KEY" --skus "$SKUS" --clients 8 --duration 4 \
		--lines 3 --idempotency --prefix "$P" --out "$STREAM" >"$TEST_TMP/stream.txt" 2>&1 &
	load=$!
	i=0
	while [ "$(count_201)" -lt 30 ] && [ "$i" -lt 300 ] && kill -0 "$load" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	echo "$(count_201) orders taken before the kill"
	if [ "$(count_201)" -lt 30 ]; then
		echo "too few orders before the kill"; cat "$TEST_TMP/stream.txt"
		kill "$load" 2>/dev/null; wait "$load"
		return 1
	fi
	log_size >"$TEST_TMP/restart-offset"
	kill -9 $old
	i=0
	while server_any_running && [ "$i" -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
	server_any_running && { echo "comptoir serve survived kill -9"; rc=1; }
	sleep 0.5
	server_restart && server_running && [ "$(server_pids)" != "$old" ] || rc=1
	wait "$load" || rc=1
	cat "$TEST_TMP/stream.txt"
	"$PY" "$LOAD" summary "$STREAM"
	return "$rc"
}

# stock_mismatches: products of this script whose reserved stock is not the
# sum of the quantities of the order lines that reserved it.
stock_mismatches() {
	sql "SELECT p.sku, p.stock_reserved, IFNULL(SUM(l.quantity), 0) FROM products p
		LEFT JOIN order_lines l ON l.shop_id = p.shop_id AND l.product_id = p.id AND l.reserved_stock = 1
		WHERE p.sku LIKE '$P-%' GROUP BY p.shop_id, p.id
		HAVING p.stock_reserved <> IFNULL(SUM(l.quantity), 0)"
}

test_expect_success 'setup: 24 products with plenty of stock, one with little' '
	[ -n "$KEY" ] &&
	for sku in ${SKUS//,/ }; do
		stock=100000 && [ "$sku" = "$P-LOW" ] && stock=15
		put_product "$sku" "{\"name\": \"Article $sku\", \"price\": 1290, \"vat_rate\": 2000,
			\"weight\": 80, \"stock_on_hand\": $stock}" && test_status 201 || exit 1
	done
'

test_expect_success 'kill -9 of comptoir serve in the middle of a stream of orders, then a restart' '
	crash_stream
'
[ -f "$STREAM" ] && say "stream, status and count: $("$PY" "$LOAD" summary "$STREAM" | paste -sd, -)"

test_expect_success 'the stream saw the crash: requests without an answer, then orders taken again' '
	"$PY" - "$STREAM" <<-PY
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1])]
	first_bad = min((n for n, r in enumerate(recs) if r["status"] == 0 or r["status"] >= 500), default=None)
	assert first_bad is not None, "no request failed: the kill came too late or too early"
	after = sum(1 for r in recs[first_bad:] if r["status"] == 201)
	print("first failure at record %d of %d; %d orders taken after it" % (first_bad, len(recs), after))
	assert after > 0, "no order was taken after the restart"
	PY
'

test_expect_success 'every order answered 201 is in the database, whole (3 lines, 2 addresses, event, number)' '
	"$PY" "$LOAD" codes "$STREAM" | sort -u >"$TEST_TMP/codes" &&
	n=$(wc -l <"$TEST_TMP/codes") && [ "$n" -gt 0 ] &&
	list=$(sed "s/.*/\"&\"/" "$TEST_TMP/codes" | paste -sd, -) &&
	[ "$(sql "SELECT COUNT(*) FROM orders o WHERE o.code IN ($list) AND o.number IS NOT NULL
		AND (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) = 3
		AND (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) = 2
		AND (SELECT COUNT(*) FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id) >= 1")" = "$n" ]
'

test_expect_success 'no order is half-written, in the whole database' '
	[ "$(sql "SELECT COUNT(*) FROM orders o WHERE o.number IS NULL
		OR NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)
		OR (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) <> 2
		OR NOT EXISTS (SELECT 1 FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id)")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders o WHERE $mine AND
		(SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) <> 3")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM order_lines l WHERE NOT EXISTS
		(SELECT 1 FROM orders o WHERE o.shop_id = l.shop_id AND o.id = l.order_id)")" = 0 ]
'

test_expect_success 'reserved stock of each product is the sum of the lines of the orders' '
	bad=$(stock_mismatches) && { [ -z "$bad" ] || { echo "sku, reserved, sum of lines: $bad"; false; }; } &&
	[ "$(sql "SELECT COUNT(*) FROM products WHERE sku LIKE \"$P-%\" AND stock_reserved > stock_on_hand")" = 0 ]
'

test_expect_success 'no key has two orders; the database holds no order the clients do not know of' '
	[ -z "$(sql "SELECT o.external_reference FROM orders o WHERE $mine
		GROUP BY o.shop_id, o.external_reference HAVING COUNT(*) > 1")" ] &&
	"$PY" - "$STREAM" <<-PY >"$TEST_TMP/unknown-keys" &&
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["status"] == 0 or r["status"] >= 500:
	        print(r["key"])
	PY
	in_db=$(sql "SELECT COUNT(*) FROM orders o WHERE $mine") &&
	echo "$in_db orders in the database, $(wc -l <"$TEST_TMP/codes") answered 201, $(wc -l <"$TEST_TMP/unknown-keys") unanswered" &&
	[ "$in_db" -ge "$(wc -l <"$TEST_TMP/codes")" ] &&
	[ "$in_db" -le $(( $(wc -l <"$TEST_TMP/codes") + $(wc -l <"$TEST_TMP/unknown-keys") )) ]
'

test_expect_success 'the unanswered requests, sent again with their key: one order each at most' '
	"$PY" "$LOAD" retry --port "$CPT_PORT" --host "$HOST" --key "$KEY" --in "$STREAM" --out "$TEST_TMP/retry.jsonl" &&
	"$PY" "$LOAD" summary "$TEST_TMP/retry.jsonl" | tee "$TEST_TMP/retry.summary" &&
	! grep -Eq "^(0|5[0-9][0-9]) " "$TEST_TMP/retry.summary" &&
	[ -z "$(sql "SELECT o.external_reference FROM orders o WHERE $mine
		GROUP BY o.shop_id, o.external_reference HAVING COUNT(*) > 1")" ] &&
	"$PY" - "$TEST_TMP/retry.jsonl" <<-PY >"$TEST_TMP/retry.codes" &&
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["status"] == 201:
	        print(r["code"], r["key"], "replayed" if r["replayed"] else "new")
	PY
	cat "$TEST_TMP/retry.codes" &&
	while read -r code key how; do
		[ "$(sql "SELECT COUNT(*) FROM orders WHERE code = \"$code\" AND external_reference = \"$key\"")" = 1 ] ||
			{ echo "$code ($key) is not in the database"; exit 1; }
	done <"$TEST_TMP/retry.codes" &&
	bad=$(stock_mismatches) && { [ -z "$bad" ] || { echo "sku, reserved, sum of lines: $bad"; false; }; }
'

[ -f "$TEST_TMP/retry.codes" ] &&
	say "retried: $("$PY" "$LOAD" summary "$TEST_TMP/retry.jsonl" | paste -sd, -);" \
		"$(grep -c " replayed$" "$TEST_TMP/retry.codes") replayed (committed before the kill), $(grep -c " new$" "$TEST_TMP/retry.codes") new"

test_expect_success 'the restarted server takes orders normally' '
	cat >"$TEST_TMP/one.json" <<-JSON &&
	{"customer": {"last_name": "Après", "email": "apres.$RUN@example.fr"},
	 "billing_address": {"name": "Après", "line1": "1 rue", "postcode": "69001", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "$P-01", "quantity": 1}], "external_reference": "$P-after"}
	JSON
	post_order "$TEST_TMP/one.json" && test_status 201 &&
	api GET "/api/v1/orders/$(jget code)" && test_status 200 &&
	wait_log "serving .* shops with" "$(cat "$TEST_TMP/restart-offset")"
'

server_running || server_restart
test_done
