#!/usr/bin/env bash
# The plugin host (issue 14): plugins built out of tree against the
# installed header load; one of another ABI major, one without a
# descriptor and one whose init fails are refused at start, each in one
# log line, and the rest runs; the Modules page enables and configures a
# plugin (secrets sealed, never shown back); the order page shows the
# payment method's instructions (bank transfer: IBAN, reference, EPC QR).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$(dirname "$0")/../lib/api-lib.sh"

BUILD=$(dirname "$CPT_BIN")
test_shop_new || test_bail "no shop of its own"
KEY=$SHOP_KEY

# A second comptoir serve, with the out-of-tree plugins, behind an nginx
# of its own (tools/lib/stack.sh) on this script's port + 5.
side=$TEST_TMP/side
SIDE_PORT=$((CPT_PORT + 5))
mkdir -p "$side/etc" "$side/run" "$side/log" "$TEST_TMP/plugins"
ln -s "$(dirname "$CPT_CONFIG")/shops.d" "$side/etc/shops.d"
cp "$(dirname "$CPT_CONFIG")/secret.key" "$side/etc/secret.key"
sed -e "s|^  socket: .*/comptoir.sock$|  socket: $side/run/comptoir.sock|" \
	-e "s|^  key_file: .*|  key_file: $side/etc/secret.key|" \
	-e "s|^  dir: .*/plugins/payments$|  dir: $TEST_TMP/plugins|" \
	-e "s|^  load: \[.*\]$|  load: [hello, badabi, nodesc, failinit]|" "$CPT_CONFIG" >"$side/etc/comptoir.yaml"
side_log=$side/log/comptoir.log
side_stop() {
	local pid i
	[ -f "$side/run/serve.pid" ] || return 0
	pid=$(cat "$side/run/serve.pid")
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$side/run/serve.pid"
}
side_nginx() {   # in a subshell: stack.sh's variables stay there
	(STACK_DIR=$side STACK_PORT=$SIDE_PORT STACK_PROCS=1 STACK_TLS_PORT= STACK_BUILD=$BUILD
	 . "$SRC_DIR/tools/lib/stack.sh" && "nginx_$1")
}
test_at_exit 'side_nginx stop; side_stop'
# sidehttp METHOD PATH [curl args…]: as http, through the side nginx.
sidehttp() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" \
		-b "$JAR" -c "$JAR" -H "Host: $HOST" "$@" "http://127.0.0.1:$SIDE_PORT$path")
}

test_expect_success 'make install puts the header and comptoir-plugin.pc; pkg-config gives the flags' '
	make -s -C "$BUILD" install-pkgincludeHEADERS install-pkgconfigDATA DESTDIR="$TEST_TMP/inst" >/dev/null &&
	export PKG_CONFIG_SYSROOT_DIR=$TEST_TMP/inst PKG_CONFIG_LIBDIR=$(echo "$TEST_TMP"/inst/*/lib/pkgconfig "$TEST_TMP"/inst/*/*/lib/pkgconfig | tr " " "\n" | grep -v "\*" | head -n 1) &&
	flags=$(pkg-config --cflags comptoir-plugin) && echo "$flags" &&
	case $flags in *"-I$TEST_TMP/inst/"*"/include"*) ;; *) false ;; esac &&
	echo "$flags" >"$TEST_TMP/flags" &&
	case $(pkg-config --variable=plugindir comptoir-plugin) in */lib/comptoir/plugins) ;; *) false ;; esac
'
FLAGS=$(cat "$TEST_TMP/flags" 2>/dev/null)

test_expect_success 'four plugins build out of tree from the installed header alone' '
	[ -n "$FLAGS" ] &&
	for p in hello badabi nodesc failinit; do
		cc -std=c11 -Wall -Wextra -Werror $FLAGS -fvisibility=hidden -shared -fPIC -Wl,-z,defs \
			-o "$TEST_TMP/plugins/$p.so" "$SRC_DIR/tests/plugins/outoftree/$p.c" || return 1
	done &&
	# hidden visibility: the descriptor is the one symbol it exports
	[ "$(nm -D --defined-only "$TEST_TMP/plugins/hello.so" | awk "{print \$3}" | grep -v "^_")" = cpt_plugin ] &&
	! readelf -d "$TEST_TMP/plugins/hello.so" | grep NEEDED | grep -qi comptoir
'

test_expect_success 'comptoir plugins lists the loaded one and each refused one with its reason' '
	! "$CPT_BIN" --config "$side/etc/comptoir.yaml" plugins >"$TEST_TMP/list" 2>"$TEST_TMP/list.err" &&
	cat "$TEST_TMP/list" &&
	grep -q "^loaded   hello  *payment  *0.1.0  *ABI 1.1$" "$TEST_TMP/list" &&
	grep -q "^refused  badabi .*built for plugin ABI 2.0, this Comptoir speaks ABI 1.1" "$TEST_TMP/list" &&
	grep -q "^refused  nodesc .*no descriptor: the module exports no symbol cpt_plugin" "$TEST_TMP/list" &&
	grep -q "^refused  failinit .*its init() failed" "$TEST_TMP/list" &&
	[ "$(grep -c "^loaded" "$TEST_TMP/list")" = 1 ]
'

test_expect_success 'serve refuses them at start, one line each, and the rest starts' '
	: >"$side_log" &&
	{ "$CPT_BIN" --config "$side/etc/comptoir.yaml" serve >>"$side_log" 2>&1 & } &&   # $! is serve, not a subshell
	echo $! >"$side/run/serve.pid" &&
	for i in $(seq 1 300); do grep -q "serving .* shops" "$side_log" && break; sleep 0.1; done &&
	cat "$side_log" &&
	grep -q "plugin hello 0.1.0 loaded: payment, ABI 1.1" "$side_log" &&
	[ "$(grep -c "plugin badabi refused" "$side_log")" = 1 ] &&
	[ "$(grep -c "plugin nodesc refused" "$side_log")" = 1 ] &&
	[ "$(grep -c "plugin failinit refused" "$side_log")" = 1 ] &&
	grep -q "serving .* shops" "$side_log" && side_nginx start
'

test_expect_success 'the Modules page of the side server offers the loaded plugin only' '
	forget_cookies && sidehttp GET /login && csrf=$(form_value csrf) &&
	sidehttp POST /login --data-urlencode "csrf=$csrf" --data-urlencode "email=$SHOP_OWNER" \
		--data-urlencode "password=$DEMO_PASSWORD" && test_status 303 &&
	sidehttp GET /settings/modules && test_status 200 &&
	body_has "action=\"/settings/modules/hello\"" && body_lacks "badabi" && body_lacks "/settings/modules/banktransfer"
'

test_expect_success 'enabling needs its required secret; a secret is stored sealed and shown as a mask' '
	csrf=$(form_value csrf) &&
	sidehttp POST /settings/modules/hello --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode s_greeting=Bonjour && test_status 422 &&
	body_has "id=\"m-hello-api_key-error\"" &&
	[ "$(sql "SELECT COUNT(*) FROM shop_plugins WHERE shop_id = $SHOP_ID")" = 0 ] &&
	sidehttp POST /settings/modules/hello --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode s_greeting=Bonjour --data-urlencode s_api_key=sk_test_0600_abcdefWXYZ &&
	test_status 303 &&
	[ "$(sql "SELECT enabled, JSON_VALUE(settings, \"$.greeting\"), secrets IS NOT NULL, LENGTH(secrets_nonce)
		FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"hello\"")" = "$(printf "1\tBonjour\t1\t24")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM shop_plugins WHERE shop_id = $SHOP_ID AND (settings LIKE \"%sk_test%\"
		OR INSTR(secrets, \"sk_test\") > 0)")" = 0 ] &&
	sidehttp GET /settings/modules && body_has "••••WXYZ" && body_lacks "sk_test_0600"
'

test_expect_success 'an empty secret field keeps the stored secret' '
	before=$(sql "SELECT HEX(secrets) FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"hello\"") &&
	csrf=$(form_value csrf) &&
	sidehttp POST /settings/modules/hello --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode s_greeting=Salut --data-urlencode s_api_key= && test_status 303 &&
	sidehttp GET /settings/modules && body_has "••••WXYZ" &&
	[ "$(sql "SELECT JSON_VALUE(settings, \"$.greeting\") FROM shop_plugins WHERE shop_id = $SHOP_ID")" = Salut ] &&
	after=$(sql "SELECT HEX(secrets) FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"hello\"") &&
	[ -n "$after" ] && [ "$after" != "$before" ]   # sealed again, with a new nonce
'

test_expect_success 'the out-of-tree plugin shows its instructions on the order page, with the secret' '
	put_product P-0600 "{\"name\": \"Carte\", \"price\": 1250, \"vat_rate\": 2000, \"stock_on_hand\": 50}" &&
	cat >"$TEST_TMP/o.json" <<-JSON &&
	{"customer": {"first_name": "Luc", "last_name": "Petit", "email": "luc.$RUN@example.fr"},
	 "billing_address": {"name": "Luc Petit", "line1": "1 rue Neuve", "postcode": "69001", "city": "Lyon", "country": "FR"},
	 "lines": [{"sku": "P-0600", "quantity": 2}], "payment_method": "hello"}
	JSON
	post_order "$TEST_TMP/o.json" >/dev/null && test_status 201 && code=$(jget code) &&
	mac=$(printf %s "$code" | openssl dgst -sha256 -hmac sk_test_0600_abcdefWXYZ -r | cut -d" " -f1) &&
	sidehttp GET "/orders/$code" && test_status 200 &&
	body_has "Salut" && body_has "$mac"
'
# hook BODY [SIGNATURE]: a webhook call to the side server's hello plugin.
hook() {
	sidehttp POST /webhooks/payments/hello -H "Content-Type: application/json" \
		${2:+-H "X-Hello-Signature: $2"} --data-binary "$1"
}
sign() { printf %s "$1" | openssl dgst -sha256 -hmac sk_test_0600_abcdefWXYZ -r | cut -d" " -f1; }

test_expect_success 'a webhook with a forged signature is refused and changes nothing' '
	code=$(sql "SELECT code FROM orders WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1") &&
	body="{\"id\": \"evt_1\", \"order\": \"$code\", \"amount\": 2500}" &&
	hook "$body" && test_status 401 &&
	hook "$body" "$(sign "$body x")" && test_status 401 &&
	[ "$(sql "SELECT COUNT(*) FROM plugin_order_state WHERE shop_id = $SHOP_ID")" = 0 ]
'

test_expect_success 'a signed webhook reaches the plugin, which keeps its state on the order; a replay is harmless' '
	code=$(sql "SELECT code FROM orders WHERE shop_id = $SHOP_ID ORDER BY id DESC LIMIT 1") &&
	body="{\"id\": \"evt_1\", \"order\": \"$code\", \"amount\": 2500}" &&
	size=$(stat -c %s "$side_log") &&
	hook "$body" "$(sign "$body")" && test_status 200 &&
	[ "$(sql "SELECT plugin, k, v FROM plugin_order_state WHERE shop_id = $SHOP_ID")" = "$(printf "hello\tlast_event\tevt_1")" ] &&
	hook "$body" "$(sign "$body")" && test_status 200 &&
	[ "$(tail -c +$((size + 1)) "$side_log" | grep -c "payment webhook shop=$SHOP_CODE plugin=hello event=evt_1 order=$code outcome=2 amount=2500")" = 1 ] &&
	hook "{\"id\": \"evt_2\", \"order\": \"ZZZZZZZZ\"}" "$(sign "{\"id\": \"evt_2\", \"order\": \"ZZZZZZZZ\"}")" &&
	test_status 404 && [ "$(sql "SELECT COUNT(*) FROM plugin_order_state WHERE shop_id = $SHOP_ID")" = 1 ]
'

test_expect_success 'a plugin without a webhook, or not loaded, is a 404' '
	sidehttp POST /webhooks/payments/banktransfer -d x && test_status 404 &&
	sidehttp POST /webhooks/payments/badabi -d x && test_status 404
'
side_nginx stop
side_stop

test_expect_success 'on the stack: the Modules page is for owners only' '
	forget_cookies && login "$SHOP_STAFF" "$DEMO_PASSWORD" && http GET /settings/modules && test_status 403 &&
	forget_cookies && login "$SHOP_OWNER" "$DEMO_PASSWORD" && http GET /settings/modules && test_status 200 &&
	body_has "Virement bancaire" && body_has "Chèque" && body_has "Paiement à la livraison" &&
	body_lacks "hello"
'

test_expect_success 'an IBAN that fails the mod-97 check is refused, and nothing is stored' '
	http GET /settings/modules && csrf=$(form_value csrf) &&
	http POST /settings/modules/banktransfer --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode "s_beneficiary=Boutique 0600" --data-urlencode "s_iban=FR76 3000 6000 0112 3456 7890 188" &&
	test_status 422 && body_has "Cet IBAN n" &&
	[ "$(sql "SELECT COUNT(*) FROM shop_plugins WHERE shop_id = $SHOP_ID AND plugin = \"banktransfer\"")" = 0 ]
'

test_expect_success 'bank transfer, set up: the order page shows the IBAN, the reference and the EPC QR code' '
	http GET /settings/modules && csrf=$(form_value csrf) &&
	http POST /settings/modules/banktransfer --data-urlencode "csrf=$csrf" --data-urlencode enabled=1 \
		--data-urlencode "s_beneficiary=Boutique 0600" --data-urlencode "s_iban=be68539007547034" \
		--data-urlencode s_bic=GEBABEBB --data-urlencode s_reference=be && test_status 303 &&
	sed "s/\"hello\"/\"banktransfer\"/" "$TEST_TMP/o.json" >"$TEST_TMP/bt.json" &&
	post_order "$TEST_TMP/bt.json" >/dev/null && test_status 201 && code=$(jget code) &&
	echo "$code" >"$TEST_TMP/bt.code" &&
	number=$(sql "SELECT number FROM orders WHERE shop_id = $SHOP_ID AND code = \"$code\"") &&
	ogm=$(printf "%010d%02d" "$number" "$(( number % 97 == 0 ? 97 : number % 97 ))" |
		sed "s|^\(...\)\(....\)\(.....\)$|+++\1/\2/\3+++|") &&
	http GET "/orders/$code" && test_status 200 &&
	body_has "BE68 5390 0754 7034" && body_has "GEBABEBB" && body_has "$ogm" &&
	body_has "25,00" && body_has "src=\"data:image/svg+xml;base64," &&
	body_has "alt=\"QR code de virement SEPA"
'

test_expect_success 'a disabled plugin shows nothing on the order page' '
	code=$(cat "$TEST_TMP/bt.code") && http GET /settings/modules && csrf=$(form_value csrf) &&
	http POST /settings/modules/banktransfer --data-urlencode "csrf=$csrf" \
		--data-urlencode "s_beneficiary=Boutique 0600" --data-urlencode "s_iban=be68539007547034" && test_status 303 &&
	http GET "/orders/$code" && test_status 200 && body_lacks "BE68 5390" && body_lacks "data:image/svg+xml"
'

test_expect_success 'the demo shop atelier has bank transfer, cheque and stripe from its shops.d preset' '
	[ "$(sql "SELECT GROUP_CONCAT(CONCAT(p.plugin, \":\", p.enabled) ORDER BY p.plugin) FROM shop_plugins p
		JOIN shops s ON s.id = p.shop_id WHERE s.code = \"atelier\"")" = "banktransfer:1,cheque:1,stripe:1" ]
'

test_done
