#!/usr/bin/env bash
# Observability: GET /_metrics in Prometheus's text format, only to the
# addresses of metrics.allow (loopback by default); one logfmt line per
# request whose id nginx logs too and sends back as X-Request-Id.
. "$(dirname "$0")/../lib/test-lib.sh"

test_shop_new || test_bail "no shop of its own"
NGINX_LOG=$CPT_STACK_DIR/log/nginx-access.log
# metrics: one scrape through nginx (from 127.0.0.1, allowed) into $BODY.
metrics() { http GET /_metrics "$@"; }

# scrape_all FILE: scrapes until it has seen every comptoir serve process
# (by comptoir_process_id), and writes the sum over them of each sample:
# counters live in each process, nginx picks one per request.
scrape_all() {
	local i seen
	: >"$TEST_TMP/scrapes" && rm -f "$TEST_TMP"/scrape.*
	for i in $(seq 1 $((20 * CPT_PROCS))); do
		metrics && test_status 200 || return 1
		p=$(sed -n "s/^comptoir_process_id //p" "$BODY")
		[ -n "$p" ] || { echo "no comptoir_process_id"; return 1; }
		[ -f "$TEST_TMP/scrape.$p" ] || cp "$BODY" "$TEST_TMP/scrape.$p"
		seen=$(ls "$TEST_TMP"/scrape.* | wc -l)
		[ "$seen" -ge "$CPT_PROCS" ] && break
	done
	[ "$seen" -ge "$CPT_PROCS" ] || { echo "saw $seen of $CPT_PROCS processes"; return 1; }
	cat "$TEST_TMP"/scrape.* | awk '!/^#/ { v[$1] += $2 } END { for (k in v) print k, v[k] }' | sort >"$1"
}

# value FILE SAMPLE: the summed value of one sample line's name and labels.
value() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

test_expect_success 'GET /_metrics from loopback: Prometheus text format 0.0.4, every line well-formed' '
	metrics && test_status 200 &&
	header_has "^Content-Type: text/plain; version=0.0.4" &&
	/usr/bin/python3 - "$BODY" <<-PY
	import re, sys
	name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
	label = r"[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\""
	sample = re.compile(r"^(%s)(\{%s(?:,%s)*\})? (-?[0-9]+(?:\.[0-9]+)?|\+Inf|NaN)$" % (name, label, label))
	types, helps, n, series = {}, set(), 0, set()
	text = open(sys.argv[1]).read()
	assert text.endswith("\n"), "the last line is not ended"
	for line in text.splitlines():
	    if line.startswith("# HELP "):
	        helps.add(line.split(" ")[2]); continue
	    if line.startswith("# TYPE "):
	        _, _, m, t = line.split(" ")
	        assert t in ("counter", "gauge", "histogram"), line
	        assert m not in types, "TYPE twice: " + line
	        types[m] = t; continue
	    m = sample.match(line)
	    assert m, "not a sample line: %r" % line
	    base = re.sub(r"_(bucket|sum|count)$", "", m.group(1))
	    assert m.group(1) in types or base in types, "no TYPE before: " + line
	    assert (m.group(1), m.group(2)) not in series, "series twice: " + line
	    series.add((m.group(1), m.group(2)))
	    n += 1
	for metric in ("comptoir_http_requests_total", "comptoir_http_request_duration_seconds",
	               "comptoir_db_transactions_total", "comptoir_db_transaction_retries_total",
	               "comptoir_threads", "comptoir_threads_busy"):
	    assert metric in types and metric in helps, "missing: " + metric
	print("%d samples, %d metrics" % (n, len(types)))
	PY
'

test_expect_success 'the labels are route patterns, never raw paths or shops' '
	http GET /api/v1/products/SKU-secret-0510 -H "Authorization: Bearer nope" &&
	http GET /no-such-page-0510 &&
	scrape_all "$TEST_TMP/m" &&
	! grep -i "secret-0510\|no-such-page-0510" "$TEST_TMP"/scrape.* &&   # digits alone can be a value
	! grep "$SHOP_CODE\|shop=" "$TEST_TMP"/scrape.* &&
	grep -q "route=\"/api/v1/products/{}\"" "$TEST_TMP/m" &&
	# Bounded by the route table, whatever paths were asked for: each route
	# (and "no route"), by its method or HEAD, times five status classes.
	nroutes=$(grep -c "^	{ \"" "$SRC_DIR/core/pages/routes.c") &&
	nseries=$(grep -c "^comptoir_http_requests_total{" "$TEST_TMP/m") &&
	echo "$nseries series for $nroutes routes" && [ "$nseries" -le $((10 * (nroutes + 1))) ]
'

test_expect_success 'the counters and the histogram count the requests made' '
	key="comptoir_http_requests_total{method=\"GET\",route=\"/login\",status=\"2xx\"}" &&
	cnt="comptoir_http_request_duration_seconds_count{method=\"GET\",route=\"/login\"}" &&
	inf="comptoir_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",le=\"+Inf\"}" &&
	scrape_all "$TEST_TMP/before" &&
	for i in 1 2 3 4 5; do http GET /login && test_status 200 || exit 1; done &&
	scrape_all "$TEST_TMP/after" &&
	b=$(value "$TEST_TMP/before" "$key") a=$(value "$TEST_TMP/after" "$key") &&
	echo "GET /login 2xx: $b, then $a" && [ "$a" -ge $((${b:-0} + 5)) ] &&
	[ "$(value "$TEST_TMP/after" "$cnt")" -ge $((${b:-0} + 5)) ] &&
	[ "$(value "$TEST_TMP/after" "$cnt")" = "$(value "$TEST_TMP/after" "$inf")" ] &&
	/usr/bin/python3 - "$TEST_TMP"/scrape.* <<-PY
	import re, sys
	for f in sys.argv[1:]:
	    last = {}
	    for line in open(f):
	        m = re.match(r"^comptoir_http_request_duration_seconds_bucket\{(.*),le=\"([^\"]+)\"\} (\d+)$", line)
	        if m:
	            k, v = m.group(1), int(m.group(3))
	            assert v >= last.get(k, 0), "buckets not cumulative: " + line
	            last[k] = v
	    assert last, "no bucket in " + f
	PY
'

test_expect_success 'transactions are counted: an order commits one' '
	k="comptoir_db_transactions_total{outcome=\"committed\"}" &&
	printf "{\"name\": \"Compté\", \"price\": 100, \"vat_rate\": 2000, \"stock_on_hand\": 10}" >"$TEST_TMP/p.json" &&
	http PUT /api/v1/products/T0510 -H "Authorization: Bearer $SHOP_KEY" \
		-H "Content-Type: application/json" --data-binary "@$TEST_TMP/p.json" && test_status 201 &&
	cat >"$TEST_TMP/order.json" <<-JSON &&
	{"customer": {"last_name": "Compte", "email": "compte@example.fr"},
	 "billing_address": {"name": "Compte", "line1": "1 rue", "postcode": "69001", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "T0510", "quantity": 1}]}
	JSON
	scrape_all "$TEST_TMP/before" &&
	http POST /api/v1/orders -H "Authorization: Bearer $SHOP_KEY" \
		-H "Content-Type: application/json" --data-binary "@$TEST_TMP/order.json" && test_status 201 &&
	scrape_all "$TEST_TMP/after" &&
	echo "committed: $(value "$TEST_TMP/before" "$k"), then $(value "$TEST_TMP/after" "$k")" &&
	[ "$(value "$TEST_TMP/after" "$k")" -gt "$(value "$TEST_TMP/before" "$k")" ]
'

test_expect_success 'from an address not in metrics.allow: the 404 of an unknown path' '
	http GET /no-such-page-0510 -H "X-Forwarded-For: 203.0.113.51" && test_status 404 &&
	cp "$BODY" "$TEST_TMP/unknown" &&
	metrics -H "X-Forwarded-For: 203.0.113.51" && test_status 404 && body_lacks "comptoir_" &&
	sed "s/_metrics/no-such-page-0510/g" "$BODY" | cmp - "$TEST_TMP/unknown" &&
	HOST=nobody-0510.localhost http GET /_metrics -H "X-Forwarded-For: 2001:db8::51" &&
	test_status 404 && body_lacks "comptoir_" &&
	HOST=nobody-0510.localhost http GET /_metrics && test_status 200 && body_has "comptoir_threads "
'

test_expect_success 'POST /_metrics is no way around it' '
	http POST /_metrics -H "X-Forwarded-For: 203.0.113.51" && body_lacks "comptoir_" &&
	[ "$STATUS" = 404 ] || [ "$STATUS" = 405 ]
'

test_expect_success 'one logfmt line per request, with the id nginx logged and sent back' '
	forget_cookies && size=$(log_size) && http GET /login && test_status 200 &&
	id=$(sed -n "s/^X-Request-Id: \([0-9a-f]*\)\r$/\1/p" "$HEADERS") &&
	[ ${#id} = 32 ] && echo "id $id" &&
	len=$(sed -n "s/^Content-Length: \([0-9]*\)\r$/\1/p" "$HEADERS") &&
	wait_log "request .*id=$id " "$size" &&
	line=$(tail -c +$((size + 1)) "$CPT_LOG" | grep "id=$id ") && echo "$line" &&
	echo "$line" | grep -Eq " request ts=20[0-9-]{8}T[0-9:]{8}\.[0-9]{6}Z id=$id shop=$SHOP_CODE method=GET route=/login status=200 us=[0-9]+ bytes=$len$" &&
	for i in $(seq 1 50); do grep -q "id=$id$" "$NGINX_LOG" && break; sleep 0.1; done &&
	grep "id=$id$" "$NGINX_LOG" | grep -q "\"GET /login HTTP/1.1\" 200 "
'

test_expect_success 'the line names the route, not the path, and an unknown host no shop' '
	size=$(log_size) &&
	http GET "/api/v1/orders/SECRET-0510?x=y" -H "Authorization: Bearer nope" && test_status 401 &&
	id=$(sed -n "s/^X-Request-Id: \([0-9a-f]*\)\r$/\1/p" "$HEADERS") &&
	HOST=nobody-0510.localhost http GET /login && test_status 404 &&
	id2=$(sed -n "s/^X-Request-Id: \([0-9a-f]*\)\r$/\1/p" "$HEADERS") &&
	wait_log "id=$id2 " "$size" &&
	tail -c +$((size + 1)) "$CPT_LOG" >"$TEST_TMP/lines" &&
	grep -q "id=$id shop=$SHOP_CODE method=GET route=/api/v1/orders/{} status=401 " "$TEST_TMP/lines" &&
	grep -q "id=$id2 shop=- method=GET route=- status=404 " "$TEST_TMP/lines" &&
	! grep -q "SECRET-0510\|x=y\|nope" "$TEST_TMP/lines"
'

test_expect_success 'every request id is different' '
	for i in 1 2 3 4 5 6; do
		http GET /_ping && sed -n "s/^X-Request-Id: \([0-9a-f]*\)\r$/\1/p" "$HEADERS"
	done >"$TEST_TMP/ids" &&
	[ "$(sort -u "$TEST_TMP/ids" | grep -c "^[0-9a-f]\{32\}$")" = 6 ]
'

test_done
