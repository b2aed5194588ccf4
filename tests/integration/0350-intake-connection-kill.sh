#!/usr/bin/env bash
# Connections lost under load: 8 storefront clients post 3-line orders,
# every other one without an Idempotency-Key, while comptoir's connections
# to MariaDB are killed at random (KILL CONNECTION, as a failover, a proxy
# reset or wait_timeout does), during COMMIT too. Every order answered 201
# is in the database exactly once and whole, no request has two orders,
# reserved stock is the sum of the lines, and the requests that got a 503
# and carried a key, sent again, give one order each.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"
. "$(dirname "$0")/../lib/intake-faults.sh"

KEY_NAME="test-0350-$RUN"
KEY=$(new_key atelier "$KEY_NAME")
P=T0350-$RUN
SKUS=$(for i in $(seq -w 1 24); do printf '%s,' "$P-$i"; done)
SKUS=${SKUS%,}
STREAM=$TEST_TMP/stream.jsonl
SECONDS_OF_LOAD=12

test_expect_success 'setup: 24 products with plenty of stock' '
	fault_setup
'

test_expect_success 'a stream of orders while connections are killed every 20 ms' '
	"$PY" "$LOAD" run --port "$CPT_PORT" --key "$KEY" --skus "$SKUS" --clients 8 \
		--duration "$SECONDS_OF_LOAD" --lines 3 --half-keys --prefix "$P" --out "$STREAM" \
		>"$TEST_TMP/stream.txt" 2>&1 &
	load=$!
	sleep 0.5
	kills=$(kill_connections $((SECONDS_OF_LOAD - 1)) 0.02)
	wait "$load" || { cat "$TEST_TMP/stream.txt"; exit 1; }
	echo "$kills connections killed" >"$TEST_TMP/kills"
	cat "$TEST_TMP/kills" "$TEST_TMP/stream.txt" && "$PY" "$LOAD" summary "$STREAM" &&
	[ "$kills" -ge 100 ]
'
[ -f "$STREAM" ] && say "$(cat "$TEST_TMP/kills" 2>/dev/null); status and count:" \
	"$("$PY" "$LOAD" summary "$STREAM" | paste -sd, -)"

test_expect_success 'thousands of orders, half of them without a key, and COMMITs were lost' '
	[ "$(grep -c "\"status\": 201" "$STREAM")" -ge 1000 ] &&
	[ "$(grep "\"status\": 201" "$STREAM" | grep -c "\"key\": null")" -ge 300 ] &&
	grep -q "whose COMMIT was lost" "$CPT_STACK_DIR/log/comptoir.log"
'
say "lost COMMITs found committed: $(grep -c "lost had committed" "$CPT_STACK_DIR/log/comptoir.log")," \
	"found not committed and run again: $(grep -c "lost had not committed" "$CPT_STACK_DIR/log/comptoir.log")"

test_expect_success 'every order answered 201 is there once, whole; no request has two orders' '
	whole_once "$STREAM"
'

test_expect_success 'reserved stock of each product is the sum of the lines of the orders' '
	stock_matches
'

test_expect_success 'no order the clients do not know of' '
	no_stray_orders "$STREAM"
'

test_expect_success 'the requests with a key left unanswered, sent again: 201 each, still one order each' '
	retry_keyed "$STREAM"
'

test_expect_success 'comptoir serve is still there and takes orders' '
	server_running &&
	"$PY" "$LOAD" run --port "$CPT_PORT" --key "$KEY" --skus "$SKUS" --clients 2 --requests 5 \
		--lines 3 --prefix "$P-after" --out "$TEST_TMP/after.jsonl" >/dev/null &&
	[ "$("$PY" "$LOAD" summary "$TEST_TMP/after.jsonl")" = "201 10" ]
'

fault_cleanup
test_done
