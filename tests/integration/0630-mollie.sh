#!/usr/bin/env bash
# The Mollie plugin (issue 14) through nginx, against
# tests/servers/mollie_server.py (Mollie's API v2 as documented) on this
# script's port + 8, the plugin's base URL pointed at it. A payment is
# created with the amount as Mollie writes it, the order code in its
# metadata and the webhook on the shop's host name; Mollie's webhook
# carries only the payment id, so the plugin fetches the payment: while
# it is open nothing is recorded; once paid the order is paid, once
# however often Mollie calls; a forged id, or a paid payment naming
# another shop's order, changes nothing; refunds through the API (from the
# order page) and in Mollie's dashboard (seen in amountRefunded) are
# recorded once each; the Modules page refuses a key or an API address
# that is not Mollie's; while the API cannot be reached a webhook is
# answered 503, so that Mollie calls again.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

MPORT=$((CPT_PORT + 8))
MKEY=test_0630_dHar4XY1Qz9iKmpC7WdBzq
MURL=http://127.0.0.1:$MPORT
RETURN_URL=https://www.boutique-0630.example/merci?commande=1

test_shop_new other || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new "" "" "plugins:
  mollie:
    enabled: true
    settings: {api_key: $MKEY, method: ideal, base_url: \"$MURL\"}" || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=lotte.$RUN@example.nl

"$PY" "$SRC_DIR/tests/servers/mollie_server.py" --port "$MPORT" --api-key "$MKEY" \
	--deliver-to "http://127.0.0.1:$CPT_PORT" >"$TEST_TMP/mollie.log" 2>&1 &
MPID=$!
test_at_exit "kill $MPID 2>/dev/null"

# mollie METHOD PATH [curl args]: the local Mollie (API with the key, or its
# /_test controls); the answer in $TEST_TMP/m.json, the status in MSTATUS.
mollie() {
	local method=$1 path=$2
	shift 2
	MSTATUS=$(curl -s -o "$TEST_TMP/m.json" -w '%{http_code}' -X "$method" \
		-H "Authorization: Bearer $MKEY" "$@" "$MURL$path")
}
mget() { jsontool get "$TEST_TMP/m.json" "$1"; }
# The last API request of the plugin to the local Mollie, as JSON.
last_request() {
	mollie GET /_test/requests && "$PY" -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[-1]))' \
		<"$TEST_TMP/m.json" >"$TEST_TMP/req.json"
}
# new_order KEY HOST: an order of 3 × 12,34 € paid with Mollie, in the
# shop of that API key and host name; prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Lotte", "last_name": "de Vries", "email": "$EMAIL"},
 "billing_address": {"name": "Lotte de Vries", "line1": "Keizersgracht 12", "postcode": "1015 CS", "city": "Amsterdam", "country": "NL"},
 "lines": [{"sku": "P-MOL", "quantity": 3}], "payment_method": "mollie"}
JSON
	KEY=$1 HOST=$2 post_order "$TEST_TMP/o.json" >/dev/null && eq "$STATUS" 201 && jget code
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
npay() { sql "SELECT COUNT(*) FROM payments WHERE shop_id = $SHOP_ID ${1:+AND $1}"; }
receipts() { sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = 'order_payment_receipt'"; }
# Everything a webhook may write, in both shops, to prove that one wrote nothing.
state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, status, paid_cents, payment_state, updated_at) ORDER BY id))
		FROM orders WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM payments WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM order_events WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM outbox WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', shop_id, order_id, k, v) ORDER BY shop_id, order_id, k))
		FROM plugin_order_state WHERE shop_id IN ($SHOP_ID, $OTHER_ID)"
}
same_state() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}
# start_payment CODE: the storefront asks for a Mollie payment of what is
# due on order CODE, the customer to come back to the storefront's page.
start_payment() {
	api POST "/api/v1/orders/$1/payment-sessions" -H "Content-Type: application/json" \
		--data "{\"plugin\": \"mollie\", \"return_url\": \"$RETURN_URL\"}"
}
# eq GOT WANTED: true when equal, else says both.
eq() { [ "$1" = "$2" ] || { echo "got '$1', wanted '$2'"; return 1; }; }
# webhook_status: what the last control's webhook call was answered.
webhook_status() { mget webhook_status; }

test_expect_success 'the local Mollie answers; products and orders in both shops; a staff session' '
	for i in $(seq 1 50); do mollie GET /_test/requests && [ "$MSTATUS" = 200 ] && break; sleep 0.1; done &&
	eq "$MSTATUS" 200 &&
	for s in "$OTHER_KEY $OTHER_HOST" "$KEY $SHOP_HOST"; do
		KEY=${s% *} HOST=${s#* } put_product P-MOL \
			"{\"name\": \"Carnet\", \"price\": 1234, \"vat_rate\": 2100, \"stock_on_hand\": 100}" &&
		test_status 201 || return 1
	done &&
	A=$(new_order "$KEY" "$SHOP_HOST") && [ -n "$A" ] && echo "$A" >"$TEST_TMP/a" &&
	O=$(new_order "$OTHER_KEY" "$OTHER_HOST") && [ -n "$O" ] && echo "$O" >"$TEST_TMP/o" &&
	eq "$(ocol "$A" "paid_cents, payment_state")" "$(printf "0\tunpaid")" &&
	eq "$(sql "SELECT enabled FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"mollie\"")" 1 &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf"
'
A=$(cat "$TEST_TMP/a" 2>/dev/null)
O=$(cat "$TEST_TMP/o" 2>/dev/null)
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)
[ -n "$A" ] && [ -n "$O" ] && [ -n "$CSRF" ] || test_bail "no orders or no session"
TOTAL=$(ocol "$A" total_cents)
VALUE=$(printf "%d.%02d" $((TOTAL / 100)) $((TOTAL % 100)))

test_expect_success 'a payment is created: the amount as Mollie writes it, the metadata, the webhook on the shop'"'"'s host' '
	start_payment "$A" && test_status 201 &&
	eq "$(jget plugin) $(jget amount) $(jget currency)" "mollie $TOTAL EUR" &&
	jget redirect_url >"$TEST_TMP/checkout" &&
	last_request && eq "$(jsontool get "$TEST_TMP/req.json" method)" POST &&
	eq "$(jsontool get "$TEST_TMP/req.json" path)" /v2/payments &&
	jsontool get "$TEST_TMP/req.json" body >"$TEST_TMP/create.json" && cat "$TEST_TMP/create.json" && echo &&
	eq "$(jsontool get "$TEST_TMP/create.json" amount)" "{\"currency\":\"EUR\",\"value\":\"$VALUE\"}" &&
	eq "$(jsontool get "$TEST_TMP/create.json" metadata)" "{\"order_code\":\"$A\"}" &&
	eq "$(jsontool get "$TEST_TMP/create.json" webhookUrl)" "https://$SHOP_HOST/webhooks/payments/mollie" &&
	eq "$(jsontool get "$TEST_TMP/create.json" method)" ideal &&
	eq "$(jsontool get "$TEST_TMP/create.json" redirectUrl)" "$RETURN_URL" &&
	TR=$(sql "SELECT v FROM plugin_order_state s JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id
		WHERE s.shop_id = $SHOP_ID AND o.code = \"$A\" AND s.plugin = \"mollie\" AND s.k = \"payment_id\"") &&
	case $TR in tr_?*) ;; *) false ;; esac && echo "$TR" >"$TEST_TMP/tr" &&
	eq "$(cat "$TEST_TMP/checkout")" "$MURL/checkout/select-issuer/$TR"
'
TR=$(cat "$TEST_TMP/tr" 2>/dev/null)
[ -n "$TR" ] || test_bail "no payment created"

test_expect_success 'a webhook for the payment still open: fetched, answered 200, nothing recorded' '
	before=$(state) &&
	mollie POST "/_test/payments/$TR/notify" && eq "$MSTATUS" 200 && eq "$(webhook_status)" 200 &&
	last_request && eq "$(jsontool get "$TEST_TMP/req.json" method) $(jsontool get "$TEST_TMP/req.json" path)" "GET /v2/payments/$TR" &&
	same_state "$before" && eq "$(npay)" 0 && eq "$(ocol "$A" payment_state)" unpaid
'

test_expect_success 'Mollie marks it paid and calls: the order is paid, one payment, the receipt, counters exact' '
	mollie POST "/_test/payments/$TR/status?to=paid" && eq "$MSTATUS" 200 && eq "$(webhook_status)" 200 &&
	eq "$(ocol "$A" "paid_cents, payment_state")" "$(printf "%s\tpaid" "$TOTAL")" &&
	eq "$(sql "SELECT kind, amount_cents, currency, provider, provider_reference, provider_event_id FROM payments
		WHERE shop_id = $SHOP_ID")" "$(printf "payment\t%s\tEUR\tmollie\t%s\t%s:paid" "$TOTAL" "$TR" "$TR")" &&
	eq "$(receipts)" 1 &&
	counts_exact "$SHOP_ID" && counts_exact "$OTHER_ID"
'

test_expect_success 'the same webhook again (Mollie retries): 200, no second payment, no second receipt' '
	before=$(state) && size=$(log_size) &&
	mollie POST "/_test/payments/$TR/notify" && eq "$(webhook_status)" 200 &&
	mollie POST "/_test/payments/$TR/notify" && eq "$(webhook_status)" 200 &&
	same_state "$before" && eq "$(npay)" 1 && eq "$(receipts)" 1 &&
	# known by its event id, not merely refused as more than is due
	wait_log_count "event=$TR:paid order=$A .*: already recorded$" "$size" 2
'

test_expect_success 'a forged call: an id the API does not know is answered 200 and changes nothing' '
	before=$(state) &&
	http POST /webhooks/payments/mollie -H "Content-Type: application/x-www-form-urlencoded" \
		--data "id=tr_Forged0630x" && test_status 200 &&
	last_request && eq "$(jsontool get "$TEST_TMP/req.json" path)" /v2/payments/tr_Forged0630x &&
	http POST /webhooks/payments/mollie -H "Content-Type: application/x-www-form-urlencoded" \
		--data "status=paid&order=$A" && test_status 400 &&
	same_state "$before"
'

test_expect_success 'a paid payment whose metadata names another shop'"'"'s order records nothing' '
	before=$(state) &&
	cat >"$TEST_TMP/p.json" <<-JSON &&
	{"amount": {"currency": "EUR", "value": "$VALUE"}, "description": "ailleurs", "method": "ideal",
	 "redirectUrl": "https://$OTHER_HOST/", "webhookUrl": "https://$SHOP_HOST/webhooks/payments/mollie",
	 "metadata": {"order_code": "$O"}}
	JSON
	mollie POST /v2/payments -H "Content-Type: application/json" --data-binary @"$TEST_TMP/p.json" &&
	eq "$MSTATUS" 201 && TR2=$(mget id) &&
	mollie POST "/_test/payments/$TR2/status?to=paid" && eq "$(webhook_status)" 200 &&
	same_state "$before" &&
	eq "$(sql "SELECT paid_cents, payment_state FROM orders WHERE shop_id = $OTHER_ID AND code = \"$O\"")" "$(printf "0\tunpaid")"
'

test_expect_success 'a payment canceled on Mollie'"'"'s page: answered 200, no money recorded' '
	B=$(new_order "$KEY" "$SHOP_HOST") && [ -n "$B" ] &&
	start_payment "$B" && test_status 201 && TR3=$(jget redirect_url) && TR3=${TR3##*/} &&
	before=$(state) &&
	mollie POST "/_test/payments/$TR3/status?to=canceled" && eq "$(webhook_status)" 200 &&
	mollie POST "/_test/payments/$TR3/status?to=expired" && eq "$(webhook_status)" 200 &&
	same_state "$before" && eq "$(ocol "$B" "paid_cents, payment_state")" "$(printf "0\tunpaid")"
'

test_expect_success 'a refund from the order page goes through the API; its webhook records it no second time' '
	http GET "/orders/$A" && test_status 200 && body_has "action=\"/orders/$A/refunds/online\"" &&
	http POST "/orders/$A/refunds/online" --data-urlencode "csrf=$CSRF" \
		--data-urlencode "version=$(ocol "$A" version)" --data-urlencode "amount=10,00" &&
	test_status 303 &&
	last_request && eq "$(jsontool get "$TEST_TMP/req.json" path)" "/v2/payments/$TR/refunds" &&
	eq "$(jsontool get "$TEST_TMP/req.json" body | jsontool get - amount)" "{\"currency\":\"EUR\",\"value\":\"10.00\"}" &&
	eq "$(npay "kind = \"refund\" AND amount_cents = -1000 AND provider = \"mollie\"
		AND provider_reference = \"$TR\" AND provider_event_id LIKE \"re\\_%\"")" 1 &&
	eq "$(ocol "$A" "paid_cents, payment_state")" "$(printf "%s\tpartially_refunded" $((TOTAL - 1000)))" &&
	before=$(state) &&
	mollie POST "/_test/payments/$TR/notify" && eq "$(webhook_status)" 200 &&
	same_state "$before" && counts_exact "$SHOP_ID"
'

test_expect_success 'a refund made in Mollie'"'"'s dashboard is seen in amountRefunded and recorded once' '
	mollie POST "/v2/payments/$TR/refunds" -H "Content-Type: application/json" \
		--data "{\"amount\": {\"currency\": \"EUR\", \"value\": \"5.00\"}}" && eq "$MSTATUS" 201 &&
	mollie POST "/_test/payments/$TR/notify" && eq "$(webhook_status)" 200 &&
	eq "$(npay "kind = \"refund\"")" 2 &&
	eq "$(sql "SELECT amount_cents, provider_event_id FROM payments WHERE shop_id = $SHOP_ID AND kind = \"refund\"
		ORDER BY id DESC LIMIT 1")" "$(printf -- "-500\t%s:refunded:1500" "$TR")" &&
	eq "$(ocol "$A" paid_cents)" $((TOTAL - 1500)) &&
	before=$(state) &&
	mollie POST "/_test/payments/$TR/notify" && eq "$(webhook_status)" 200 &&
	same_state "$before" && counts_exact "$SHOP_ID"
'

test_expect_success 'the Modules page refuses a key that is not Mollie'"'"'s, and an http API address elsewhere' '
	before=$(sql "SELECT HEX(secrets), settings FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"mollie\"") &&
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET /settings/modules && test_status 200 && body_has "action=\"/settings/modules/mollie\"" &&
	body_lacks "$MKEY" && csrf=$(form_value csrf) &&
	http POST /settings/modules/mollie --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode s_api_key=sk_test_not_mollie --data-urlencode s_method=ideal \
		--data-urlencode "s_base_url=$MURL" && test_status 422 &&
	body_has "API Mollie commence par test_ ou live_." &&
	http POST /settings/modules/mollie --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode s_api_key= --data-urlencode s_method=ideal \
		--data-urlencode "s_base_url=http://api.example.net" && test_status 422 &&
	body_has "API doit commencer par https://." &&
	eq "$(sql "SELECT HEX(secrets), settings FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"mollie\"")" "$before"
'

test_expect_success 'while the API cannot be reached, a webhook is answered 503 (Mollie calls again) and changes nothing' '
	before=$(state) &&
	kill "$MPID" && for i in $(seq 1 50); do kill -0 "$MPID" 2>/dev/null || break; sleep 0.1; done &&
	http POST /webhooks/payments/mollie -H "Content-Type: application/x-www-form-urlencoded" \
		--data "id=$TR" && test_status 503 &&
	same_state "$before"
'

test_done
