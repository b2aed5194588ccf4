#!/usr/bin/env bash
# SIGTERM: the requests in flight are finished, then the server is gone
# within 2 s, its socket removed; it starts again cleanly.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$SRC_DIR/tools/lib/stack.sh"

sql "DELETE FROM login_throttle"
COMPTOIR_PASSWORD=shutdown-test-password "$CPT_BIN" --config "$CPT_CONFIG" user add \
	--shop cave --email shutdown@cave.example --role staff >/dev/null 2>&1
HOST=cave.localhost
# Alive and not a zombie waiting for a parent to collect it.
running() { [ -e "/proc/$1" ] && ! grep -q "^State:.*Z" "/proc/$1/status" 2>/dev/null; }

test_expect_success 'requests in flight when SIGTERM arrives are answered, and it exits in < 2 s' '
	pid=$(cat "$CPT_STACK_DIR/run/comptoir.pid") &&
	http GET /login && csrf=$(form_value csrf) &&
	for i in 1 2 3 4; do
		curl -s -o /dev/null -w "%{http_code}\n" -b "$JAR" -H "Host: $HOST" \
			--data-urlencode "csrf=$csrf" --data-urlencode "email=shutdown@cave.example" \
			--data-urlencode "password=shutdown-test-password" \
			"http://127.0.0.1:$CPT_PORT/login" >"$TEST_TMP/code.$i" &
	done &&
	sleep 0.1 &&
	start=$(date +%s%N) && kill -TERM "$pid" &&
	while running "$pid"; do sleep 0.02; done &&
	end=$(date +%s%N) && wait &&
	elapsed_ms=$(( (end - start) / 1000000 )) && echo "exited after $elapsed_ms ms" &&
	[ "$elapsed_ms" -lt 2000 ] &&
	cat "$TEST_TMP"/code.* && [ "$(cat "$TEST_TMP"/code.* | grep -c "^303$")" = 4 ]
'

test_expect_success 'it said so in the log and removed its socket' '
	grep -q "stopping: finishing the requests in flight" "$CPT_STACK_DIR/log/comptoir.log" &&
	grep -q "stopped$" "$CPT_STACK_DIR/log/comptoir.log" &&
	[ ! -S "$FCGI_SOCK" ]
'

test_expect_success 'while it is down nginx answers 502, and nothing hangs' '
	http GET /login && test_status 502
'

test_expect_success 'it starts again and serves' '
	rm -f "$CPT_STACK_DIR/run/comptoir.pid" && comptoir_start &&
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
