#!/usr/bin/env bash
# comptoir shop add / disable / enable: the shop's file written whole in
# paths.shops and its row, served through nginx after a reload; a disabled
# shop answers like an unknown host.
. "$(dirname "$0")/../lib/test-lib.sh"

shops=$CPT_STACK_DIR/etc/shops.d
CODE=t-0500
NEW=$CODE.localhost
test_at_exit "test_shop_remove $CODE; test_shop_remove $CODE-b; rm -f '$shops'/.comptoir-shop.*"
test_shop_remove "$CODE" && test_shop_remove "$CODE-b" || test_bail "cannot clear the shops of a previous run"

cpt() { "$CPT_BIN" --config "$CPT_CONFIG" "$@" >"$TEST_TMP/out" 2>&1; }
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }
# The shop files, and nothing else, in the shops directory (hidden ones too).
listing() { ls -A "$shops" | sort; }

test_expect_success 'a new host is unknown before the shop is added' '
	HOST=$NEW http GET /login && test_status 404
'

test_expect_success 'shop add writes the shop file and its row' '
	listing >"$TEST_TMP/before" &&
	cpt shop add --code "$CODE" --host "$NEW,WWW.$CODE.example" --name "Boutique \"$CODE\" & fils" \
		--company "Fils SARL" &&
	out_has "$CODE added" && out_has "SIGHUP" &&
	[ -f "$shops/$CODE.yaml" ] &&
	grep -qx "code: $CODE" "$shops/$CODE.yaml" &&
	grep -qx "hosts: \[$NEW, www.$CODE.example\]" "$shops/$CODE.yaml" &&
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"$CODE\"")" = 1 ] &&
	listing >"$TEST_TMP/after" &&
	diff "$TEST_TMP/before" "$TEST_TMP/after" | grep "^[<>]" >"$TEST_TMP/diff";
	cat "$TEST_TMP/diff" && [ "$(cat "$TEST_TMP/diff")" = "> $CODE.yaml" ]
'

test_expect_success 'after a reload the new shop is served through nginx, by both host names' '
	server_reload &&
	HOST=$NEW http GET /login && test_status 200 &&
	body_has "Boutique &quot;$CODE&quot; &amp; fils" &&
	HOST=www.$CODE.example http GET /login && test_status 200
'

# (LeakSanitizer cannot run under ptrace: the sanitizer build is traced without it.)
test_expect_success 'the file is never written in place: made aside, then linked to its name' '
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" &&
	{ strace -f -e trace=openat,link,linkat,rename,renameat,renameat2 -o "$TEST_TMP/trace" \
		"$CPT_BIN" --config "$CPT_CONFIG" shop add --code "$CODE-b" --host "$CODE-b.localhost" \
		>/dev/null 2>&1 &&
	grep -E "link(at)?\(.*\.comptoir-shop\.[^\"]*\", .*\"$shops/$CODE-b.yaml\"" "$TEST_TMP/trace" &&
	! grep -E "openat\(.*$CODE-b\.yaml\".*O_(WRONLY|RDWR)" "$TEST_TMP/trace" &&
	! ls -A "$shops" | grep -F .comptoir-shop. &&
	strace -f -e trace=openat,rename,renameat,renameat2 -o "$TEST_TMP/trace" \
		"$CPT_BIN" --config "$CPT_CONFIG" shop disable --code "$CODE-b" >/dev/null 2>&1 &&
	grep -E "rename(at2?)?\(.*\.comptoir-shop\.[^\"]*\", .*\"$shops/$CODE-b.yaml\"" "$TEST_TMP/trace" &&
	! grep -E "openat\(.*$CODE-b\.yaml\".*O_(WRONLY|RDWR)" "$TEST_TMP/trace"
	  rc=$?; } ; test_shop_remove "$CODE-b" && return "$rc"
'

test_expect_success 'a code already used is refused, and its file is left alone' '
	sum=$(md5sum <"$shops/$CODE.yaml") &&
	! cpt shop add --code "$CODE" --host "other-$NEW" && out_has "code $CODE already exists" &&
	[ "$(md5sum <"$shops/$CODE.yaml")" = "$sum" ] &&
	! cpt shop add --code atelier --host "other-$NEW" && out_has "already exists" &&
	! grep -rq "other-$NEW" "$shops"
'

test_expect_success 'a host already used, by this shop or another, is refused' '
	listing >"$TEST_TMP/before" &&
	! cpt shop add --code "$CODE-b" --host atelier.localhost &&
	out_has "host atelier.localhost is already used by shop atelier" &&
	! cpt shop add --code "$CODE-b" --host "$CODE-b.localhost,WWW.$CODE.EXAMPLE" &&
	out_has "already used by shop $CODE" &&
	listing >"$TEST_TMP/after" && diff "$TEST_TMP/before" "$TEST_TMP/after"
'

test_expect_success 'bad codes, hosts and values are refused and leave no file' '
	listing >"$TEST_TMP/before" &&
	for code in "../evil" "Upper" "-dash" "" "a/b" "$(printf "%033d" 0)"; do
		! cpt shop add --code "$code" --host "$CODE-b.localhost" || { echo "accepted code $code"; exit 1; }
		out_has "--code must be" || exit 1
	done &&
	for host in "a b.localhost" "$CODE-b.localhost:8080" "-x.localhost" ""; do
		! cpt shop add --code "$CODE-b" --host "$host" || { echo "accepted host $host"; exit 1; }
	done &&
	! cpt shop add --code "$CODE-b" --host "$CODE-b.localhost" --locale de &&
	out_has "must be one of: fr, en" && out_has "not added" &&
	! cpt shop add --code "$CODE-b" && out_has "--host is required" &&
	listing >"$TEST_TMP/after" && diff "$TEST_TMP/before" "$TEST_TMP/after" &&
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"$CODE-b\"")" = 0 ]
'

test_expect_success 'a disabled shop answers like an unknown host after the reload' '
	cpt shop disable --code "$CODE" && out_has "$CODE disabled" &&
	grep -qx "enabled: false" "$shops/$CODE.yaml" &&
	cpt shop list && grep -q "^[0-9]*	$CODE	.*(disabled)$" "$TEST_TMP/out" &&
	HOST=$NEW http GET /login && test_status 200 &&
	server_reload &&
	HOST=$NEW http GET /login && test_status 404 && cp "$BODY" "$TEST_TMP/disabled" &&
	HOST=www.$CODE.example http GET /login && test_status 404 &&
	HOST=nobody-$CODE.localhost http GET /login && test_status 404 &&
	cmp "$BODY" "$TEST_TMP/disabled" &&
	body_lacks "$CODE" && body_lacks "isabled" && body_lacks "ésactiv"
'

test_expect_success 'the disabled shop keeps its row, code and hosts: it cannot be added again' '
	[ "$(sql "SELECT COUNT(*) FROM shops WHERE code = \"$CODE\"")" = 1 ] &&
	! cpt shop add --code "$CODE-b" --host "$NEW" && out_has "already used by shop $CODE"
'

test_expect_success 'enable serves it again after the reload' '
	cpt shop enable --code "$CODE" && out_has "$CODE enabled" &&
	! grep -q "^enabled:" "$shops/$CODE.yaml" &&
	server_reload &&
	HOST=$NEW http GET /login && test_status 200 &&
	cpt shop enable --code "$CODE" && out_has "already enabled"
'

test_expect_success 'disable and enable name a shop of the configuration' '
	! cpt shop disable --code nobody && out_has "--code must name a shop" &&
	! cpt shop disable && out_has "--code must name a shop"
'

test_done
