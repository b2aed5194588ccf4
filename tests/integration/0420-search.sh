#!/usr/bin/env bash
# The search box, /search?q=…: every kind of match (customer name, e-mail,
# phone, product name and SKU, the storefront's reference, the reference
# field, the code), blind to case and accents, several words narrowing,
# prefixes; "why it matched" on each result; an order code or number alone
# opens the order; at most 50 results; another shop's orders never appear;
# the index rebuilt (comptoir search reindex, comptoir migrate) finds the
# same; pickers are refused; hostile queries are answered cleanly.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

test_shop_new b || test_bail "no second shop"
B_CODE=$SHOP_CODE B_HOST=$SHOP_HOST B_KEY=$SHOP_KEY B_ID=$SHOP_ID
test_shop_new a || test_bail "no shop of its own"
A_ID=$SHOP_ID
KEY=$SHOP_KEY
cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }

# order FIRST LAST EMAIL PHONE SKU EXTERNAL: posts an order, prints its code.
order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "$1", "last_name": "$2", "email": "$3", "phone": "$4"},
 "billing_address": {"name": "$1 $2", "line1": "12 rue des Lilas", "postcode": "69003",
                     "city": "Lyon", "country": "FR"},
 "lines": [{"sku": "$5", "quantity": 1}],
 "carrier": "colissimo", "shipping_cost": 690, "payment_method": "banktransfer",
 "external_reference": "$6"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}

# q TEXT: the search, as the box sends it (GET, URL-encoded).
q() { http GET /search -G --data-urlencode "q=$1"; }

# finds TEXT CODE…: the search answers a results page listing each CODE.
finds() {
	local text=$1 c
	shift
	q "$text" && test_status 200 || return 1
	for c in "$@"; do body_has "/orders/$c\"" || { echo "« $text » does not find $c"; return 1; }; done
}
# misses TEXT CODE…: the search lists none of the CODEs.
misses() {
	local text=$1 c
	shift
	q "$text" && test_status 200 || return 1
	for c in "$@"; do body_lacks "/orders/$c\"" || { echo "« $text » finds $c"; return 1; }; done
}

test_expect_success 'products and orders of both shops come in through the intake API' '
	put_product CV-350-MAT "{\"name\": \"Cartes de visite 350 g mates\", \"price\": 2990, \"vat_rate\": 2000,
		\"stock_on_hand\": 500}" && test_status 201 &&
	put_product AF-A2 "{\"name\": \"Affiche A2 brillante\", \"price\": 1250, \"vat_rate\": 2000,
		\"stock_on_hand\": 500}" && test_status 201 &&
	put_product LV-OR "{\"name\": \"Livre d’or Œuvre\", \"price\": 4500, \"vat_rate\": 550,
		\"stock_on_hand\": 500}" && test_status 201 &&
	O1=$(order Hélène Dupré helene.dupre@example.fr +33612345678 CV-350-MAT WEB-1001) && [ -n "$O1" ] &&
	O2=$(order Jean Dupont jean.dupont@exemple.be +32470123456 AF-A2 WEB-1002) && [ -n "$O2" ] &&
	O3=$(order Hélène Martin h.martin@example.fr +33478123456 LV-OR WEB-1003) && [ -n "$O3" ] &&
	HOST=$B_HOST KEY=$B_KEY put_product CV-350-MAT "{\"name\": \"Cartes de visite 350 g mates\",
		\"price\": 2990, \"vat_rate\": 2000, \"stock_on_hand\": 50}" && test_status 201 &&
	OB=$(HOST=$B_HOST KEY=$B_KEY order Hélène Dupré helene.dupre@example.fr +33612345678 CV-350-MAT WEB-1001) &&
	[ -n "$OB" ] && echo "$O1 $O2 $O3 $OB" >"$TEST_TMP/codes"
'
read -r O1 O2 O3 OB <"$TEST_TMP/codes" || test_bail "no orders"
N1=$(sql "SELECT number FROM orders WHERE shop_id = $A_ID AND code = '$O1'")

test_expect_success 'a picker may not search; staff may' '
	login "$SHOP_PICKER" "$DEMO_PASSWORD" && test_status 303 &&
	q dupre && test_status 403 && body_lacks "$O1" &&
	forget_cookies && login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 &&
	q dupre && test_status 200
'

test_expect_success 'a customer name, blind to accents and case, says why it matched' '
	finds "helene dupre" "$O1" && misses "helene dupre" "$O2" "$O3" &&
	body_has "client : Hélène Dupré" && body_has "Commandes trouvées : 1" &&
	finds "Hélène Dupré" "$O1" && finds DUPRE "$O1" && finds "dupré" "$O1" && misses dupre "$O2" "$O3"
'

test_expect_success 'a word being typed is a prefix; several words narrow' '
	finds dup "$O1" "$O2" && misses dup "$O3" &&
	finds helene "$O1" "$O3" && misses helene "$O2" &&
	finds "helene mart" "$O3" && misses "helene mart" "$O1" "$O2" &&
	finds "martin HÉL" "$O3" && misses "dupont martin" "$O1" "$O2" "$O3"
'

test_expect_success 'an e-mail address, whole or in part' '
	finds helene.dupre@example.fr "$O1" && body_has "e-mail : helene.dupre@example.fr" &&
	misses helene.dupre@example.fr "$O2" "$O3" &&
	finds exemple.be "$O2" && misses exemple.be "$O1" "$O3"
'

test_expect_success 'a phone number, typed as staff write it' '
	finds "06 12 34 56 78" "$O1" && body_has "téléphone : +33612345678" && misses "06 12 34 56 78" "$O2" "$O3" &&
	finds +33612345678 "$O1" && finds 0470.12.34.56 "$O2" && finds "04 78 12 34 56" "$O3" && misses "04 78 12 34 56" "$O1"
'

test_expect_success 'a product by its SKU or its name, ligatures and apostrophes folded' '
	finds cv-350-mat "$O1" && body_has "produit : CV-350-MAT" && misses CV-350-MAT "$O2" "$O3" &&
	finds CV-350 "$O1" && finds "affiche brillante" "$O2" && body_has "produit : Affiche A2 brillante" &&
	misses "affiche brillante" "$O1" "$O3" &&
	finds oeuvre "$O3" && finds "livre d'"'"'or" "$O3" && body_has "produit : Livre d’or Œuvre" &&
	finds "cartes visite helene" "$O1" && misses "cartes visite helene" "$O3"
'

test_expect_success 'the storefront reference and the reference field' '
	finds WEB-1002 "$O2" && body_has "référence boutique : WEB-1002" && misses WEB-1002 "$O1" "$O3" &&
	csrf=$(session_csrf) &&
	http POST "/orders/$O3/reference" --data-urlencode "csrf=$csrf" --data-urlencode "reference=Devis Mairie de Lyon" &&
	test_status 303 && finds mairie "$O3" && body_has "référence : Devis Mairie de Lyon" && misses mairie "$O1" "$O2" &&
	http POST "/orders/$O3/reference" --data-urlencode "csrf=$csrf" --data-urlencode "reference=Bon 77" &&
	test_status 303 && misses mairie "$O3" && finds "bon 77" "$O3"
'

test_expect_success 'an order code or number alone opens the order (303)' '
	q "$O1" && test_status 303 && header_has "^Location: /orders/$O1" &&
	q " $(echo "$O1" | tr A-Z a-z | sed "s/..../&-/") " && test_status 303 && header_has "^Location: /orders/$O1" &&
	q "$N1" && test_status 303 && header_has "^Location: /orders/$O1" &&
	q "#$N1" && test_status 303 && header_has "^Location: /orders/$O1" &&
	finds "$O1 dupre" "$O1" && body_has "code de commande : $O1"
'

test_expect_success 'another shop'"'"'s orders never appear, even by their exact code' '
	q "$OB" && test_status 200 && body_has "Aucune commande" && body_lacks "/orders/$OB" &&
	misses "helene dupre" "$OB" && misses cv-350-mat "$OB" && misses WEB-1001 "$OB" &&
	[ "$(sql "SELECT COUNT(*) FROM order_search s JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id
		WHERE s.shop_id = $B_ID AND o.code = \"$OB\"")" -gt 0 ]
'

test_expect_success 'hostile queries are answered cleanly, echoed escaped' '
	for t in "%" "_" "%%%" "\\" "\\\\%" "'"'"'" "\"" "'"'"' OR 1=1 -- " "dup%" "h_lene" "%dupr%"; do
		q "$t" && test_status 200 || { echo "query: $t"; exit 1; }
	done &&
	misses h_lene "$O1" "$O3" && misses "%" "$O1" && misses "_" "$O1" &&
	q "<script>alert(1)</script>" && test_status 200 && body_lacks "<script>alert" && body_has "&lt;script&gt;" &&
	http GET "/search?q=%FF%FEdupre%C3" && test_status 200 && body_lacks "/orders/$O1\"" && body_lacks "« " &&
	long=$(printf "é%.0s" $(seq 1 1000)) && q "$long" && test_status 200 &&
	body_has "« $(printf "é%.0s" $(seq 1 100)) »" && body_lacks "$(printf "é%.0s" $(seq 1 101))" &&
	http GET "/search?q=%00dupre" && test_status 200 &&
	q "a b c d e f g dupre" && test_status 200 && body_has "Seuls 6 mots"
'

test_expect_success 'at most 50 results, newest first, and a word to say there are more' '
	for i in $(seq 1 51); do
		order Zoé Lambert "zoe.lambert$i@example.fr" "" AF-A2 "" >>"$TEST_TMP/zoe" || exit 1
	done &&
	q lambert && test_status 200 && body_has "Plus de 50 résultats" &&
	[ "$(grep -c "<tr>" "$BODY")" = 51 ] &&
	first=$(grep -o "/orders/[A-Z0-9]*\"" "$BODY" | head -n 1) && [ "$first" = "/orders/$(tail -n 1 "$TEST_TMP/zoe")\"" ] &&
	body_lacks "/orders/$(head -n 1 "$TEST_TMP/zoe")\"" &&
	q "lambert zoe.lambert7@example.fr" && body_has "Commandes trouvées : 1"
'

test_expect_success 'comptoir search reindex rebuilds exactly what intake wrote' '
	before=$(sql "SELECT COUNT(*), SUM(CRC32(CONCAT(order_id, kind, term, line_no))) FROM order_search WHERE shop_id = $A_ID") &&
	sql "DELETE FROM order_search WHERE shop_id = $A_ID" && misses "helene dupre" "$O1" &&
	cpt search reindex --shop "$SHOP_CODE" && grep -q "^search: 54 orders indexed in $SHOP_CODE" "$TEST_TMP/out" &&
	[ "$(sql "SELECT COUNT(*), SUM(CRC32(CONCAT(order_id, kind, term, line_no))) FROM order_search WHERE shop_id = $A_ID")" = "$before" ] &&
	finds "helene dupre" "$O1" && ! cpt search reindex --shop nowhere && ! cpt search rebuild
'

test_expect_success 'an upgraded database (no search index yet) finds its old orders after comptoir migrate' '
	before=$(sql "SELECT COUNT(*) FROM order_search WHERE shop_id IN ($A_ID, $B_ID)") &&
	sql "DROP TABLE order_search; DELETE FROM schema_migrations WHERE version = 7" &&
	cpt migrate && grep -q "1 migration applied" "$TEST_TMP/out" && grep -q "added to the search index" "$TEST_TMP/out" &&
	[ "$(sql "SELECT COUNT(*) FROM order_search WHERE shop_id IN ($A_ID, $B_ID)")" = "$before" ] &&
	finds "helene dupre" "$O1" && cpt migrate && ! grep -q "search index" "$TEST_TMP/out"
'

test_expect_success 'comptoir seed writes the index of the orders it makes' '
	cpt seed --shop "$B_CODE" --orders 40 --products 5 &&
	[ "$(sql "SELECT COUNT(*) FROM orders WHERE shop_id = $B_ID")" = 41 ] &&
	[ "$(sql "SELECT COUNT(DISTINCT order_id) FROM order_search WHERE shop_id = $B_ID")" = 41 ] &&
	[ "$(sql "SELECT COUNT(*) FROM orders o WHERE o.shop_id = $B_ID AND NOT EXISTS (SELECT 1 FROM order_search s
		WHERE s.shop_id = o.shop_id AND s.order_id = o.id AND s.kind = 2)")" = 0 ]
'

# One word finds the orders (its range, or its terms), the others are
# checked on them from the orders' own fields: the same answers as the
# index, whichever word drives, here a word that begins 70 terms.
test_expect_success 'a word that begins 70 terms narrows exactly, alone or with others' '
	for i in $(seq 1 70); do
		order Quentin "Rarebis$((i % 2))" "many$i@example.org" "" AF-A2 "" >>"$TEST_TMP/many" || exit 1
	done &&
	[ "$(sql "SELECT COUNT(DISTINCT term) FROM order_search WHERE shop_id = $A_ID AND term LIKE \"many%\"")" -gt 64 ] &&
	q "rarebis1 many" && test_status 200 && body_has "Commandes trouvées : 35" &&
	body_has "e-mail : many69@example.org" && body_has "client : Quentin Rarebis1" &&
	first=$(grep -o "/orders/[A-Z0-9]*\"" "$BODY" | head -n 1) && [ "$first" = "/orders/$(sed -n 69p "$TEST_TMP/many")\"" ] &&
	misses "rarebis1 many" "$(sed -n 70p "$TEST_TMP/many")" "$O1" &&
	finds "many rarebis0" "$(sed -n 2p "$TEST_TMP/many")" && body_has "Commandes trouvées : 35" &&
	q "helene many" && test_status 200 && body_has "Aucune commande" && body_lacks "/orders/$O1\"" &&
	q "many" && test_status 200 && body_has "Plus de 50 résultats" && first=$(grep -o "/orders/[A-Z0-9]*\"" "$BODY" | head -n 1) &&
	[ "$first" = "/orders/$(sed -n 70p "$TEST_TMP/many")\"" ] &&
	q "many quentin" && test_status 200 && body_has "Plus de 50 résultats"
'

test_done
