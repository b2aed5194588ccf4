#!/usr/bin/env bash
# The dashboard, /: every figure equals what SQL counts in the orders, and
# every figure's link opens the list of exactly that many orders; today's
# and this month's orders and sales (with their total) in the shop's time
# zone; the last orders in; the products at or under their threshold; the
# counters behind it exact after a seed, intake, status changes and holds,
# also at once; and another shop's orders count nowhere.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new b || test_bail "no second shop"
B_ID=$SHOP_ID B_HOST=$SHOP_HOST B_KEY=$SHOP_KEY B_CODE=$SHOP_CODE
test_shop_new || test_bail "no shop of its own"
A=$SHOP_ID KEY=$SHOP_KEY
SALE="'received','processing','shipped','delivered','completed'"
cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1 || { cat "$TEST_TMP/out"; return 1; }; }

# order SKU [KEY]: one order through the intake API; prints its code.
order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Léa", "last_name": "Roux", "email": "lea.$RUN@example.fr"},
 "billing_address": {"name": "Léa Roux", "line1": "2 rue Haute", "postcode": "75001", "city": "Paris", "country": "FR"},
 "lines": [{"sku": "$1", "quantity": 1}], "payment_method": "card", "carrier": "colissimo"}
JSON
	KEY=${2:-$SHOP_KEY} post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $A AND code = '$1'"; }

# The local day and month in Europe/Paris, and their bounds in UTC.
bounds() {
	python3 - <<'PY'
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
z = ZoneInfo("Europe/Paris")
now = datetime.now(z)
d0 = now.replace(hour=0, minute=0, second=0, microsecond=0)
d1 = (d0 + timedelta(days=1, hours=3)).replace(hour=0)
m0 = d0.replace(day=1)
m1 = (m0 + timedelta(days=32)).replace(day=1)
u = lambda t: t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
print(now.strftime("%Y-%m-%d"), now.strftime("%Y-%m"), u(d0), u(d1), u(m0), u(m1))
PY
}

# The dashboard's figures: "HREF N" lines, the links decoded.
figures() {
	http GET / && [ "$STATUS" = 200 ] || return 1
	grep -o 'href="/orders[^"]*"><span class="figure">[0-9]*' "$BODY" |
		sed 's|^href="||; s|"><span class="figure">| |; s|&amp;|\&|g'
}

# What SQL counts for a figure's link.
expected() {
	local cond
	case $1 in
	"/orders?status="*) cond="status = '${1#*=}'" ;;
	"/orders?paid=unpaid") cond="closed = 0 AND payment_state = 'unpaid'" ;;
	"/orders?paid=paid&shipped=unshipped") cond="closed = 0 AND payment_state = 'paid' AND shipping_state = 'unshipped'" ;;
	"/orders?hold=1") cond="closed = 0 AND on_hold = 1" ;;
	"/orders?from=$DAY&to=$DAY&completed=1&cancelled=1") cond="placed_at >= '$T0' AND placed_at < '$T1'" ;;
	"/orders?from=$DAY&to=$DAY&sale=1") cond="placed_at >= '$T0' AND placed_at < '$T1' AND status IN ($SALE)" ;;
	"/orders?month=$MONTH&completed=1&cancelled=1") cond="placed_at >= '$M0' AND placed_at < '$M1'" ;;
	"/orders?month=$MONTH&sale=1") cond="placed_at >= '$M0' AND placed_at < '$M1' AND status IN ($SALE)" ;;
	*) echo "no SQL for $1" >&2; return 1 ;;
	esac
	sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND $cond"
}

# The count the list at PATH shows, as a number.
list_count() {
	http GET "$1" && [ "$STATUS" = 200 ] || return 1
	sed -n 's|.*<p class="count" role="status">\([^<]*\)</p>.*|\1|p' "$BODY" | tr -cd '0-9'
}

# Every figure against SQL and against its list; the turnovers against SQL.
check_all() {
	local href n want got lines=0
	read -r DAY MONTH T0 T1 M0 M1 <<<"$(bounds)" && [ -n "$M1" ] || return 1
	T0=${T0/T/ } T1=${T1/T/ } M0=${M0/T/ } M1=${M1/T/ }
	figures >"$TEST_TMP/figures" || return 1
	while read -r href n; do
		lines=$((lines + 1))
		want=$(expected "$href") || return 1
		[ "$n" = "$want" ] || { echo "$href: the dashboard says $n, SQL $want"; return 1; }
		got=$(list_count "$href") || return 1
		[ "$got" = "$n" ] || { echo "$href: the dashboard says $n, the list $got"; return 1; }
	done <"$TEST_TMP/figures"
	# 5 open statuses, unpaid, paid not shipped, on hold; today and month twice.
	[ "$lines" = 12 ] || { echo "$lines figures:"; cat "$TEST_TMP/figures"; return 1; }
	http GET / &&
	grep -o '<span class="amount">[^<]*' "$BODY" | tr -cd '0-9\n' >"$TEST_TMP/turnover" &&
	want=$(sql "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE shop_id = $A AND status IN ($SALE)
		AND placed_at >= '$T0' AND placed_at < '$T1';
		SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE shop_id = $A AND status IN ($SALE)
		AND placed_at >= '$M0' AND placed_at < '$M1'") &&
	[ "$(cat "$TEST_TMP/turnover")" = "$want" ] || { echo "turnovers $(cat "$TEST_TMP/turnover"), SQL $want"; return 1; }
}

test_expect_success 'a seeded shop (and another): the counters hold what the orders say' '
	cpt seed --shop "$SHOP_CODE" --orders 300 --products 20 &&
	cpt seed --shop "$B_CODE" --orders 120 --products 10 &&
	counts_exact "$A" && counts_exact "$B_ID" &&
	[ "$(sql "SELECT SUM(n) FROM order_counts WHERE shop_id = $A")" = 300 ]
'

test_expect_success 'orders through the API, today, in both shops; products running low' '
	put_product D-LOW "{\"name\": \"Bougie\", \"price\": 1850, \"vat_rate\": 2000, \"stock_on_hand\": 30,
		\"low_stock_threshold\": 27}" && test_status 201 &&
	KEY=$B_KEY HOST=$B_HOST put_product D-LOW "{\"name\": \"Bougie B\", \"price\": 990, \"vat_rate\": 2000, \"stock_on_hand\": 30,
		\"low_stock_threshold\": 29}" &&
	for i in 1 2 3 4; do order D-LOW >>"$TEST_TMP/codes" || return 1; done &&
	for i in 1 2 3; do HOST=$B_HOST order D-LOW "$B_KEY" >/dev/null || return 1; done &&
	[ "$(wc -l <"$TEST_TMP/codes")" = 4 ] &&
	counts_exact "$A" && counts_exact "$B_ID"
'

test_expect_success 'log in as staff' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'every figure equals SQL and its list, the turnovers SQL' '
	check_all && grep -q "from=$DAY" "$TEST_TMP/figures" &&
	[ "$(grep "^/orders?from=" "$TEST_TMP/figures" | head -n 1 | cut -d" " -f2)" -ge 4 ]
'

test_expect_success 'a status change, a hold and a resume move the figures, and they still match' '
	set -- $(cat "$TEST_TMP/codes") &&
	http POST "/orders/$1/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=processing" \
		--data-urlencode "version=0" && test_status 303 &&
	http POST "/orders/$2/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=awaiting_payment" \
		--data-urlencode "version=0" && test_status 303 &&
	http POST "/orders/$3/hold" --data-urlencode "csrf=$CSRF" --data-urlencode "hold=1" \
		--data-urlencode "reason=Adresse à vérifier" --data-urlencode "version=0" && test_status 303 &&
	http POST "/orders/$3/hold" --data-urlencode "csrf=$CSRF" --data-urlencode "hold=0" \
		--data-urlencode "version=1" && test_status 303 &&
	http POST "/orders/$4/hold" --data-urlencode "csrf=$CSRF" --data-urlencode "hold=1" \
		--data-urlencode "reason=Client rappelle" --data-urlencode "version=0" && test_status 303 &&
	counts_exact "$A" && check_all &&
	grep -qx "/orders?hold=1 $(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND closed = 0 AND on_hold = 1")" "$TEST_TMP/figures"
'

test_expect_success 'intake, status changes and holds all at once: the counters stay exact' '
	for i in 1 2 3 4 5 6; do order D-LOW >>"$TEST_TMP/many" || return 1; done &&
	for c in $(cat "$TEST_TMP/many"); do
		for to in processing awaiting_payment; do
			curl -s -o /dev/null -b "$JAR" -H "Host: $HOST" --data-urlencode "csrf=$CSRF" \
				--data-urlencode "status=$to" --data-urlencode "version=0" \
				"http://127.0.0.1:$CPT_PORT/orders/$c/status" &
		done
		curl -s -o /dev/null -b "$JAR" -H "Host: $HOST" --data-urlencode "csrf=$CSRF" --data-urlencode "hold=1" \
			--data-urlencode "reason=x" --data-urlencode "version=0" "http://127.0.0.1:$CPT_PORT/orders/$c/hold" &
		(order D-LOW >/dev/null) &
	done
	wait
	counts_exact "$A" && check_all
'

test_expect_success 'the last orders in, newest first, none of the other shop' '
	http GET / && test_status 200 &&
	sed -n "/<ol class=\"recent last-orders\">/,/<\/ol>/p" "$BODY" | grep -o "href=\"/orders/[A-Z0-9]*\"" |
		sed "s|href=\"/orders/||; s|\"||" >"$TEST_TMP/last" &&
	sql "SELECT code FROM orders WHERE shop_id = $A ORDER BY placed_at DESC, id DESC LIMIT 8" >"$TEST_TMP/last.sql" &&
	diff "$TEST_TMP/last.sql" "$TEST_TMP/last"
'

test_expect_success 'the products at or under their threshold, with what is left; not the other shop' '
	want=$(sql "SELECT COUNT(*) FROM products WHERE shop_id = $A AND track_stock = 1 AND active = 1
		AND stock_on_hand - stock_reserved <= low_stock_threshold") && [ "$want" -ge 1 ] &&
	body_has "<p class=\"low-count\">$want " &&
	left=$(sql "SELECT stock_on_hand - stock_reserved FROM products WHERE shop_id = $A AND sku = \"D-LOW\"") &&
	body_has "<span class=\"code\">D-LOW</span> Bougie — <span class=\"figure\">$left</span>" &&
	body_lacks "Bougie B"
'

test_expect_success 'the other shop: its own figures, equal to its SQL, none of ours' '
	forget_cookies && HOST=$B_HOST && login "staff@$B_CODE.example" "$DEMO_PASSWORD" && test_status 303 &&
	figures >"$TEST_TMP/b" &&
	[ "$(grep -c "" "$TEST_TMP/b")" = 12 ] &&
	want=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $B_ID AND status = \"received\"") &&
	grep -qx "/orders?status=received $want" "$TEST_TMP/b" &&
	want=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $B_ID AND closed = 0 AND payment_state = \"unpaid\"") &&
	grep -qx "/orders?paid=unpaid $want" "$TEST_TMP/b" &&
	! cmp -s "$TEST_TMP/b" "$TEST_TMP/figures" &&
	for c in $(cat "$TEST_TMP/codes"); do body_lacks "/orders/$c\"" || return 1; done
'

test_done
