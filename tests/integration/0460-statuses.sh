#!/usr/bin/env bash
# Each shop's own statuses (issue 13): a new shop starts from the default
# workflow (conf/workflow.yaml), a shops.d preset gives its own; the owner
# adds, renames, recolours, reorders and retires them on /settings/statuses,
# and the list's filter, the order page and the status change follow; a
# retired status stays readable on an old order but is refused as a
# target; another shop's statuses are never shown nor usable; a refused
# change changes nothing; staff cannot reach the page.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

PRESET='workflow: {statuses: [
  {code: nouvelle, label_fr: Nouvelle, label_en: New, colour: "#1d4ed8", flags: [arrival, sale]},
  {code: prete, label_fr: Prête, label_en: Ready, colour: "#6d28d9", flags: [sale]},
  {code: finie, label_fr: Finie, label_en: Done, colour: "#166534", flags: [completed, final, sale]},
  {code: annulee, label_fr: Annulée, label_en: Cancelled, colour: "#b91c1c", flags: [cancels, final]}],
  transitions: {nouvelle: [prete, annulee], prete: [finie, annulee]}}'
test_shop_new other "" "$PRESET" || test_bail "no shop with a preset"
OTHER_ID=$SHOP_ID OTHER_HOST=$SHOP_HOST OTHER_KEY=$SHOP_KEY OTHER_OWNER=$SHOP_OWNER
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY

codes() { sql "SELECT GROUP_CONCAT(code ORDER BY position SEPARATOR ' ') FROM shop_statuses WHERE shop_id = $1"; }
# Everything the shop's statuses are, to see that a refusal changed nothing.
statuses_state() {
	sql "SELECT GROUP_CONCAT(CONCAT_WS('|', code, position, label_fr, label_en, colour, flags, retired) ORDER BY code)
		FROM shop_statuses WHERE shop_id = $1" &&
	sql "SELECT COUNT(*), GROUP_CONCAT(CONCAT(from_code, '>', to_code) ORDER BY from_code, to_code)
		FROM shop_status_transitions WHERE shop_id = $1" &&
	sql "SELECT statuses_version FROM shops WHERE id = $1"
}
new_order() {
	cat >"$TEST_TMP/o.json" <<JSON
{"customer": {"first_name": "Zoé", "last_name": "Perrin", "email": "zoe.$RUN@example.fr"},
 "billing_address": {"name": "Zoé Perrin", "line1": "2 rue Haute", "postcode": "38000", "city": "Grenoble", "country": "FR"},
 "lines": [{"sku": "S-CUP", "quantity": 1}], "payment_method": "cheque", "carrier": "colissimo"}
JSON
	post_order "$TEST_TMP/o.json" >/dev/null && [ "$STATUS" = 201 ] && jget code
}
ocol() { sql "SELECT $3 FROM orders WHERE shop_id = $1 AND code = '$2'"; }
post_status() {
	http POST "/orders/$1/status" --data-urlencode "csrf=$CSRF" --data-urlencode "status=$2" \
		--data-urlencode "version=$3"
}
# settings PATH FIELD=VALUE…: a form of the settings page, as the browser sends it.
settings() {
	local path=$1 a=()
	shift
	for f in "$@"; do a+=(--data-urlencode "$f"); done
	http POST "/settings/statuses$path" --data-urlencode "csrf=$CSRF" "${a[@]}"
}

test_expect_success 'a new shop has the default statuses and moves; a shops.d preset gives its own' '
	[ "$(codes "$SHOP_ID")" = "received awaiting_payment processing shipped delivered completed cancelled" ] &&
	[ "$(sql "SELECT flags, colour, label_fr, label_en FROM shop_statuses WHERE shop_id = $SHOP_ID AND code = \"received\"")" = \
	  "$(printf "sale,customer_may_pay,arrival\t#1d4ed8\tReçue\tReceived")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM shop_status_transitions WHERE shop_id = $SHOP_ID")" = 12 ] &&
	[ "$(codes "$OTHER_ID")" = "nouvelle prete finie annulee" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(CONCAT(from_code, \">\", to_code) ORDER BY from_code, to_code)
		FROM shop_status_transitions WHERE shop_id = $OTHER_ID")" = "nouvelle>annulee,nouvelle>prete,prete>annulee,prete>finie" ]
'

test_expect_success 'orders arrive in each shop'"'"'s arrival status' '
	put_product S-CUP "{\"name\": \"Tasse\", \"price\": 800, \"vat_rate\": 2000, \"stock_on_hand\": 50}" &&
	test_status 201 &&
	A1=$(new_order) && A2=$(new_order) && [ -n "$A1" ] && [ -n "$A2" ] &&
	echo "$A1 $A2" >"$TEST_TMP/a" &&
	[ "$(ocol "$SHOP_ID" "$A1" status)" = received ] &&
	HOST=$OTHER_HOST KEY=$OTHER_KEY put_product S-CUP "{\"name\": \"Bol\", \"price\": 900, \"vat_rate\": 2000,
		\"stock_on_hand\": 5}" && [ "$STATUS" = 201 ] &&
	B1=$(HOST=$OTHER_HOST KEY=$OTHER_KEY new_order) && [ -n "$B1" ] && echo "$B1" >"$TEST_TMP/b" &&
	[ "$(ocol "$OTHER_ID" "$B1" status)" = nouvelle ]
'
read -r A1 A2 <"$TEST_TMP/a" 2>/dev/null
B1=$(cat "$TEST_TMP/b" 2>/dev/null)
[ -n "$A2" ] && [ -n "$B1" ] || test_bail "no orders"

test_expect_success 'staff cannot reach the settings page nor change a status there' '
	login "$SHOP_STAFF" "$DEMO_PASSWORD" && test_status 303 && CSRF=$(session_csrf) &&
	http GET /settings/statuses && test_status 403 &&
	before=$(statuses_state "$SHOP_ID") &&
	settings /processing/edit label_fr=Piraté label_en=Hacked colour=#1d4ed8 && test_status 403 &&
	settings "" code=hack label_fr=Piraté label_en=Hacked colour=#1d4ed8 && test_status 403 &&
	[ "$(statuses_state "$SHOP_ID")" = "$before" ] &&
	http GET /orders && test_status 200 && body_lacks "href=\"/settings/statuses\""
'

test_expect_success 'the owner sees the statuses in order, with their badge colours' '
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	CSRF=$(session_csrf) && echo "$CSRF" >"$TEST_TMP/csrf" &&
	http GET /settings/statuses && test_status 200 &&
	body_has "href=\"/settings/statuses\"" &&
	body_has "<span class=\"status status-received\">Reçue</span>" &&
	body_has "id=\"fr-awaiting_payment\" name=\"label_fr\" value=\"En attente de paiement\"" &&
	body_lacks "status-nouvelle" &&
	css=$(sed -n "s|.*href=\"\(/statuses.css?v=[0-9]*\)\".*|\1|p" "$BODY" | head -n 1) && [ -n "$css" ] &&
	http GET "$css" && test_status 200 && header_has "^Content-Type: text/css" &&
	body_has ".status-received { background: #1d4ed8; color: #fff; }" && body_lacks "prete"
'
CSRF=$(cat "$TEST_TMP/csrf" 2>/dev/null)

test_expect_success 'add a status: it comes last, reachable from every open status, a colour dark enough' '
	settings "" code=ready_for_pickup "label_fr=Prête à retirer" "label_en=Ready for pickup" colour=#767676 sale=1 &&
	test_status 303 && header_has "^Location: /settings/statuses" &&
	[ "$(codes "$SHOP_ID")" = "received awaiting_payment processing shipped delivered completed cancelled ready_for_pickup" ] &&
	[ "$(sql "SELECT flags, colour, retired FROM shop_statuses WHERE shop_id = $SHOP_ID AND code = \"ready_for_pickup\"")" = \
	  "$(printf "sale\t#767676\t0")" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(from_code ORDER BY from_code) FROM shop_status_transitions
		WHERE shop_id = $SHOP_ID AND to_code = \"ready_for_pickup\"")" = "awaiting_payment,delivered,processing,received,shipped" ] &&
	[ "$(sql "SELECT GROUP_CONCAT(to_code ORDER BY to_code) FROM shop_status_transitions
		WHERE shop_id = $SHOP_ID AND from_code = \"ready_for_pickup\"")" = "awaiting_payment,cancelled,completed,delivered,processing,shipped" ] &&
	[ "$(sql "SELECT statuses_version FROM shops WHERE id = $SHOP_ID")" = 1 ]
'

test_expect_success 'a refused addition says why in French and changes nothing' '
	before=$(statuses_state "$SHOP_ID") &&
	settings "" code=pale "label_fr=Pâle" label_en=Pale colour=#777777 && test_status 422 &&
	body_has "Cette couleur est trop claire pour le texte blanc du badge (contraste 4,47:1" &&
	body_has "value=\"pale\"" &&
	settings "" code=ready_for_pickup label_fr=Double label_en=Twice colour=#1d4ed8 && test_status 422 &&
	body_has "Un statut a déjà ce code" &&
	settings "" "code=Prête!" label_fr=Prête label_en=Ready colour=#1d4ed8 && test_status 422 &&
	body_has "Le code doit faire de 1 à 32" &&
	settings "" code=vide "label_fr=  " label_en=Empty colour=#1d4ed8 && test_status 422 &&
	body_has "Le libellé français doit faire de 1 à 64 caractères." &&
	settings "" code=rouge label_fr=Rouge label_en=Red colour=red && test_status 422 &&
	body_has "La couleur s’écrit #rrggbb." &&
	[ "$(statuses_state "$SHOP_ID")" = "$before" ]
'

test_expect_success 'rename and recolour; a refused edit changes nothing' '
	settings /processing/edit "label_fr=En fabrication" "label_en=In the workshop" colour=#0f766e && test_status 303 &&
	[ "$(sql "SELECT label_fr, label_en, colour FROM shop_statuses WHERE shop_id = $SHOP_ID AND code = \"processing\"")" = \
	  "$(printf "En fabrication\tIn the workshop\t#0f766e")" ] &&
	before=$(statuses_state "$SHOP_ID") &&
	settings /processing/edit "label_fr=En fabrication" "label_en=In the workshop" colour=#ffff00 && test_status 422 &&
	body_has "trop claire" &&
	settings /nosuch/edit label_fr=X label_en=X colour=#1d4ed8 && test_status 404 &&
	[ "$(statuses_state "$SHOP_ID")" = "$before" ]
'

test_expect_success 'reorder: one place up, and the first cannot go higher' '
	settings /ready_for_pickup/move dir=up && test_status 303 &&
	settings /ready_for_pickup/move dir=up && test_status 303 &&
	[ "$(codes "$SHOP_ID")" = "received awaiting_payment processing shipped delivered ready_for_pickup completed cancelled" ] &&
	before=$(statuses_state "$SHOP_ID") &&
	settings /received/move dir=up && test_status 422 && body_has "Ce statut est déjà le premier." &&
	settings /cancelled/move dir=down && test_status 422 &&
	[ "$(statuses_state "$SHOP_ID")" = "$before" ]
'

test_expect_success 'the list filter, the order page and the status change follow' '
	others_settle &&
	http GET /orders && test_status 200 &&
	tr -d "\n" <"$BODY" | grep -o "<select id=\"f-status\".*</select>" | head -n 1 >"$TEST_TMP/filter" &&
	grep -qF "<option value=\"delivered\">Livrée</option><option value=\"ready_for_pickup\">Prête à retirer</option><option value=\"completed\">" "$TEST_TMP/filter" &&
	grep -qF "<option value=\"processing\">En fabrication</option>" "$TEST_TMP/filter" &&
	http GET "/orders/$A1" && test_status 200 &&
	body_has "<option value=\"processing\">En fabrication</option>" &&
	body_has "<option value=\"ready_for_pickup\">Prête à retirer</option>" &&
	post_status "$A1" ready_for_pickup 0 && test_status 303 &&
	[ "$(ocol "$SHOP_ID" "$A1" status)" = ready_for_pickup ] &&
	http GET "/orders?status=ready_for_pickup" && test_status 200 && body_has "/orders/$A1\"" &&
	body_has "<span class=\"status status-ready_for_pickup\">Prête à retirer</span>"
'

test_expect_success 'retire: readable on the old order, refused as a target, the roles cannot be retired' '
	settings /ready_for_pickup/retire retired=1 && test_status 303 &&
	[ "$(sql "SELECT retired FROM shop_statuses WHERE shop_id = $SHOP_ID AND code = \"ready_for_pickup\"")" = 1 ] &&
	others_settle &&
	http GET "/orders/$A1" && test_status 200 &&
	body_has "<span class=\"status status-ready_for_pickup\">Prête à retirer</span>" &&
	http GET "/orders/$A2" && test_status 200 && body_lacks "<option value=\"ready_for_pickup\">" &&
	before=$(ocol "$SHOP_ID" "$A2" "status, version") &&
	post_status "$A2" ready_for_pickup 0 && test_status 422 && body_has "Ce statut n’est plus utilisé" &&
	[ "$(ocol "$SHOP_ID" "$A2" "status, version")" = "$before" ] &&
	http GET /orders && body_has "<option value=\"ready_for_pickup\">Prête à retirer (retiré)</option>" &&
	sbefore=$(statuses_state "$SHOP_ID") &&
	settings /received/retire retired=1 && test_status 422 && body_has "Les nouvelles commandes arrivent" &&
	settings /cancelled/retire retired=1 && test_status 422 &&
	settings /completed/retire retired=1 && test_status 422 &&
	[ "$(statuses_state "$SHOP_ID")" = "$sbefore" ]
'

test_expect_success 'the other shop'"'"'s statuses are never shown nor usable here' '
	bbefore=$(statuses_state "$OTHER_ID") &&
	before=$(ocol "$SHOP_ID" "$A2" "status, version") &&
	post_status "$A2" prete 0 && test_status 422 && body_has "Cet état n’existe pas." &&
	[ "$(ocol "$SHOP_ID" "$A2" "status, version")" = "$before" ] &&
	body_lacks "Prête</option>" &&
	http GET /orders && body_lacks "value=\"prete\"" && body_lacks "value=\"nouvelle\"" &&
	http GET /orders?status=nouvelle && test_status 200 && body_lacks "/orders/$B1\"" &&
	http GET /settings/statuses && body_lacks "status-nouvelle" &&
	settings /prete/edit label_fr=Volée label_en=Stolen colour=#1d4ed8 && test_status 404 &&
	settings /prete/retire retired=1 && test_status 404 &&
	settings /nouvelle/move dir=down && test_status 404 &&
	[ "$(statuses_state "$OTHER_ID")" = "$bbefore" ]
'

test_expect_success 'and the other shop has none of this one'"'"'s' '
	forget_cookies && HOST=$OTHER_HOST && login "$OTHER_OWNER" "$DEMO_PASSWORD" && test_status 303 &&
	http GET /settings/statuses && test_status 200 &&
	body_has "<span class=\"status status-nouvelle\">Nouvelle</span>" && body_lacks "ready_for_pickup" &&
	body_lacks "status-received" &&
	http GET "/orders/$B1" && test_status 200 && body_has "<option value=\"prete\">Prête</option>" &&
	body_lacks "En fabrication"
'

test_done
