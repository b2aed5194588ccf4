#!/usr/bin/env bash
# The search box's plans (core/orders/search.c) in a shop seeded with 4,000
# orders, where words come in the sizes the search reads differently: a
# word of few index rows (a name) or thousands (product words, "example": as a
# term, by the key), with few other terms it begins or none, or only
# those (a word being typed, "zephy"), and a prefix of thousands of terms
# (a letter, "exam": checked on the orders' own fields, or every word a
# range). Each one driving and each one checked, alone and together, each
# search lists exactly the newest orders that the index says hold every
# word (checked against order_search in SQL), in that order, and says
# "more than 50" exactly when there are more.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY
cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }

# sizes WORD: "ROWS REST", the index rows of WORD as a term, and of the
# other terms it begins.
sizes() {
	sql "SELECT (SELECT COUNT(*) FROM order_search WHERE shop_id = $SHOP_ID AND term = '$1'),
		(SELECT COUNT(*) FROM order_search WHERE shop_id = $SHOP_ID AND term > '$1' AND term LIKE '$1%')" |
		tr '\t' ' '
}

# same WORD…: the search for the words lists the codes of the newest 50
# orders holding every word in the index, in order, and "more" when a 51st
# holds them. found WORD…: the same, and at least one order.
same() {
	local w where="" want got
	for w in "$@"; do
		where="$where AND o.id IN (SELECT order_id FROM order_search WHERE shop_id = $SHOP_ID AND term LIKE '$w%')"
	done
	want=$(sql "SELECT o.code FROM orders o WHERE o.shop_id = $SHOP_ID $where ORDER BY o.id DESC LIMIT 51") ||
		return 1
	http GET /search -G --data-urlencode "q=$*" && test_status 200 || return 1
	got=$(grep -o '/orders/[A-Z0-9]*"' "$BODY" | sed 's,^/orders/,,; s,"$,,')
	[ "$got" = "$(printf '%s\n' "$want" | head -n 50)" ] ||
		{ echo "« $* »: the page lists"; echo "$got" | head -n 5; echo "the index holds"; echo "$want" | head -n 5; return 1; }
	if [ "$(printf '%s\n' "$want" | grep -c .)" = 51 ]; then
		body_has "Plus de 50 résultats" || return 1
	else
		body_lacks "Plus de 50 résultats" || return 1
	fi
	[ -n "$got" ] || body_has "Aucune commande"
}
found() { same "$@" && body_has "Commandes trouvées" || { echo "« $* » finds nothing"; return 1; }; }

# Forty orders older than the seeded ones, each of 57 words beginning with
# "zl": a prefix of thousands of index rows that few orders hold. "zl", as
# no order code has an L (core/orders/code.c): a seeded code may begin
# with any other two letters ("ZQJXB2HJ" did, in a shop of some id).
ZL_FIRST=$(printf "zl%s " a b c d e f g h i j k l m n o p q r s t u v w x y | sed "s/ $//")
ZL_LAST=$(printf "zlb%s " a b c d e f g h i j k l m n o p q r s t | sed "s/ $//")
ZL_EXT=$(printf "zlc%s " a b c d e f g h i j k l | sed "s/ $//")

test_expect_success 'a shop of 40 orders of its own, 4,000 seeded after them, and two more' '
	put_product NAP-1 "{\"name\": \"Nappe brodée\", \"price\": 3500, \"vat_rate\": 2000, \"stock_on_hand\": 500}" &&
	test_status 201 &&
	cat >"$TEST_TMP/zl.json" <<-JSON &&
	{"customer": {"first_name": "$ZL_FIRST", "last_name": "$ZL_LAST", "email": "zl@example.com"},
	 "billing_address": {"name": "Zq", "line1": "1 rue Basse", "postcode": "75001", "city": "Paris", "country": "FR"},
	 "lines": [{"sku": "NAP-1", "quantity": 1}], "external_reference": "$ZL_EXT",
	 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer"}
	JSON
	for i in $(seq 1 40); do post_order "$TEST_TMP/zl.json" >/dev/null && test_status 201 || exit 1; done &&
	cpt seed --shop "$SHOP_CODE" --orders 4000 --products 30 &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $SHOP_ID")" = 4040 ] &&
	for e in zephyrin@example.org zephyrin.quasimodo@example.net; do
		cat >"$TEST_TMP/o.json" <<-JSON
		{"customer": {"first_name": "Zéphyrin", "last_name": "Quasimodo", "email": "$e"},
		 "billing_address": {"name": "Zéphyrin Quasimodo", "line1": "1 rue Haute", "postcode": "75001",
		                     "city": "Paris", "country": "FR"},
		 "lines": [{"sku": "NAP-1", "quantity": 1}],
		 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer"}
		JSON
		post_order "$TEST_TMP/o.json" >/dev/null && test_status 201 || exit 1
	done &&
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303
'

# The words, and the size each must have for the plan it stands for.
FEW=$(sql "SELECT term FROM order_search WHERE shop_id = $SHOP_ID AND kind = 2 AND term REGEXP '^[a-z]+\$'
	GROUP BY term HAVING COUNT(*) BETWEEN 60 AND 500 ORDER BY COUNT(*) DESC, term LIMIT 1")
WIDE=$(for l in a b c d e f g h i j k l m n o p q r s t u v w x y z; do
	echo "$(sizes "$l") $l"; done | awk '$2 > 2000' | sort -k 2 -n -r | head -n 2 | awk '{ print $3 }')
read -r WIDE1 WIDE2 <<<"$(echo $WIDE)"
# The two commonest words of product names with few other terms they begin.
COMMON=$(sql "SELECT t.term FROM (SELECT term, COUNT(*) c FROM order_search WHERE shop_id = $SHOP_ID AND kind = 5
	AND term REGEXP '^[a-z]{3,}\$' GROUP BY term HAVING c > 500) t WHERE (SELECT COUNT(*) FROM order_search s
	WHERE s.shop_id = $SHOP_ID AND s.term > t.term AND s.term LIKE CONCAT(t.term, '%')) <= 2000
	ORDER BY t.c DESC, t.term LIMIT 2")
read -r COMMON1 COMMON2 <<<"$(echo $COMMON)"

test_expect_success 'the words are of the sizes the plans are for' '
	for w in "$FEW" example "$COMMON1" "$COMMON2" zephy exam "$WIDE1" "$WIDE2"; do echo "$w: $(sizes "$w")"; done &&
	[ -n "$FEW" ] && [ -n "$COMMON1" ] && [ -n "$COMMON2" ] && [ -n "$WIDE1" ] && [ -n "$WIDE2" ] &&
	read -r rows rest <<<"$(sizes "$FEW")" && [ "$rows" -le 500 ] && [ "$rest" -le 2000 ] &&
	read -r rows rest <<<"$(sizes example)" && [ "$rows" -gt 500 ] && [ "$rest" -gt 0 ] && [ "$rest" -le 2000 ] &&
	read -r rows rest <<<"$(sizes "$COMMON1")" && [ "$rows" -gt 500 ] && [ "$rest" -le 2000 ] &&
	read -r rows rest <<<"$(sizes "$COMMON2")" && [ "$rows" -gt 500 ] && [ "$rest" -le 2000 ] &&
	read -r rows rest <<<"$(sizes zephy)" && [ "$rows" = 0 ] && [ "$rest" -gt 0 ] &&
	read -r rows rest <<<"$(sizes exam)" && [ "$rows" = 0 ] && [ "$rest" -gt 2000 ] &&
	read -r rows rest <<<"$(sizes zl)" && [ "$rows" = 0 ] && [ "$rest" -gt 2000 ] &&
	[ "$(sql "SELECT MAX(order_id) FROM order_search WHERE shop_id = $SHOP_ID AND term LIKE \"zl%\"")" -lt \
	  "$(sql "SELECT id FROM orders WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1 OFFSET 2099")" ]
'

test_expect_success 'one word of each size alone' '
	found "$FEW" && found example && found "$COMMON1" && found zephy && found "$WIDE1" && found exam
'

test_expect_success 'a rare word drives: common words by the key, a wide word checked on its orders' '
	found "$FEW" example && found "$FEW" "$COMMON1" && found "$FEW" "$WIDE1" && same "$FEW" "$COMMON1" "$WIDE1" &&
	same zephyrin exam && body_has "Commandes trouvées : 2" && body_has "e-mail : zephyrin@example.org" &&
	same quasimodo example.org && body_has "Commandes trouvées : 1" &&
	same quasimodo zephy && body_has "Commandes trouvées : 2" && same zephy example && same zephy "$COMMON1"
'

test_expect_success 'a common word drives: common words by the key, wide words on the fields' '
	same "$COMMON1" "$COMMON2" && found example "$COMMON1" && same "$COMMON2" "$COMMON1" example &&
	found example "$WIDE1" && same "$COMMON1" "$WIDE1" "$WIDE2" && found "$COMMON1" exam
'

test_expect_success 'every word wide: the newest orders checked on their fields, then the ranges' '
	found "$WIDE1" "$WIDE2" && found "$WIDE1" exam &&
	found zl && body_has "Commandes trouvées : 40" && body_has "client : zla zlb" &&
	found zl exam && body_has "Commandes trouvées : 40" && same zl "$WIDE1" &&
	same "$COMMON1" zzlxw && body_has "Aucune commande" && same "$WIDE1" zzlxw && same zl zzlxw
'

test_done
