#!/usr/bin/env bash
# SIGTERM: the requests in flight are finished, then the server is gone
# within 2 s, its socket removed; it starts again cleanly.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$SRC_DIR/tools/lib/stack.sh"

sql "DELETE FROM login_throttle"
test_shop_new || test_bail "no shop of its own"
THREADS=${STACK_THREADS:-8}
SKU=T0100-SLOW
# Alive and not a zombie waiting for a parent to collect it.
running() { [ -e "/proc/$1" ] && ! grep -q "^State:.*Z" "/proc/$1/status" 2>/dev/null; }
# Any of the pids running (the server is every comptoir serve process).
any_running() { local p; for p; do running "$p" && return 0; done; return 1; }
# Transactions waiting for a row lock, and those holding one.
lock_waits() { sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"; }
locks_held() { sql "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_rows_locked > 0"; }
# The orders of this shop that are not whole: lines, addresses, event, number.
broken_orders() {
	sql "SELECT COUNT(*) FROM orders o WHERE o.shop_id = $SHOP_ID AND (o.number IS NULL
		OR (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) <> 1
		OR (SELECT COUNT(*) FROM order_addresses a WHERE a.shop_id = o.shop_id AND a.order_id = o.id) <> 2
		OR NOT EXISTS (SELECT 1 FROM order_events e WHERE e.shop_id = o.shop_id AND e.order_id = o.id))"
}
# request N CURL-ARGS…: one request in the background; its status, when it
# was sent and when it was answered (ns) go to $TEST_TMP/req.N.
request() {
	local n=$1
	shift
	( sent=$(date +%s%N)
	  code=$(curl -s -o /dev/null -w "%{http_code}" -H "Host: $HOST" "$@")
	  echo "$code $sent $(date +%s%N)" >"$TEST_TMP/req.$n" ) &
}

# One account per slow login: logins of one account at once would be
# throttled (counted before the hash) and answered at once, not held.
test_expect_success 'setup: an account for each slow login' '
	for i in $(seq 1 $((2 * THREADS))); do
		COMPTOIR_PASSWORD=$DEMO_PASSWORD "$CPT_BIN" --config "$CPT_CONFIG" user add \
			--shop "$SHOP_CODE" --email "slow-$i@$SHOP_CODE.example" --role staff >/dev/null || return 1
	done
'

test_expect_success 'setup: a product, and an order sent to it is taken' '
	printf "{\"name\": \"Lent\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 100}" >"$TEST_TMP/p.json" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -X PUT -H "Host: $HOST" -H "Authorization: Bearer $SHOP_KEY" \
		-H "Content-Type: application/json" --data-binary "@$TEST_TMP/p.json" \
		"http://127.0.0.1:$CPT_PORT/api/v1/products/$SKU") && test_status 201 &&
	cat >"$TEST_TMP/order.json" <<-JSON &&
	{"customer": {"last_name": "Arrêt", "email": "arret@example.fr"},
	 "billing_address": {"name": "Arrêt", "line1": "1 rue", "postcode": "69001", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "$SKU", "quantity": 1}]}
	JSON
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" -H "Host: $HOST" -H "Authorization: Bearer $SHOP_KEY" \
		-H "Content-Type: application/json" --data-binary "@$TEST_TMP/order.json" \
		"http://127.0.0.1:$CPT_PORT/api/v1/orders") && test_status 201
'

# 4 orders wait for the product's row, locked by another session, and
# 2 x THREADS logins (an argon2id hash each) queue behind them; SIGTERM
# comes while the orders are inside their transactions, the lock goes
# 0.5 s later. The requests the threads hold are answered, and it exits.
test_expect_success "SIGTERM with $((4 + 2 * THREADS)) requests in flight ($THREADS threads): those begun are answered, exit in < 2 s" '
	pids=$(server_pids) &&
	orders_before=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID") &&
	http GET /login && csrf=$(form_value csrf) &&
	mkfifo "$TEST_TMP/lock.sql" &&
	{ mariadb --no-defaults --socket="$CPT_MYSQL_SOCK" -uroot -N -B comptoir <"$TEST_TMP/lock.sql" >/dev/null & } &&
	exec 5>"$TEST_TMP/lock.sql" &&
	echo "BEGIN; SELECT id FROM products WHERE shop_id = $SHOP_ID AND sku = \"$SKU\" FOR UPDATE;" >&5 &&
	{ stack_wait "[ \"\$(locks_held)\" -ge 1 ]" 100 || { echo "the row was never locked"; exit 1; }; } &&
	for i in 1 2 3 4; do
		request "order-$i" -H "Authorization: Bearer $SHOP_KEY" -H "Content-Type: application/json" \
			--data-binary "@$TEST_TMP/order.json" "http://127.0.0.1:$CPT_PORT/api/v1/orders"
	done &&
	{ stack_wait "[ \"\$(lock_waits)\" -ge 4 ]" 100 || { echo "orders waiting for the lock: $(lock_waits)"; exit 1; }; } &&
	for i in $(seq 1 $((2 * THREADS))); do
		request "login-$i" -b "$JAR" --data-urlencode "csrf=$csrf" --data-urlencode "email=slow-$i@$SHOP_CODE.example" \
			--data-urlencode "password=$DEMO_PASSWORD" "http://127.0.0.1:$CPT_PORT/login"
	done &&
	sleep 0.3 && echo "$(lock_waits) orders waiting for the lock" &&
	log_size >"$TEST_TMP/log-at-term" &&
	start=$(date +%s%N) && kill -TERM $pids &&
	sleep 0.5 && echo "COMMIT;" >&5 && exec 5>&- &&
	while any_running $pids; do sleep 0.02; done &&
	end=$(date +%s%N) && wait &&
	elapsed_ms=$(( (end - start) / 1000000 )) && echo "exited after $elapsed_ms ms" &&
	in_flight=0 && for f in "$TEST_TMP"/req.*; do
		read -r code sent answered <"$f" && echo "${f##*/}: $code" || exit 1
		[ "$sent" -lt "$start" ] || { echo "${f##*/} was sent after the signal"; exit 1; }
		case $code in 201|303) [ "$answered" -gt "$start" ] && in_flight=$((in_flight + 1)) ;; esac
	done &&
	echo "$in_flight requests answered by comptoir after the signal" &&
	[ "$in_flight" -ge "$THREADS" ] &&
	[ "$(cat "$TEST_TMP"/req.order-* | grep -c "^201 ")" = 4 ] &&
	[ "$elapsed_ms" -lt 2000 ]
'

# Found when written: the connections nginx had made but no thread had
# accepted yet (the listen backlog) are dropped at SIGTERM, and nginx
# answers them 502 (recv() failed: connection reset by peer).
test_expect_success 'no request sent before SIGTERM gets a 502: the backlog is answered too' '
	cat "$TEST_TMP"/req.login-* | cut -d" " -f1 | sort | uniq -c &&
	[ "$(cat "$TEST_TMP"/req.login-* | wc -l)" = $((2 * THREADS)) ] &&
	[ "$(cat "$TEST_TMP"/req.login-* | grep -c "^303 ")" = $((2 * THREADS)) ]
'

test_expect_success 'the orders are there, each whole' '
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID")" = 5 ] &&
	[ "$(broken_orders)" = 0 ] &&
	[ "$(sql "SELECT stock_reserved FROM products WHERE shop_id = $SHOP_ID AND sku = \"$SKU\"")" = 5 ]
'

test_expect_success 'it said so in the log and removed its socket' '
	since=$(( $(cat "$TEST_TMP/log-at-term") + 1 )) &&
	[ "$(tail -c +"$since" "$CPT_LOG" | grep -c "stopping: finishing the requests in flight")" = "$CPT_PROCS" ] &&
	[ "$(tail -c +"$since" "$CPT_LOG" | grep -c "stopped$")" = "$CPT_PROCS" ] &&
	! ls "$CPT_STACK_DIR"/run/comptoir*.sock 2>/dev/null | grep .
'

test_expect_success 'while it is down nginx answers 502, and nothing hangs' '
	http GET /login && test_status 502
'

test_expect_success 'it starts again and serves' '
	rm -f "$CPT_STACK_DIR"/run/comptoir*.pid && comptoir_start &&
	http GET /login && test_status 200
'

test_expect_success 'it can be handed its listening socket on fd 0' '
	comptoir_stop &&
	/usr/bin/python3 - "$FCGI_SOCK" "$CPT_BIN" "$CPT_CONFIG" "$CPT_STACK_DIR" <<-PY &&
	import os, socket, sys, subprocess
	path, binary, config, stack = sys.argv[1:5]
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.bind(path); os.chmod(path, 0o660); s.listen(64)
	log = open(stack + "/log/comptoir.log", "a")
	p = subprocess.Popen([binary, "--config", config, "serve"], stdin=s.fileno(), stdout=log, stderr=log)
	open(stack + "/run/comptoir.pid", "w").write(str(p.pid))
	PY
	sleep 0.5 && http GET /login && test_status 200 &&
	grep -q "serving the socket handed in on fd 0" "$CPT_STACK_DIR/log/comptoir.log"
'

test_expect_success 'back to the usual server' '
	comptoir_stop && comptoir_start && http GET /login && test_status 200
'

sql "DELETE FROM login_throttle"
test_done
