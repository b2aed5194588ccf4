#!/usr/bin/env bash
# The order list, /orders: every sort both ways in the database's order,
# pages that neither repeat nor miss an order, every filter and tick box,
# forged cursors refused, the "Commande" field, the bounded count, saved
# views (one's own, shared, another's), the CSV parsed back, the orders
# opened last, and shop isolation; pickers may not see it.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new b || test_bail "no second shop"
B_ID=$SHOP_ID B_HOST=$SHOP_HOST
test_shop_new || test_bail "no shop of its own"
A=$SHOP_ID
PY=/usr/bin/python3

# N orders of shop $1 with codes $2…, numbers from $3, in every state,
# placed every 7 hours from 28 October 2026 (two at each instant), with
# ties on totals, titles, customers and products.
make_orders() {
	sql "INSERT INTO orders (shop_id, number, code, title, first_product, status, closed, payment_state,
		shipping_state, channel, currency, prices_include_vat, lines_cents, total_ex_vat_cents,
		total_vat_cents, total_cents, vat_breakdown, payment_method, carrier, customer_code,
		customer_first_name, customer_last_name, remarks, placed_at)
	SELECT $1, $3 + seq, CONCAT('$2', REPLACE(REPLACE(LPAD(seq, 7, 'X'), '0', 'Z'), '1', 'Y')),
		ELT(seq % 5 + 1, 'Étiquettes', 'affiches', 'Zèbre', 'cartes', ''),
		ELT(seq % 4 + 1, 'Affiche A2', 'Carte de visite', 'Étui', 'Livre d’or'),
		ELT(seq % 7 + 1, 'received', 'awaiting_payment', 'processing', 'shipped', 'delivered', 'completed', 'cancelled'),
		ELT(seq % 7 + 1, 0, 0, 0, 0, 0, 1, 2),
		ELT(seq % 3 + 1, 'unpaid', 'paid', 'refunded'),
		ELT(seq % 4 + 1, 'unshipped', 'partially_shipped', 'shipped', 'delivered'),
		'web', 'EUR', 1, 0, 0, 0, (seq * 7919) % 40 * 12345 + 50, '[]',
		ELT(seq % 3 + 1, 'card', 'paypal', 'cheque'), ELT(seq % 2 + 1, 'colissimo', 'chronopost'),
		CONCAT('C', LPAD(seq % 17, 6, '0')), ELT(seq % 3 + 1, 'Hélène', 'Marc', 'Zoé'), 'Dupré', '',
		'2026-10-28 00:00:00' + INTERVAL (seq DIV 2) * 7 HOUR
	FROM seq_1_to_$4" &&
	# Written past the transactions that move the counters the list counts
	# from: counted again, as order_counts_rebuild does after a bulk load.
	sql "DELETE FROM order_counts WHERE shop_id = $1;
	INSERT INTO order_counts (shop_id, status, on_hold, payment_state, shipping_state, n)
	SELECT shop_id, status, on_hold, payment_state, shipping_state, COUNT(*) FROM orders
	WHERE shop_id = $1 GROUP BY 1, 2, 3, 4, 5"
}

# The codes of a list walked page by page through the "next" links.
walk() {
	local path="/orders${1:+?$1}" n=0
	: >"$TEST_TMP/walk"
	while [ -n "$path" ] && [ $n -lt 50 ]; do
		http GET "$path" && [ "$STATUS" = 200 ] || { echo "GET $path: $STATUS" >&2; return 1; }
		grep -o '<th scope="row" data-label="[^"]*"><a href="/orders/[A-Z0-9]*"' "$BODY" |
			sed 's|.*/orders/||; s|"$||' >>"$TEST_TMP/walk"
		path=$(grep -o 'href="[^"]*" rel="next"' "$BODY" | sed 's/^href="//; s/" rel="next"$//; s/&amp;/\&/g')
		n=$((n + 1))
	done
	cat "$TEST_TMP/walk"
}

# The codes the database gives for the same filters and order.
db_codes() {
	sql "SELECT code FROM orders WHERE shop_id = $A AND ($1) ORDER BY $2"
}

test_expect_success 'orders of two shops, in every state' '
	make_orders $A K 1000 260 && make_orders $B_ID B 1000 40 &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A")" = 260 ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND first_product <> \"\"")" = 260 ]
'

test_expect_success 'a picker may not see the list nor its export' '
	JAR=$TEST_TMP/picker login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/picker http GET /orders && test_status 403 && body_lacks "KXX" &&
	JAR=$TEST_TMP/picker http GET /orders.csv && test_status 403
'

test_expect_success 'staff log in; the list is newest first, completed and cancelled hidden' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	walk "" >"$TEST_TMP/got" && db_codes "status NOT IN (\"completed\", \"cancelled\")" "placed_at DESC, id DESC" >"$TEST_TMP/want" &&
	[ "$(wc -l <"$TEST_TMP/want")" -gt 150 ] && diff "$TEST_TMP/want" "$TEST_TMP/got"
'

test_expect_success 'pages: 50 rows each, none repeated, none missed' '
	[ "$(sort -u "$TEST_TMP/got" | wc -l)" = "$(wc -l <"$TEST_TMP/want")" ] &&
	http GET /orders && test_status 200 &&
	[ "$(grep -c "<th scope=\"row\"" "$BODY")" = 50 ] && body_lacks "rel=\"prev\""
'

test_expect_success 'each row: number and code, date and time, customer and code, title, total, states' '
	row=$(sql "SELECT code, number, total_cents, customer_code, customer_first_name, title, first_product FROM orders
		WHERE shop_id = $A AND closed = 0 ORDER BY placed_at DESC, id DESC LIMIT 1") &&
	read -r code number total ccode first title product <<<"$row" &&
	http GET /orders && tr -d "\n" <"$BODY" >"$TEST_TMP/flat" &&
	grep -qF "<a href=\"/orders/$code\">$number · <span class=\"code\">$code</span></a>" "$TEST_TMP/flat" &&
	grep -qF "$first Dupré <span class=\"muted\">$ccode</span>" "$TEST_TMP/flat" &&
	euros=$($PY -c "import sys; c=int(sys.argv[1]); print(f\"{c//100:,}\".replace(\",\", \"\u202f\") + f\",{c%100:02d}\u00a0€\")" "$total") &&
	grep -qF "class=\"amount\">$euros</td>" "$TEST_TMP/flat" &&
	grep -qE "<time datetime=\"[^\"]*\">[0-9]{2}/[0-9]{2}/2026 [0-9]{2}:[0-9]{2}</time>|<time datetime=\"[^\"]*\">[0-9]{2}/[0-9]{2}/2027 [0-9]{2}:[0-9]{2}</time>" "$TEST_TMP/flat"
'

test_expect_success 'every sort, both ways, in the order of the database, across pages' '
	for s in date:placed_at number:number title:title customer:customer_code product:first_product total:total_cents; do
		for d in asc desc; do
			walk "sort=${s%%:*}&dir=$d" >"$TEST_TMP/got" &&
			db_codes "closed = 0" "${s#*:} $d, id $d" >"$TEST_TMP/want" &&
			diff "$TEST_TMP/want" "$TEST_TMP/got" >/dev/null ||
				{ echo "sort $s $d differs"; diff "$TEST_TMP/want" "$TEST_TMP/got" | head; return 1; }
		done
	done
'

test_expect_success 'column heads link to their sort, and say which one is on (aria-sort)' '
	http GET "/orders?sort=total&dir=asc" && test_status 200 &&
	body_has "aria-sort=\"ascending\"><a href=\"/orders?sort=total&amp;dir=desc\"" &&
	body_has "aria-sort=\"none\"><a href=\"/orders?sort=title&amp;dir=asc\"" &&
	http GET /orders && body_has "aria-sort=\"descending\"><a href=\"/orders?sort=date&amp;dir=asc\""
'

test_expect_success 'the page before a cursor is the page that led to it' '
	http GET "/orders?sort=title&dir=asc" && first=$(grep -o "<th scope=\"row\"[^>]*><a href=\"/orders/[A-Z0-9]*\"" "$BODY" | md5sum) &&
	next=$(grep -o "href=\"[^\"]*\" rel=\"next\"" "$BODY" | sed "s/^href=\"//; s/\" rel=\"next\"$//; s/&amp;/\&/g") &&
	http GET "$next" && test_status 200 && body_has "rel=\"prev\"" &&
	prev=$(grep -o "href=\"[^\"]*\" rel=\"prev\"" "$BODY" | sed "s/^href=\"//; s/\" rel=\"prev\"$//; s/&amp;/\&/g") &&
	http GET "$prev" && test_status 200 &&
	[ "$(grep -o "<th scope=\"row\"[^>]*><a href=\"/orders/[A-Z0-9]*\"" "$BODY" | md5sum)" = "$first" ] &&
	body_lacks "rel=\"prev\""
'

test_expect_success 'a forged cursor or sort is a 400, never an SQL error; quotes in a cursor are text' '
	for q in "after=2026-13-45&id=1" "after=x&id=1" "after=2026-11-01%2000:00:00.000000&id=abc" \
		"after=2026-11-01%2000:00:00.000000" "sort=price" "dir=up" "sort=total&after=1e3&id=5" \
		"status=%27%20OR%201" "month=2026-13" "from=2026-02-3x" "paid=maybe"; do
		http GET "/orders?$q" && [ "$STATUS" = 400 ] || { echo "$q: $STATUS"; return 1; }
	done &&
	s=$(log_size) &&
	http GET "/orders?sort=title&dir=asc&after=%27%20OR%201%3D1%20--%20&id=1" && test_status 200 &&
	[ "$(grep -c "<th scope=\"row\"" "$BODY")" = 50 ] &&
	! tail -c +$((s + 1)) "$CPT_LOG" | grep -qi "sql\|syntax"
'

test_expect_success 'filters: status, payment method, payment state, shipping state, carrier' '
	for f in "status=processing:status = \"processing\"" "status=completed:status = \"completed\"" \
		"payment=paypal:closed = 0 AND payment_method = \"paypal\"" \
		"paid=refunded:closed = 0 AND payment_state = \"refunded\"" \
		"shipped=partially_shipped:closed = 0 AND shipping_state = \"partially_shipped\"" \
		"carrier=chronopost:closed = 0 AND carrier = \"chronopost\"" \
		"payment=card&paid=unpaid&carrier=colissimo:closed = 0 AND payment_method = \"card\" AND payment_state = \"unpaid\" AND carrier = \"colissimo\""; do
		walk "${f%%:*}" >"$TEST_TMP/got" && db_codes "${f#*:}" "placed_at DESC, id DESC" >"$TEST_TMP/want" &&
		[ -s "$TEST_TMP/want" ] && diff "$TEST_TMP/want" "$TEST_TMP/got" >/dev/null ||
			{ echo "filter $f differs"; return 1; }
	done
'

test_expect_success 'the filter form keeps what was chosen' '
	http GET "/orders?status=processing&carrier=chronopost&completed=1" && test_status 200 &&
	body_has "<option value=\"processing\" selected>" && body_has "<option value=\"chronopost\" selected>" &&
	body_has "name=\"completed\" value=\"1\" checked"
'

test_expect_success 'month and date range, in the shop'"'"'s time (Paris, UTC+1 in November)' '
	walk "month=2026-11" >"$TEST_TMP/got" &&
	db_codes "closed = 0 AND placed_at >= \"2026-10-31 23:00:00\" AND placed_at < \"2026-11-30 23:00:00\"" "placed_at DESC, id DESC" >"$TEST_TMP/want" &&
	[ -s "$TEST_TMP/want" ] && diff "$TEST_TMP/want" "$TEST_TMP/got" &&
	walk "from=2026-11-10&to=2026-11-12" >"$TEST_TMP/got" &&
	db_codes "closed = 0 AND placed_at >= \"2026-11-09 23:00:00\" AND placed_at < \"2026-11-12 23:00:00\"" "placed_at DESC, id DESC" >"$TEST_TMP/want" &&
	[ -s "$TEST_TMP/want" ] && diff "$TEST_TMP/want" "$TEST_TMP/got"
'

test_expect_success 'tick boxes bring completed and cancelled orders back, each its own' '
	for f in "completed=1:status <> \"cancelled\"" "cancelled=1:status <> \"completed\"" "completed=1&cancelled=1:1"; do
		walk "${f%%:*}" >"$TEST_TMP/got" && db_codes "${f#*:}" "placed_at DESC, id DESC" >"$TEST_TMP/want" &&
		diff "$TEST_TMP/want" "$TEST_TMP/got" >/dev/null || { echo "ticks $f differ"; return 1; }
	done &&
	walk "completed=1&sort=total&dir=asc" >"$TEST_TMP/got" &&
	db_codes "status <> \"cancelled\"" "total_cents asc, id asc" >"$TEST_TMP/want" && diff "$TEST_TMP/want" "$TEST_TMP/got"
'

test_expect_success 'the count: exact up to 1 000, of what the filters select' '
	http GET "/orders?carrier=chronopost" &&
	n=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND closed = 0 AND carrier = \"chronopost\"") &&
	body_has "role=\"status\">$n commandes</p>" &&
	http GET "/orders?completed=1&cancelled=1" && body_has "role=\"status\">260 commandes</p>"
'

test_expect_success 'the "Commande" field opens the order typed: code, code as typed, number' '
	code=$(sql "SELECT code FROM orders WHERE shop_id = $A AND number = 1042") &&
	http GET "/orders?find=$code" && test_status 303 && header_has "^Location: /orders/$code" &&
	low=$(echo "$code" | tr A-Z a-z) &&
	http GET "/orders?find=${low:0:4}-${low:4}%20" && test_status 303 && header_has "^Location: /orders/$code" &&
	http GET "/orders?find=1042" && test_status 303 && header_has "^Location: /orders/$code"
'

test_expect_success 'an order not found (another shop'"'"'s included) is the list with a message' '
	bcode=$(sql "SELECT code FROM orders WHERE shop_id = $B_ID LIMIT 1") &&
	http GET "/orders?find=$bcode" && test_status 404 &&
	body_has "role=\"alert\">Aucune commande n’a le code ou le numéro « $bcode ».</p>" &&
	http GET "/orders?find=99999" && test_status 404 && body_has "<table class=\"orders\">"
'

test_expect_success 'shop isolation: the other shop'"'"'s orders are in no page, count nor export' '
	walk "completed=1&cancelled=1" >"$TEST_TMP/got" && [ "$(wc -l <"$TEST_TMP/got")" = 260 ] &&
	! grep -q "^B" "$TEST_TMP/got" &&
	http GET "/orders.csv?completed=1&cancelled=1" && test_status 200 && body_lacks "BXX" &&
	[ "$(grep -c "^[0-9]*;K" "$BODY")" = 260 ]
'

# csv_check QUERY SQL-WHERE SQL-ORDER SEP DECIMAL: the export parsed back
# holds the same orders, in the same order, with the same amounts.
csv_check() {
	http GET "/orders.csv?$1" && test_status 200 &&
	header_has "^Content-Type: text/csv; charset=utf-8" && header_has "^Content-Disposition: attachment" &&
	sql "SELECT code, total_cents FROM orders WHERE shop_id = $A AND ($2) ORDER BY $3" >"$TEST_TMP/want" &&
	$PY - "$BODY" "$4" "$5" "$TEST_TMP/want" <<-"PY"
	import csv, sys
	raw = open(sys.argv[1], "rb").read()
	assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
	assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "not CRLF"
	rows = list(csv.reader(raw[3:].decode("utf-8").splitlines(), delimiter=sys.argv[2]))
	want = [l.split("\t") for l in open(sys.argv[4]).read().splitlines()]
	head, rows = rows[0], rows[1:]
	assert len(rows) == len(want), (len(rows), len(want))
	total = 8
	for r, (c, t) in zip(rows, want):
	    assert len(r) == len(head), r
	    assert r[1] == c, (r[1], c)
	    assert int(r[total].replace(sys.argv[3], "")) == int(t), (r[total], t)
	PY
}

test_expect_success 'CSV: the orders of the list, all pages, in its sort, French ; and decimal commas' '
	csv_check "" "closed = 0" "placed_at DESC, id DESC" ";" "," &&
	csv_check "sort=total&dir=asc&carrier=colissimo&completed=1" "status <> \"cancelled\" AND carrier = \"colissimo\"" "total_cents ASC, id ASC" ";" "," &&
	body_has "Numéro;Code;Date;"
'

test_expect_success 'CSV: a cell that would be a formula is neutralised, quotes and ; quoted' '
	sql "UPDATE orders SET title = \"=HYPERLINK(\\\"http://x\\\";\\\"y\\\")\", customer_last_name = \"-2+3\" WHERE shop_id = $A AND number = 1003" &&
	http GET "/orders.csv?completed=1&cancelled=1&sort=number&dir=asc" && test_status 200 &&
	grep -qF "\"'"'"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"" "$BODY" &&
	grep -qF ";\"'"'"'-2+3\";" "$BODY"
'

test_expect_success 'CSV: English staff get , and decimal points' '
	csrf=$(session_csrf) && http POST /account --data-urlencode "csrf=$csrf" --data-urlencode "lang=en" &&
	others_settle &&
	csv_check "" "closed = 0" "placed_at DESC, id DESC" "," "." && body_has "Number,Code,Date," &&
	http POST /account --data-urlencode "csrf=$csrf" --data-urlencode "lang=fr" && test_status 303 &&
	others_settle
'

test_expect_success 'saved views: staff save one for themselves, one click away above the list' '
	http GET "/orders?status=processing&sort=total&dir=asc" && csrf=$(form_value csrf) && query=$(form_value query) &&
	[ "$query" = "status=processing&amp;sort=total&amp;dir=asc" ] &&
	http POST /views --data-urlencode "csrf=$csrf" --data-urlencode "query=status=processing&sort=total&dir=asc" \
		--data-urlencode "name=À préparer, les plus petites" && test_status 303 &&
	header_has "^Location: /orders?status=processing&sort=total&dir=asc" &&
	http GET /orders && body_has "<a href=\"/orders?status=processing&amp;sort=total&amp;dir=asc\">À préparer, les plus petites</a>" &&
	[ "$(sql "SELECT COUNT(*) FROM saved_views WHERE shop_id = $A AND shared = 0")" = 1 ]
'

test_expect_success 'saved views: without the CSRF token, or with no name, nothing is saved' '
	http POST /views --data-urlencode "query=status=shipped" --data-urlencode "name=Pirate" && test_status 403 &&
	csrf=$(session_csrf) &&
	http POST /views --data-urlencode "csrf=$csrf" --data-urlencode "query=status=shipped" --data-urlencode "name=  " &&
	test_status 422 && body_has "role=\"alert\"" &&
	http POST /views --data-urlencode "csrf=$csrf" --data-urlencode "query=after=x&id=1" --data-urlencode "name=Curseur" &&
	test_status 400 &&
	[ "$(sql "SELECT COUNT(*) FROM saved_views WHERE shop_id = $A")" = 1 ]
'

test_expect_success 'saved views: the owner shares one; others see it, not the private one' '
	JAR=$TEST_TMP/owner login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	JAR=$TEST_TMP/owner http GET /orders && body_lacks "À préparer" && csrf=$(form_value csrf) &&
	JAR=$TEST_TMP/owner http POST /views --data-urlencode "csrf=$csrf" --data-urlencode "query=paid=unpaid" \
		--data-urlencode "name=Impayées" --data-urlencode "shared=1" && test_status 303 &&
	http GET /orders && body_has "<a href=\"/orders?paid=unpaid\">Impayées</a> <span class=\"tag\">partagée</span>"
'

test_expect_success 'saved views: one deletes one'"'"'s own, never another'"'"'s' '
	owner_view=$(sql "SELECT id FROM saved_views WHERE shop_id = $A AND shared = 1") &&
	mine=$(sql "SELECT id FROM saved_views WHERE shop_id = $A AND shared = 0") &&
	csrf=$(session_csrf) && body_lacks "/views/$owner_view/delete" &&
	http POST "/views/$owner_view/delete" --data-urlencode "csrf=$csrf" && test_status 404 &&
	http POST "/views/$mine/delete" --data-urlencode "csrf=$csrf" && test_status 303 &&
	[ "$(sql "SELECT COUNT(*) FROM saved_views WHERE shop_id = $A")" = 1 ] &&
	http GET /orders && body_lacks "À préparer" && body_has "Impayées"
'

test_expect_success 'the orders this staff member opened last are listed under the table' '
	c1=$(sql "SELECT code FROM orders WHERE shop_id = $A AND number = 1010") &&
	c2=$(sql "SELECT code FROM orders WHERE shop_id = $A AND number = 1020") &&
	http GET "/orders/$c1" && test_status 200 && http GET "/orders/$c2" && test_status 200 &&
	http GET /orders && tr -d "\n" <"$BODY" | sed "s/.*h-recent//" >"$TEST_TMP/recent" &&
	grep -q "1020 · <span class=\"code\">$c2</span>.*1010 · <span class=\"code\">$c1</span>" "$TEST_TMP/recent" &&
	JAR=$TEST_TMP/owner http GET /orders && tr -d "\n" <"$BODY" | sed "s/.*h-recent//" | grep -qv "$c2"
'

test_expect_success 'past 1 000 the count is bounded: "plus de 1 000 commandes"' '
	make_orders $A P 5000 1001 &&
	http GET "/orders?completed=1&cancelled=1" && test_status 200 &&
	body_has "role=\"status\">plus de 1$(printf "\342\200\257")000 commandes</p>" &&
	http GET "/orders?completed=1&cancelled=1&payment=paypal" &&
	n=$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $A AND payment_method = \"paypal\"") && [ "$n" -le 1000 ] &&
	body_has "role=\"status\">$(echo "$n" | sed "s/^\(.\)\(...\)$/\1$(printf "\342\200\257")\2/") commandes</p>"
'

test_done
