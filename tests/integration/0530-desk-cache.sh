#!/usr/bin/env bash
# The desk's reads from memory (core/db/read_cache.h): for every kind of
# change a merchant, the storefront or `comptoir work` makes, the pages are
# loaded first (their reads cached), the change is made, and the list, the
# search, the dashboard and the order page then show it at once, byte for
# byte what a server without the cache renders; in every serve process,
# also one that did not make the change. Another shop's changes leave this
# shop's cached reads in use (hits, no miss) and never show in its pages.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new b || test_bail "no second shop"
B_HOST=$SHOP_HOST B_KEY=$SHOP_KEY
test_shop_new "" "{storefront_prices: true, prices_include_vat: true, auto_cancel_unpaid_after: 48h,
  payment_reminder_after: 1d}" "plugins:
  banktransfer:
    enabled: true
    settings: {beneficiary: Boutique 0530, iban: BE68539007547034, bic: GEBABEBB, reference: order}" ||
	test_bail "no shop of its own"
A=$SHOP_ID KEY=$SHOP_KEY
NAME=Cachet$RUN

# Two more serve processes on the same database, each behind an nginx of
# its own (as 0600 does): "off" with read_cache_mb 0, whose pages are the
# truth, and "on", a process that never makes the changes.
OFF_PORT=$((CPT_PORT + 5)) ON_PORT=$((CPT_PORT + 6)) BUILD=$(dirname "$CPT_BIN")
side_dir() { echo "$TEST_TMP/side-$1"; }
side_make() {   # NAME PORT CACHE_MB
	local d
	d=$(side_dir "$1")
	mkdir -p "$d/etc" "$d/run" "$d/log" &&
	ln -s "$(dirname "$CPT_CONFIG")/shops.d" "$d/etc/shops.d" &&
	cp "$(dirname "$CPT_CONFIG")/secret.key" "$d/etc/secret.key" &&
	sed -e "s|^  socket: .*/comptoir.sock$|  socket: $d/run/comptoir.sock|" \
		-e "s|^  key_file: .*|  key_file: $d/etc/secret.key|" \
		-e "/^database:\$/a\\
  read_cache_mb: $3" "$CPT_CONFIG" >"$d/etc/comptoir.yaml" &&
	{ "$CPT_BIN" --config "$d/etc/comptoir.yaml" serve >>"$d/log/comptoir.log" 2>&1 & } &&
	echo $! >"$d/run/serve.pid" &&
	for i in $(seq 1 100); do [ -S "$d/run/comptoir.sock" ] && break; sleep 0.1; done &&
	[ -S "$d/run/comptoir.sock" ] &&
	(STACK_DIR=$d STACK_PORT=$2 STACK_PROCS=1 STACK_TLS_PORT= STACK_BUILD=$BUILD
	 . "$SRC_DIR/tools/lib/stack.sh" && nginx_start)
}
side_stop() {   # NAME PORT
	local d pid i
	d=$(side_dir "$1")
	(STACK_DIR=$d STACK_PORT=$2 STACK_PROCS=1 STACK_TLS_PORT= STACK_BUILD=$BUILD
	 . "$SRC_DIR/tools/lib/stack.sh" && nginx_stop)
	[ -f "$d/run/serve.pid" ] || return 0
	pid=$(cat "$d/run/serve.pid")
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$d/run/serve.pid"
}
test_at_exit 'side_stop off $OFF_PORT; side_stop on $ON_PORT'

# at PORT PATH: GET through that nginx, with this session; the status code
# and the body into $TEST_TMP/at.
at() {
	STATUS=$(curl -s -o "$TEST_TMP/at" -w '%{http_code}' -b "$JAR" -H "Host: $HOST" "http://127.0.0.1:$1$2") &&
	echo "status $STATUS" >>"$TEST_TMP/at"
}
metric_at() {   # PORT SAMPLE: one sample of that server's /_metrics
	at "$1" /_metrics && awk -v k="$2" '$1 == k { print $2 }' "$TEST_TMP/at"
}

CODE=
pages() {
	printf '%s\n' /orders "/orders?completed=1&cancelled=1" "/search?q=$NAME" / ${CODE:+"/orders/$CODE"}
}
# fill: every page through each process, so that each holds its reads.
fill() {
	local p i
	for p in $(pages); do
		for i in $(seq 1 $((CPT_PROCS + 1))); do at "$CPT_PORT" "$p" || return 1; done
		at "$ON_PORT" "$p" || return 1
	done
}
# seen: every page, through each process of this stack and through "on",
# is what "off" renders now.
seen() {
	local p i port
	for p in $(pages); do
		at "$OFF_PORT" "$p" && mv "$TEST_TMP/at" "$TEST_TMP/truth" || return 1
		grep -q "^status 200$\|^status 303$" "$TEST_TMP/truth" || { echo "$p: $(tail -n 1 "$TEST_TMP/truth")"; return 1; }
		for port in $(for i in $(seq 1 $((CPT_PROCS + 1))); do echo "$CPT_PORT"; done) "$ON_PORT"; do
			at "$port" "$p" || return 1
			cmp -s "$TEST_TMP/truth" "$TEST_TMP/at" && continue
			echo "$p through port $port differs from the uncached page:"
			diff "$TEST_TMP/truth" "$TEST_TMP/at" | head -n 20
			return 1
		done
	done
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $A AND code = '$1'"; }
ver() { ocol "$1" version; }
# new_order [SKU [QTY [TEST]]]: an order through the intake API; prints its code.
new_order() {
	local test=${3:+', "test": true'}
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Hélène", "last_name": "$NAME", "email": "h.$RUN@example.fr", "phone": "+33601020304"},
 "billing_address": {"name": "Hélène $NAME", "line1": "2 rue Haute", "postcode": "75001", "city": "Paris", "country": "FR"},
 "lines": [{"sku": "${1:-C-MUG}", "quantity": ${2:-1}}], "payment_method": "banktransfer", "carrier": "colissimo"$test}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
post() {   # PATH field=value…: a form posted with the session's token
	local path=$1 kv args=()
	shift
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	http POST "$path" --data-urlencode "csrf=$CSRF" "${args[@]}"
}
# step WHAT: fill, then the change ($CHANGE, a command), then seen.
change_seen() {
	fill || return 1
	eval "$1" || { echo "the change failed ($STATUS): $1"; head -c 600 "$BODY"; return 1; }
	seen
}

test_expect_success 'setup: products, orders, a logged-in owner, two more serve processes' '
	put_product C-MUG "{\"name\": \"Tasse cachée\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 50,
		\"low_stock_threshold\": 5}" && test_status 201 &&
	put_product C-PEN "{\"name\": \"Stylo\", \"price\": 300, \"vat_rate\": 2000, \"stock_on_hand\": 50}" &&
	test_status 201 &&
	CODE=$(new_order) && C2=$(new_order C-PEN 2) && [ -n "$CODE" ] && [ -n "$C2" ] &&
	echo "$CODE $C2" >"$TEST_TMP/codes" &&
	login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 && CSRF=$(session_csrf) && [ -n "$CSRF" ] &&
	echo "$CSRF" >"$TEST_TMP/csrf" &&
	side_make off "$OFF_PORT" 0 && side_make on "$ON_PORT" 32 &&
	at "$ON_PORT" /_metrics && grep -q "^comptoir_read_cache_lookups_total" "$TEST_TMP/at"
'
C2=
read -r CODE C2 <"$TEST_TMP/codes" 2>/dev/null
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'unchanged: the pages are served from memory (hits rise, misses do not)' '
	seen && fill &&
	h0=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"hit\"}") &&
	m0=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"miss\"}") &&
	for p in $(pages); do at "$ON_PORT" "$p" || return 1; done &&
	h1=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"hit\"}") &&
	m1=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"miss\"}") &&
	echo "hits $h0 -> $h1, misses $m0 -> $m1" && [ "$h1" -ge $((h0 + 5)) ] && [ "$m1" = "$m0" ] &&
	[ "$(metric_at "$ON_PORT" comptoir_read_cache_bytes)" -gt 0 ]
'

test_expect_success 'a status change is seen at once' '
	change_seen "post /orders/$CODE/status status=processing version=\$(ver $CODE) && test_status 303"
'
test_expect_success 'hold, then release' '
	change_seen "post /orders/$CODE/hold hold=1 \"reason=virement annoncé\" version=\$(ver $CODE) && test_status 303" &&
	change_seen "post /orders/$CODE/hold hold=0 version=\$(ver $CODE) && test_status 303"
'
test_expect_success 'a note, and the reference field' '
	change_seen "post /orders/$CODE/notes \"note=Rappeler la cliente\" && test_status 303" &&
	change_seen "post /orders/$CODE/reference reference=6A$RUN && test_status 303"
'
test_expect_success 'a payment recorded, then a refund' '
	change_seen "post /orders/$CODE/payments amount=5,00 method=cheque version=\$(ver $CODE) && test_status 303" &&
	change_seen "post /orders/$CODE/refunds amount=2,00 comment=Geste version=\$(ver $CODE) && test_status 303"
'
test_expect_success 'a line edited' '
	change_seen "post /orders/$C2/lines op=add find=C-MUG quantity=1 version=\$(ver $C2) && test_status 303" ||
	{ cat "$BODY" | head -n 40; false; }
'
test_expect_success 'a new order through the API, and a product'\''s stock through the API' '
	change_seen "new_order >/dev/null" &&
	change_seen "put_product C-MUG \"{\\\"stock_on_hand\\\": 4}\" && test_status 200"
'
test_expect_success 'a bulk action' '
	change_seen "post /bulk o=$C2:\$(ver $C2) action=status:processing scope=ticked && test_status 303"
'
test_expect_success 'a cancellation' '
	change_seen "post /orders/$C2/cancel version=\$(ver $C2) && test_status 303"
'
test_expect_success 'a test order deleted' '
	T=$(new_order C-PEN 1 test) && [ -n "$T" ] && [ "$(ocol "$T" is_test)" = 1 ] &&
	change_seen "post /orders/$T/delete version=\$(ver $T) && test_status 303"
'
test_expect_success 'a payment link made' '
	C3=$(new_order C-PEN 1) && [ -n "$C3" ] && CODE=$C3 &&
	change_seen "post /orders/$C3/payment-link && test_status 303"
'
test_expect_success 'comptoir work: the payment reminder, then the automatic cancel' '
	R=$(new_order C-PEN 1) && X=$(new_order C-PEN 1) &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 30 HOUR WHERE shop_id = $A AND code = \"$R\"" &&
	CODE=$R && work="\"\$CPT_BIN\" --config \"\$CPT_CONFIG\" work --once >\"\$TEST_TMP/work.log\" 2>&1" &&
	change_seen "$work" &&
	[ "$(ocol "$R" "payment_reminded_at IS NOT NULL")" = 1 ] &&
	sql "UPDATE orders SET placed_at = NOW(6) - INTERVAL 3 DAY WHERE shop_id = $A AND code = \"$X\"" &&
	CODE=$X && change_seen "$work" &&
	[ "$(ocol "$X" status)" = cancelled ]
'

# The person's rows come from memory too: saving or deleting a view, and
# opening an order, mark the desk.
staff_shares() {
	JAR=$TEST_TMP/staff http POST /views --data-urlencode "csrf=$STAFF_CSRF" --data-urlencode "query=paid=unpaid" \
		--data-urlencode "name=Partagée $RUN" --data-urlencode "shared=1" && test_status 303
}
newest_opened() {
	sql "SELECT o.code FROM staff_recent_orders r JOIN orders o ON o.shop_id = r.shop_id AND o.id = r.order_id
		WHERE r.shop_id = $A ORDER BY r.viewed_at DESC LIMIT 1"
}
test_expect_success 'saved views: one saved, one another staff member shares, one deleted' '
	change_seen "post /views query=status=processing \"name=Miennes $RUN\" && test_status 303" &&
	at "$ON_PORT" /orders && grep -q "Miennes $RUN" "$TEST_TMP/at" &&
	JAR=$TEST_TMP/staff login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	STAFF_CSRF=$(JAR=$TEST_TMP/staff session_csrf) && [ -n "$STAFF_CSRF" ] &&
	change_seen staff_shares && at "$ON_PORT" /orders && grep -q "Partagée $RUN" "$TEST_TMP/at" &&
	view=$(sql "SELECT id FROM saved_views WHERE shop_id = $A AND name = \"Miennes $RUN\"") && [ -n "$view" ] &&
	change_seen "post /views/$view/delete && test_status 303" &&
	at "$ON_PORT" /orders && ! grep -q "Miennes $RUN" "$TEST_TMP/at"
'
test_expect_success 'an order opened in another process: the orders opened last, on the list and the dashboard' '
	O=$(new_order C-PEN 1) && [ -n "$O" ] &&
	change_seen "at \$ON_PORT /orders/$O && grep -q \"^status 200\$\" \$TEST_TMP/at && [ \"\$(newest_opened)\" = $O ]"
'
test_expect_success 'another shop'\''s change: this shop'\''s reads stay in memory, its order never shows here' '
	fill &&
	h0=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"hit\"}") &&
	m0=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"miss\"}") &&
	HOST=$B_HOST KEY=$B_KEY put_product C-MUG "{\"name\": \"Tasse B\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 9}" &&
	HOST=$B_HOST KEY=$B_KEY new_order >"$TEST_TMP/b" && [ -n "$(cat "$TEST_TMP/b")" ] &&
	for p in $(pages); do at "$ON_PORT" "$p" || return 1; done &&
	h1=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"hit\"}") &&
	m1=$(metric_at "$ON_PORT" "comptoir_read_cache_lookups_total{outcome=\"miss\"}") &&
	echo "hits $h0 -> $h1, misses $m0 -> $m1" && [ "$h1" -ge $((h0 + 5)) ] && [ "$m1" = "$m0" ] &&
	seen && for p in $(pages); do
		at "$ON_PORT" "$p" && ! grep -q "$(cat "$TEST_TMP/b")" "$TEST_TMP/at" || return 1
	done
'

test_done
