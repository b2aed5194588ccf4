# api-lib.sh: helpers for the tests of the JSON API (/api/v1/…), sourced
# after test-lib.sh:
#
#   . "$(dirname "$0")/../lib/test-lib.sh"
#   . "$(dirname "$0")/../lib/api-lib.sh"
#   KEY=$(new_key atelier test-0310)
#   test_expect_success 'an order is created' '
#       post_order "$TEST_TMP/order.json" && problem 201 ...
#   '
#
# Requests go through nginx like the others (Host chooses the shop), with
# `Authorization: Bearer $KEY` when KEY is set, and no cookies. JSON is read
# and edited with jsontool.py under the system Python (/usr/bin/python3),
# never a Python of PATH.

API_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
KEY=${KEY:-}

jsontool() { "$PY" "$API_LIB/jsontool.py" "$@"; }

# A new API key of shop $1 named $2, printed by `comptoir shop api-key`.
new_key() {
	"$CPT_BIN" --config "$CPT_CONFIG" shop api-key --shop "$1" --name "$2" 2>/dev/null
}

# A string unique to this run of the script, so that a script run twice on
# the same database (by hand) finds its own products and e-mails fresh.
RUN=${RUN:-$(date +%s%N | cut -c 9-15)}

# api METHOD PATH [curl args…]: one API request through nginx; sets STATUS,
# writes $BODY and $HEADERS.
api() {
	local method=$1 path=$2 auth=()
	shift 2
	[ -n "$KEY" ] && auth=(-H "Authorization: Bearer $KEY")
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" \
		-H "Host: $HOST" "${auth[@]}" "$@" "http://127.0.0.1:$CPT_PORT$path")
}

# put_product SKU JSON [curl args…]
put_product() {
	local sku=$1 json=$2
	shift 2
	printf '%s' "$json" >"$TEST_TMP/put.json"
	api PUT "/api/v1/products/$sku" -H 'Content-Type: application/json' \
		--data-binary "@$TEST_TMP/put.json" "$@"
}

# post_order FILE [curl args…]: POST /api/v1/orders with the JSON of FILE,
# and the header Idempotency-Key: $IDEM when IDEM is set.
IDEM=${IDEM:-}
post_order() {
	local file=$1 idem=()
	shift
	[ -n "$IDEM" ] && idem=(-H "Idempotency-Key: $IDEM")
	api POST /api/v1/orders -H 'Content-Type: application/json' --data-binary "@$file" \
		"${idem[@]}" "$@"
}

# jget PATH [FILE]: a value of the last body (or FILE); see jsontool.py.
jget() { jsontool get "${2:-$BODY}" "$1"; }

# json_is PATH EXPECTED [FILE]
json_is() {
	local got
	got=$(jget "$1" "${3:-$BODY}") || { echo "no $1 in:"; head -c 3000 "${3:-$BODY}"; return 1; }
	[ "$got" = "$2" ] || { echo "$1 is '$got', wanted '$2'"; head -c 3000 "${3:-$BODY}"; echo; return 1; }
}

# problem STATUS [POINTER…]: the last answer is an RFC 9457 problem document
# of that status, naming each POINTER in its "errors".
problem() {
	local status=$1 p
	shift
	test_status "$status" || return 1
	header_has "^Content-Type: application/problem+json" || return 1
	json_is status "$status" || return 1
	jget type >/dev/null || { echo "no type"; return 1; }
	for p in "$@"; do
		jsontool errors "$BODY" | cut -f1 | grep -qxF -- "$p" ||
			{ echo "no error at pointer $p in:"; cat "$BODY"; echo; return 1; }
	done
}

# The order intake's footprint in the database: a checksum of the contents
# of every table an order writes (all their rows, every column: an UPDATE
# counts as much as an INSERT), and row counts to make a difference easier
# to read. Two equal snapshots: nothing was written. (The argument, a SKU
# pattern, is no longer needed: every product is in the checksum.)
intake_state() {
	sql "CHECKSUM TABLE orders, order_lines, order_addresses, order_events, customers,
		idempotency_keys, shop_counters, products EXTENDED" &&
	sql "SELECT 'orders', COUNT(*) FROM orders
		UNION ALL SELECT 'customers', COUNT(*) FROM customers
		UNION ALL SELECT 'idempotency_keys', COUNT(*) FROM idempotency_keys"
}

# unchanged BEFORE [PATTERN]: fails, showing the difference, unless the
# intake state is still BEFORE (from intake_state).
unchanged() {
	local after
	after=$(intake_state)
	[ "$after" = "$1" ] && return 0
	echo "the database changed:"
	diff <(printf '%s\n' "$1") <(printf '%s\n' "$after")
	return 1
}

# True while every comptoir serve process is alive and not a zombie.
server_running() {
	local pid pids
	pids=$(server_pids 2>/dev/null) || return 1
	for pid in $pids; do
		[ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null || return 1
	done
}

# True while any comptoir serve process is.
server_any_running() {
	local pid
	for pid in $(server_pids 2>/dev/null); do
		[ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && return 0
	done
	return 1
}

# Starts comptoir serve again (those of its processes that are not
# running), as the stack does (for the tests that follow a crash or a kill).
server_restart() {
	say "comptoir serve is not running: starting it again"
	(
		export STACK_DIR=${STACK_DIR:-$CPT_STACK_DIR}
		export STACK_BUILD=${STACK_BUILD:-$(dirname "$CPT_BIN")}
		. "$SRC_DIR/tools/lib/stack.sh" &&
		comptoir_start
	)
}
