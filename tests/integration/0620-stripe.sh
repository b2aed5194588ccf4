#!/usr/bin/env bash
# Card payments through the Stripe-protocol plugin (issue 14), against
# tests/servers/stripe_server.py on this script's port + 7 (the plugin's
# base URL points there): the storefront starts a payment, a Checkout
# Session is created for what is due, the server sends the signed
# webhook and the order is paid, with its payment row, its receipt and
# the dashboard's counters right; forged calls (another secret, a stale
# timestamp, no header, a body changed after signing) are refused and
# change nothing; a replayed event is answered 200 and records nothing;
# events out of order are harmless; a refund from the order page goes
# through the API and the payment state follows; another shop's order
# code in a correctly signed event records nothing.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

SPORT=$((CPT_PORT + 7))
SECRET=whsec_0620_$RUN
APIKEY=sk_test_0620_$RUN
preset() {
	cat <<-YAML
	plugins:
	  stripe:
	    enabled: true
	    settings:
	      secret_key: $APIKEY
	      webhook_secret: $SECRET
	      base_url: http://127.0.0.1:$SPORT
	  banktransfer:
	    enabled: true
	    settings: {beneficiary: Boutique, iban: FR76 3000 6000 0112 3456 7890 189}
	YAML
}
# Both shops share the secret: a signed event naming the other's order
# is genuine, and must still record nothing.
test_shop_new other "" "$(preset)" || test_bail "no second shop of its own"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY
test_shop_new "" "" "$(preset)" || test_bail "no shop of its own"
KEY=$SHOP_KEY
EMAIL=lea.$RUN@example.fr
WEBHOOK=http://127.0.0.1:$CPT_PORT/webhooks/payments/stripe

"$PY" "$SRC_DIR/tests/servers/stripe_server.py" --port "$SPORT" --api-key "$APIKEY" \
	--webhook-secret "$SECRET" --webhook-url "$WEBHOOK" --host "$SHOP_HOST" \
	>"$TEST_TMP/stripe.log" 2>&1 &
SPID=$!
test_at_exit "kill $SPID"
for i in $(seq 1 50); do
	curl -sf "http://127.0.0.1:$SPORT/_test/requests" >/dev/null && break
	sleep 0.1
done

# stripe GET|POST PATH: the local Stripe server's test controls; JSON in $TEST_TMP/s.json.
stripe() {
	curl -s -o "$TEST_TMP/s.json" -w '%{http_code}' -X "$1" "http://127.0.0.1:$SPORT$2"
}
sget() { jget "$1" "$TEST_TMP/s.json"; }
# The last API request the server received: its PATH, or its body.
last_request() {
	stripe GET /_test/requests >/dev/null && "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[-1][sys.argv[2]])' \
		"$TEST_TMP/s.json" "$1"
}
nrequests() { stripe GET /_test/requests >/dev/null && "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TEST_TMP/s.json"; }

# new_order QTY [KEY HOST]: an order of 12,00 € × QTY paid by card, prints its code.
new_order() {
	cat >"$TEST_TMP/o.json" <<-JSON
	{"customer": {"first_name": "Léa", "last_name": "Moreau", "email": "$EMAIL", "locale": "fr"},
	 "billing_address": {"name": "Léa Moreau", "line1": "5 quai Est", "postcode": "69002", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "P-0620", "quantity": $1}], "payment_method": "stripe"}
	JSON
	KEY=${2:-$KEY} HOST=${3:-$HOST} post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
# start CODE [PLUGIN]: the storefront asks for a payment session.
start() {
	printf '{"plugin": "%s", "return_url": "https://boutique.example/merci"}' "${2:-stripe}" >"$TEST_TMP/start.json"
	api POST "/api/v1/orders/$1/payment-sessions" -H "Content-Type: application/json" \
		--data-binary @"$TEST_TMP/start.json"
}
ocol() { sql "SELECT $2 FROM orders WHERE shop_id = $SHOP_ID AND code = '$1'"; }
npay() { sql "SELECT COUNT(*) FROM payments WHERE shop_id = $SHOP_ID ${1:+AND $1}"; }
receipts() { sql "SELECT COUNT(*) FROM outbox WHERE shop_id = $SHOP_ID AND template = 'order_payment_receipt'"; }
# Everything a webhook may write, in both shops.
state() {
	sql "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, version, paid_cents, payment_state, status, updated_at) ORDER BY id))
		FROM orders WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM payments WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM order_events WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*) FROM outbox WHERE shop_id IN ($SHOP_ID, $OTHER_ID)" &&
	sql "SELECT COUNT(*), COALESCE(MD5(GROUP_CONCAT(CONCAT_WS('|', order_id, k, v) ORDER BY order_id, k)), '')
		FROM plugin_order_state WHERE shop_id IN ($SHOP_ID, $OTHER_ID)"
}
same_state() {
	local after
	after=$(state)
	[ "$after" = "$1" ] || { echo "the database changed:"; diff <(echo "$1") <(echo "$after"); return 1; }
}
# A webhook call as Stripe makes it, signed here with openssl:
# sig BODY [T [SECRET]] prints the Stripe-Signature header's value.
sig() {
	local t=${2:-$(date +%s)}
	printf 't=%s,v1=%s' "$t" "$(printf '%s.%s' "$t" "$1" | openssl dgst -sha256 -hmac "${3:-$SECRET}" -r | cut -d' ' -f1)"
}
# hook BODY [HEADER [HOST]]: POST to the webhook, HEADER the Stripe-Signature (none when "").
hook() {
	local h=()
	[ -n "${2:-}" ] && h=(-H "Stripe-Signature: $2")
	HOST=${3:-$SHOP_HOST} http POST /webhooks/payments/stripe -H "Content-Type: application/json; charset=utf-8" \
		"${h[@]}" --data-binary "$1"
}
# completed EVT CODE CENTS PI: a checkout.session.completed event, paid.
completed() {
	printf '{"id":"%s","object":"event","type":"checkout.session.completed","created":%s,"data":{"object":{"id":"cs_test_%s","object":"checkout.session","client_reference_id":"%s","metadata":{"order_code":"%s"},"mode":"payment","payment_status":"paid","status":"complete","payment_intent":"%s","amount_total":%s,"currency":"eur"}}}' \
		"$1" "$(date +%s)" "$1" "$2" "$2" "$4" "$3"
}

test_expect_success 'a product, an order paid by card, a staff session' '
	put_product P-0620 "{\"name\": \"Affiche\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 500}" &&
	test_status 201 &&
	A=$(new_order 2) && [ -n "$A" ] && echo "$A" >"$TEST_TMP/a" &&
	[ "$(ocol "$A" "total_cents, paid_cents, payment_state")" = "$(printf "2400\t0\tunpaid")" ] &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && [ -n "$CSRF" ] && echo "$CSRF" >"$TEST_TMP/csrf"
'
A=$(cat "$TEST_TMP/a" 2>/dev/null)
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)
[ -n "$A" ] && [ -n "$CSRF" ] || test_bail "no order or no session"

test_expect_success 'start: a Checkout Session for what is due, with the order code, kept on the order' '
	start "$A" && test_status 201 &&
	json_is amount 2400 && json_is currency EUR && json_is plugin stripe &&
	url=$(jget redirect_url) && case $url in "http://127.0.0.1:$SPORT/c/pay/cs_test_"*) ;; *) false ;; esac &&
	[ "$(last_request path)" = /v1/checkout/sessions ] &&
	body=$(last_request body) && echo "$body" &&
	for kv in mode=payment "client_reference_id=$A" "metadata%5Border_code%5D=$A" \
		"line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=2400" \
		"line_items%5B0%5D%5Bprice_data%5D%5Bcurrency%5D=eur" "line_items%5B0%5D%5Bquantity%5D=1" \
		"success_url=https%3A%2F%2Fboutique.example%2Fmerci"; do
		case "&$body&" in *"&$kv&"*) ;; *) echo "the session lacks $kv"; return 1 ;; esac
	done &&
	case $(last_request idempotency_key) in comptoir-t-0620-*) ;; *) false ;; esac && [ "$(last_request authorization)" = "Bearer sk_te" ] &&
	cs=${url##*/} && echo "$cs" >"$TEST_TMP/cs" &&
	[ "$(sql "SELECT k, v FROM plugin_order_state WHERE shop_id = $SHOP_ID AND order_id = $(ocol "$A" id)")" = \
	  "$(printf "checkout_session\t%s" "$cs")" ] &&
	[ "$(npay)" = 0 ]
'
CS=$(cat "$TEST_TMP/cs" 2>/dev/null)

test_expect_success 'start again: the same session (Idempotency-Key); start refused for a module that cannot' '
	start "$A" && test_status 201 && [ "$(jget redirect_url)" = "http://127.0.0.1:$SPORT/c/pay/$CS" ] &&
	start "$A" banktransfer && test_status 422 && jsontool errors "$BODY" | grep -q "^/plugin" &&
	start "$A" nosuch && test_status 422 &&
	start ZZZZZZZZ && test_status 404
'

test_expect_success 'the customer pays: the signed webhook makes the order paid, with the PaymentIntent and one receipt' '
	[ "$(stripe POST "/_test/sessions/$CS/pay")" = 200 ] && cat "$TEST_TMP/s.json" &&
	[ "$(sget webhook_status)" = 200 ] &&
	PI=$(sget payment_intent) && EVT=$(sget event) && echo "$PI $EVT" >"$TEST_TMP/pi" &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "2400\tpaid")" ] &&
	[ "$(sql "SELECT kind, amount_cents, method, provider, provider_reference, provider_event_id FROM payments
		WHERE shop_id = $SHOP_ID")" = "$(printf "payment\t2400\tstripe\tstripe\t%s\t%s" "$PI" "$EVT")" ] &&
	[ "$(receipts)" = 1 ] &&
	[ "$(sql "SELECT GROUP_CONCAT(action ORDER BY id) FROM (SELECT id, action FROM order_events
		WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 2) e")" = order.payment_recorded,order.status_changed ] &&
	[ "$(ocol "$A" status)" = processing ] &&
	counts_exact "$SHOP_ID"
'
read -r PI EVT <"$TEST_TMP/pi" 2>/dev/null

# Paid, the order went to the shop's paid status (processing), where the
# customer no longer pays.
test_expect_success 'nothing is due any more: a new start is refused' '
	start "$A" && test_status 409 && body_has "not-payable" && [ "$(npay)" = 1 ]
'

test_expect_success 'a replayed event is answered 200 and records no second payment, paid in full or in part' '
	before=$(state) &&
	[ "$(stripe POST "/_test/events/$EVT/resend")" = 200 ] && [ "$(sget webhook_status)" = 200 ] &&
	[ "$(stripe POST "/_test/events/$EVT/resend")" = 200 ] && [ "$(sget webhook_status)" = 200 ] &&
	[ "$(npay)" = 1 ] && [ "$(receipts)" = 1 ] && same_state "$before" &&
	E=$(new_order 2) && [ -n "$E" ] &&
	body=$(completed "evt_part_$RUN" "$E" 1000 "pi_part_$RUN") &&
	hook "$body" "$(sig "$body")" && test_status 200 &&
	[ "$(ocol "$E" "paid_cents, payment_state")" = "$(printf "1000\tpartially_paid")" ] &&
	before=$(state) &&
	hook "$body" "$(sig "$body")" && test_status 200 && hook "$body" "$(sig "$body")" && test_status 200 &&
	[ "$(npay "order_id = $(ocol "$E" id)")" = 1 ] && same_state "$before"
'

test_expect_success 'forged calls are refused and change nothing: another secret, stale, future, no header, garbage, body changed' '
	B=$(new_order 1) && [ -n "$B" ] && echo "$B" >"$TEST_TMP/b" &&
	body=$(completed evt_forged_1 "$B" 1200 pi_forged_1) &&
	before=$(state) &&
	hook "$body" "$(sig "$body" "" whsec_not_the_secret)" && test_status 400 && same_state "$before" &&
	hook "$body" "$(sig "$body" $(($(date +%s) - 301)))" && test_status 400 && same_state "$before" &&
	hook "$body" "$(sig "$body" $(($(date +%s) + 400)))" && test_status 400 && same_state "$before" &&
	hook "$body" "" && test_status 400 && same_state "$before" &&
	hook "$body" "garbage" && test_status 400 && same_state "$before" &&
	hook "$body" "v1=${body:0:64}" && test_status 400 && same_state "$before" &&
	hook "${body/1200/120}" "$(sig "$body")" && test_status 400 && same_state "$before" &&
	[ "$(ocol "$B" "paid_cents, payment_state")" = "$(printf "0\tunpaid")" ]
'
B=$(cat "$TEST_TMP/b" 2>/dev/null)

test_expect_success 'the server s own bad and stale signatures refused; rotated secrets (two v1) accepted' '
	start "$B" && test_status 201 && cs=$(jget redirect_url) && cs=${cs##*/} &&
	before=$(state) &&
	[ "$(stripe POST "/_test/sessions/$cs/pay?signature=bad")" = 200 ] && [ "$(sget webhook_status)" = 400 ] &&
	evt=$(sget event) && same_state "$before" &&
	[ "$(stripe POST "/_test/events/$evt/resend?signature=stale")" = 200 ] && [ "$(sget webhook_status)" = 400 ] &&
	same_state "$before" &&
	[ "$(stripe POST "/_test/events/$evt/resend?signature=rotated")" = 200 ] && [ "$(sget webhook_status)" = 200 ] &&
	[ "$(ocol "$B" "paid_cents, payment_state")" = "$(printf "1200\tpaid")" ] &&
	[ "$(npay "provider_event_id = \"$evt\"")" = 1 ]
'

test_expect_success 'events out of order are harmless: a second success, a failure after the payment, a refund before it' '
	before=$(state) &&
	body=$(printf "{\"id\":\"evt_pi_%s\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"%s\",\"object\":\"payment_intent\",\"amount_received\":2400,\"currency\":\"eur\",\"metadata\":{\"order_code\":\"%s\"}}}}" "$RUN" "$PI" "$A") &&
	hook "$body" "$(sig "$body")" && test_status 200 && same_state "$before" &&
	body=$(printf "{\"id\":\"evt_exp_%s\",\"type\":\"checkout.session.expired\",\"data\":{\"object\":{\"id\":\"%s\",\"object\":\"checkout.session\",\"client_reference_id\":\"%s\",\"payment_status\":\"unpaid\",\"amount_total\":2400,\"currency\":\"eur\"}}}" "$RUN" "$CS" "$A") &&
	hook "$body" "$(sig "$body")" && test_status 200 && same_state "$before" &&
	C=$(new_order 3) && [ -n "$C" ] && before=$(state) &&
	body=$(printf "{\"id\":\"evt_re_%s\",\"type\":\"refund.created\",\"data\":{\"object\":{\"id\":\"re_early_%s\",\"object\":\"refund\",\"amount\":3600,\"currency\":\"eur\",\"payment_intent\":\"pi_early\",\"status\":\"succeeded\",\"metadata\":{\"order_code\":\"%s\"}}}}" "$RUN" "$RUN" "$C") &&
	hook "$body" "$(sig "$body")" && test_status 200 && same_state "$before" &&
	body=$(printf "{\"id\":\"evt_other_%s\",\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"cus_1\"}}}" "$RUN") &&
	hook "$body" "$(sig "$body")" && test_status 200 && same_state "$before" &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "2400\tpaid")" ] && [ "$(npay "order_id = $(ocol "$A" id)")" = 1 ]
'

test_expect_success 'the order page offers the refund through Stripe for a card payment, not for a transfer' '
	http GET "/orders/$A" && test_status 200 &&
	body_has "action=\"/orders/$A/refunds/online\"" && body_has "Rembourser via Carte bancaire (Stripe)" &&
	body_has "$PI" &&
	D=$(new_order 1) && [ -n "$D" ] &&
	http POST "/orders/$D/payments" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$D" version)" \
		--data-urlencode "amount=12" --data-urlencode "method=banktransfer" && test_status 303 &&
	http GET "/orders/$D" && test_status 200 && body_lacks "refunds/online" && body_has "action=\"/orders/$D/refunds\"" &&
	before=$(state) &&
	http POST "/orders/$D/refunds/online" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$D" version)" \
		--data-urlencode "amount=5" && test_status 422 && body_has "remboursez-le à la main" && same_state "$before"
'

test_expect_success 'a refund through the API: the server refunds the PaymentIntent, the payment state follows' '
	n=$(nrequests) &&
	http POST "/orders/$A/refunds/online" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$A" version)" \
		--data-urlencode "amount=5,00" && test_status 303 && header_has "^Location: /orders/$A#payments" &&
	[ "$(nrequests)" = $((n + 1)) ] && [ "$(last_request path)" = /v1/refunds ] &&
	body=$(last_request body) && echo "$body" &&
	case "&$body&" in *"&payment_intent=$PI&"*) ;; *) false ;; esac &&
	case "&$body&" in *"&amount=500&"*) ;; *) false ;; esac &&
	case $(last_request idempotency_key) in comptoir-t-0620-*) ;; *) false ;; esac &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "1900\tpartially_refunded")" ] &&
	[ "$(sql "SELECT kind, amount_cents, provider, provider_reference, LEFT(provider_event_id, 8) FROM payments
		WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1")" = "$(printf "refund\t-500\tstripe\t%s\tre_test_" "$PI")" ] &&
	counts_exact "$SHOP_ID"
'

test_expect_success 'Stripe s own event about that refund records nothing more; a refund made on Stripe is recorded' '
	re=$(sql "SELECT provider_event_id FROM payments WHERE shop_id = $SHOP_ID AND kind = \"refund\"") && [ -n "$re" ] &&
	before=$(state) &&
	body=$(printf "{\"id\":\"evt_r1_%s\",\"type\":\"refund.created\",\"data\":{\"object\":{\"id\":\"%s\",\"object\":\"refund\",\"amount\":500,\"currency\":\"eur\",\"payment_intent\":\"%s\",\"status\":\"succeeded\",\"metadata\":{\"order_code\":\"%s\"}}}}" "$RUN" "$re" "$PI" "$A") &&
	hook "$body" "$(sig "$body")" && test_status 200 && same_state "$before" &&
	body=$(printf "{\"id\":\"evt_r2_%s\",\"type\":\"charge.refunded\",\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\",\"amount_refunded\":1200,\"currency\":\"eur\",\"payment_intent\":\"%s\",\"refunds\":{\"data\":[{\"id\":\"re_dash_%s\",\"object\":\"refund\",\"amount\":700,\"currency\":\"eur\",\"payment_intent\":\"%s\",\"status\":\"succeeded\"}]}}}}" "$RUN" "$PI" "$RUN" "$PI") &&
	hook "$body" "$(sig "$body")" && test_status 200 &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "1200\tpartially_refunded")" ] &&
	[ "$(npay "kind = \"refund\"")" = 2 ] &&
	hook "$body" "$(sig "$body")" && test_status 200 && [ "$(npay "kind = \"refund\"")" = 2 ]
'

test_expect_success 'the rest refunded: refunded; then more than was paid, or a stale form, refused before Stripe is asked' '
	http POST "/orders/$A/refunds/online" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$A" version)" \
		--data-urlencode "amount=12,00" && test_status 303 &&
	[ "$(ocol "$A" "paid_cents, payment_state")" = "$(printf "0\trefunded")" ] &&
	before=$(state) && n=$(nrequests) &&
	http POST "/orders/$A/refunds/online" --data-urlencode "csrf=$CSRF" --data-urlencode "version=$(ocol "$A" version)" \
		--data-urlencode "amount=1,00" && test_status 422 && same_state "$before" &&
	http POST "/orders/$A/refunds/online" --data-urlencode "csrf=$CSRF" --data-urlencode "version=1" \
		--data-urlencode "amount=1,00" && test_status 409 && same_state "$before" &&
	[ "$(nrequests)" = "$n" ]
'

test_expect_success 'another shop s order code in a correctly signed event records nothing, on either host' '
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product P-0620 "{\"name\": \"Affiche\", \"price\": 1200, \"vat_rate\": 2000, \"stock_on_hand\": 50}" &&
	test_status 201 && O=$(new_order 1 "$OTHER_KEY" "$OTHER_HOST") && [ -n "$O" ] &&
	[ "$(sql "SELECT shop_id FROM orders WHERE code = \"$O\"")" = "$OTHER_ID" ] &&
	before=$(state) &&
	body=$(completed "evt_cross_$RUN" "$O" 1200 "pi_cross_$RUN") &&
	hook "$body" "$(sig "$body")" && test_status 404 && same_state "$before" &&
	body=$(completed "evt_none_$RUN" ZZZZZZZZ 1200 "pi_none_$RUN") &&
	hook "$body" "$(sig "$body")" && test_status 404 && same_state "$before" &&
	body=$(completed "evt_cross2_$RUN" "$B" 1200 "pi_cross2_$RUN") &&
	hook "$body" "$(sig "$body")" "$OTHER_HOST" && test_status 404 && same_state "$before"
'

test_expect_success 'the demo shop atelier takes callbacks signed with whsec_demo_atelier, as the README says' '
	before=$(sql "SELECT COUNT(*) FROM payments") &&
	body=$(completed "evt_demo_$RUN" ZZZZZZZZ 1000 "pi_demo_$RUN") &&
	hook "$body" "$(sig "$body" "" whsec_not_the_demo)" atelier.localhost && test_status 400 &&
	hook "$body" "$(sig "$body" "" whsec_demo_atelier)" atelier.localhost && test_status 404 &&
	[ "$(sql "SELECT COUNT(*) FROM payments")" = "$before" ]
'

test_expect_success 'the counters hold what the orders say, in both shops' '
	counts_exact "$SHOP_ID" && counts_exact "$OTHER_ID"
'

test_done
