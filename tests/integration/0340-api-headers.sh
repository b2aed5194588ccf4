#!/usr/bin/env bash
# What clients send in headers varies: the API reads them as the RFCs say.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
SKU="T0340-$RUN"
raw() {
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -H "Host: $HOST" "$@")
}

test_expect_success 'a key was made for this script' '
	[ -n "$KEY" ]
'

test_expect_success 'the Bearer scheme is case-insensitive (RFC 9110)' '
	raw -H "Authorization: bearer $KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products" &&
	test_status 200 &&
	raw -H "Authorization: BEARER  $KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products" &&
	test_status 200
'

test_expect_success 'another scheme, or none, is a 401 with WWW-Authenticate' '
	raw -H "Authorization: Basic $KEY" "http://127.0.0.1:$CPT_PORT/api/v1/products" &&
	test_status 401 && header_has "^WWW-Authenticate: Bearer" &&
	raw "http://127.0.0.1:$CPT_PORT/api/v1/products" && test_status 401
'

test_expect_success 'JSON with a charset parameter is JSON' '
	raw -X PUT -H "Authorization: Bearer $KEY" -H "Content-Type: application/json; charset=utf-8" \
		-d "{\"name\":\"Flyer A5\",\"price\":990,\"vat_rate\":2000}" \
		"http://127.0.0.1:$CPT_PORT/api/v1/products/$SKU" && test_status 201
'

test_expect_success 'a look-alike media type is not JSON: 415, nothing written' '
	raw -X PUT -H "Authorization: Bearer $KEY" -H "Content-Type: application/jsonx" \
		-d "{\"name\":\"Changed\"}" "http://127.0.0.1:$CPT_PORT/api/v1/products/$SKU" &&
	test_status 415 && body_has "application/json" &&
	[ "$(sql "SELECT name FROM products WHERE sku = \"$SKU\"")" = "Flyer A5" ]
'

test_done
