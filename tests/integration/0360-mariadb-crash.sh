#!/usr/bin/env bash
# MariaDB itself crashes under load: 8 storefront clients post 3-line
# orders, every other one without an Idempotency-Key; mariadbd is killed
# with SIGKILL in the middle, then started again, while comptoir serve
# keeps running. comptoir answers 503 while the database is away and takes
# orders again once it is back, on new connections, without a restart.
# Every order answered 201 is in the database exactly once and whole, no
# request has two orders, reserved stock is the sum of the lines, and the
# requests that got no answer or a 5xx and carried a key, sent again, give
# one order each. Last, a server that reads connections as latin1 is
# refused: serve does not start, and a running serve does not reconnect.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"
. "$(dirname "$0")/../lib/intake-faults.sh"

KEY_NAME="test-0360-$RUN"
KEY=$(new_key atelier "$KEY_NAME")
P=T0360-$RUN
SKUS=$(for i in $(seq -w 1 24); do printf '%s,' "$P-$i"; done)
SKUS=${SKUS%,}
STREAM=$TEST_TMP/stream.jsonl
MYSQLD_PID=$CPT_STACK_DIR/run/mysqld.pid
SERVE_PIDS=$(server_pids)

count_201() {
	if [ -f "$STREAM" ]; then grep -c '"status": 201' "$STREAM"; else echo 0; fi
}

# Starts MariaDB again as the stack does.
mariadb_restart() {
	(
		export STACK_DIR=$CPT_STACK_DIR
		export STACK_BUILD=$(dirname "$CPT_BIN")
		. "$SRC_DIR/tools/lib/stack.sh" && mariadb_start
	)
}

# The stream, the crash and the restart; the load never outlives it.
crash_stream() {
	local load pid i rc=0
	"$PY" "$LOAD" run --port "$CPT_PORT" --key "$KEY" --skus "$SKUS" --clients 8 --duration 14 \
		--lines 3 --half-keys --prefix "$P" --out "$STREAM" >"$TEST_TMP/stream.txt" 2>&1 &
	load=$!
	i=0
	while [ "$(count_201)" -lt 500 ] && [ "$i" -lt 200 ] && kill -0 "$load" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	echo "$(count_201) orders taken before the crash"
	pid=$(cat "$MYSQLD_PID") && kill -9 "$pid" || rc=1
	i=0
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	echo "$(count_201) orders taken when mariadbd was gone"
	sleep 1
	mariadb_restart || rc=1
	echo "$(count_201) orders taken when mariadbd was back"
	wait "$load" || rc=1
	cat "$TEST_TMP/stream.txt"
	"$PY" "$LOAD" summary "$STREAM"
	return "$rc"
}

test_expect_success 'setup: 24 products with plenty of stock' '
	fault_setup
'

test_expect_success 'kill -9 of mariadbd in the middle of a stream of orders, then a restart' '
	crash_stream
'
[ -f "$STREAM" ] && say "status and count: $("$PY" "$LOAD" summary "$STREAM" | paste -sd, -)"

test_expect_success 'the stream saw the crash, and orders were taken again after it on the same comptoir serve' '
	server_running && [ "$(server_pids)" = "$SERVE_PIDS" ] &&
	"$PY" - "$STREAM" <<-PY
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1])]
	bad = [n for n, r in enumerate(recs) if r["status"] == 0 or r["status"] >= 500]
	assert bad, "no request failed: the crash came too late or too early"
	after = sum(1 for r in recs[bad[-1]:] if r["status"] == 201)
	print("%d of %d requests failed, the last at record %d; %d orders taken after it"
	      % (len(bad), len(recs), bad[-1], after))
	assert after >= 100, "too few orders taken after the restart"
	PY
'

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

test_expect_success 'after the crash, the same comptoir serve takes orders and logins as before' '
	"$PY" "$LOAD" run --port "$CPT_PORT" --key "$KEY" --skus "$SKUS" --clients 8 --requests 4 \
		--lines 3 --prefix "$P-after" --out "$TEST_TMP/after.jsonl" >/dev/null &&
	[ "$("$PY" "$LOAD" summary "$TEST_TMP/after.jsonl")" = "201 32" ] &&
	login "owner@atelier.example" "$DEMO_PASSWORD" && test_status 303
'

# A server that reads comptoir's connections as latin1: an init_connect
# (run for every user without SUPER) does it here, as a proxy might.
latin1_on() { sql "SET GLOBAL init_connect = 'SET NAMES latin1'"; }
latin1_off() { sql "SET GLOBAL init_connect = ''"; }
kill_all_connections() {
	for id in $(sql "SELECT id FROM information_schema.processlist WHERE user = 'comptoir'"); do
		sql "KILL CONNECTION $id" 2>/dev/null
	done
}
one_order() {
	"$PY" "$LOAD" run --port "$CPT_PORT" --key "$KEY" --skus "$SKUS" --clients 1 --requests 1 \
		--lines 3 --prefix "$P-$1" --out "$TEST_TMP/$1.jsonl" >/dev/null &&
	"$PY" "$LOAD" summary "$TEST_TMP/$1.jsonl"
}

test_expect_success 'connections read as latin1 by the server: serve refuses to start, and says why' '
	sed -e "s|^  socket: .*comptoir.sock$|  socket: $TEST_TMP/other.sock|" \
		-e "s|^  shops: shops.d$|  shops: $(dirname "$CPT_CONFIG")/shops.d|" "$CPT_CONFIG" >"$TEST_TMP/other.yaml" &&
	grep -q "other.sock" "$TEST_TMP/other.yaml" &&
	latin1_on &&
	{ timeout 20 "$CPT_BIN" --config "$TEST_TMP/other.yaml" serve >"$TEST_TMP/serve.log" 2>&1; rc=$?; } ;
	latin1_off && cat "$TEST_TMP/serve.log" && [ "$rc" = 1 ] &&
	grep -q "character_set_client=latin1.*not utf8mb4" "$TEST_TMP/serve.log"
'

test_expect_success 'and the running serve does not reconnect to it: 503, then 201 once it is utf8mb4 again' '
	latin1_on && kill_all_connections && sleep 0.2 &&
	{ got=$(one_order latin1); latin1_off; } &&
	echo "with latin1: $got" && [ "$got" = "503 1" ] &&
	got=$(one_order utf8mb4) && echo "with utf8mb4: $got" && [ "$got" = "201 1" ]
'
latin1_off

fault_cleanup
test_done
