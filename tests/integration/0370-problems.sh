#!/usr/bin/env bash
# Problem documents say what is wrong, whatever the request holds: text
# that is not UTF-8, text cut at a limit, names to quote in a JSON pointer;
# and a line's options are bounded before the database sees them.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

KEY=$(new_key atelier "test-0370-$RUN")
P=T0370-$RUN

cat >"$TEST_TMP/base.json" <<JSON
{"customer": {"first_name": "Hélène", "last_name": "Dupré", "email": "helene.$RUN@example.fr"},
 "billing_address": {"name": "Hélène Dupré", "line1": "12 rue des Lilas", "postcode": "69003",
                     "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "$P-CARD", "quantity": 1}]}
JSON
mk() {
	local name=$1
	shift
	jsontool edit "$TEST_TMP/base.json" "$@" >"$TEST_TMP/$name.json"
}

# The last answer is well-formed UTF-8 and a problem document whose detail
# and first error are not empty.
says_why() {
	iconv -f UTF-8 -t UTF-8 "$BODY" >/dev/null || { echo "not UTF-8:"; od -c "$BODY" | head; return 1; }
	[ -n "$(jget detail)" ] || { echo "no detail:"; cat "$BODY"; return 1; }
	[ -n "$(jget errors.0.detail)" ] || { echo "no error:"; cat "$BODY"; return 1; }
}

test_expect_success 'setup: a product to order' '
	[ -n "$KEY" ] &&
	put_product "$P-CARD" "{\"name\": \"Carte\", \"price\": 1000, \"vat_rate\": 2000, \"track_stock\": false}" &&
	test_status 201
'

test_expect_success 'a body of the four bytes "\è: 400 that says why' '
	printf "\"\\\\\303\250" >"$TEST_TMP/e-grave.json" && [ "$(wc -c <"$TEST_TMP/e-grave.json")" = 4 ] &&
	post_order "$TEST_TMP/e-grave.json" && problem 400 "" && says_why &&
	put_product "$P-CARD" "$(cat "$TEST_TMP/e-grave.json")" && problem 400 "" && says_why
'

test_expect_success 'a SKU of 300 x é: 422 at its pointer, quoting at most 64 bytes of it' '
	mk sku "lines.0.sku=\"$(printf "é%.0s" $(seq 300))\"" &&
	post_order "$TEST_TMP/sku.json" && problem 422 /lines/0/sku && says_why &&
	detail=$(jget errors.0.detail) && echo "$detail" &&
	[ "${#detail}" -lt 200 ] && echo "$detail" | grep -q "^no product .éééé.*…. in the catalogue"
'

test_expect_success 'a member named with / and ~ is pointed at as RFC 6901 writes it' '
	mk names "customer.a/b~c=1" "lines.0.~x=2" &&
	post_order "$TEST_TMP/names.json" && problem 422 "/customer/a~1b~0c" "/lines/0/~0x"
'

test_expect_success 'an unknown member with a very long name is not echoed whole' '
	mk longname "customer.$(printf "n%.0s" $(seq 5000))=1" &&
	post_order "$TEST_TMP/longname.json" && problem 422 /customer && says_why &&
	[ "$(wc -c <"$BODY")" -lt 1000 ]
'

test_expect_success 'options of 70,000 bytes: 422 at /lines/0/options, not 503' '
	mk big "lines.0.options={\"text\": \"$(head -c 70000 /dev/zero | tr "\0" x)\"}" &&
	post_order "$TEST_TMP/big.json" && problem 422 /lines/0/options && says_why
'

test_expect_success 'options nested 20 deep: 422 at /lines/0/options' '
	deep=1 && for i in $(seq 20); do deep="{\"n\": $deep}"; done &&
	mk deep "lines.0.options=$deep" &&
	post_order "$TEST_TMP/deep.json" && problem 422 /lines/0/options && says_why
'

test_expect_success 'options at the limits are taken: 8 deep, 8,192 bytes' '
	deep="\"$(head -c 8100 /dev/zero | tr "\0" y)\"" && for i in $(seq 8); do deep="{\"n\": $deep}"; done &&
	mk limit "lines.0.options=$deep" &&
	post_order "$TEST_TMP/limit.json" && test_status 201 &&
	[ "$(jget lines.0.options.n.n.n.n.n.n.n.n | wc -c)" = 8101 ]
'

test_done
