#!/usr/bin/env bash
# comptoir check-config: every mistake reported as file:line:col, nothing started.
. "$(dirname "$0")/../lib/test-lib.sh"

conf=$TEST_TMP/conf
mkdir -p "$conf/shops.d"
cp "$SRC_DIR"/conf/shops.d/*.yaml "$conf/shops.d/"
write_main() {
	cat >"$conf/comptoir.yaml"
}
check() {
	"$CPT_BIN" --config "$conf/comptoir.yaml" check-config >"$TEST_TMP/out" 2>&1
}
out_has() { grep -qF -- "$1" "$TEST_TMP/out" || { echo "output lacks: $1"; cat "$TEST_TMP/out"; return 1; }; }

test_expect_success 'the example configuration of the repository is valid' '
	mkdir -p "$TEST_TMP/example" && cp -R "$SRC_DIR/conf/shops.d" "$TEST_TMP/example/" &&
	sed -e "s|^  # templates: .*|  templates: $SRC_DIR/templates|" \
		-e "s|^  # locale: .*|  locale: $(dirname "$CPT_BIN")/po|" \
		"$SRC_DIR/conf/comptoir.yaml" >"$TEST_TMP/example/comptoir.yaml" &&
	"$CPT_BIN" check-config "$TEST_TMP/example/comptoir.yaml" >"$TEST_TMP/out" 2>&1 &&
	out_has "ok, 2 shops, 4 host names, templates in $SRC_DIR/templates, translations in" &&
	out_has "warning: security.key_file is not set: \`comptoir serve\` will refuse to start"
'

test_expect_success 'with its key file, the example passes without a warning' '
	(umask 077 && openssl rand -hex 32 >"$TEST_TMP/example/secret.key") &&
	sed -i -e "s|^# security:|security:|" -e "s|^  # key_file: .*|  key_file: secret.key|" \
		"$TEST_TMP/example/comptoir.yaml" &&
	"$CPT_BIN" check-config "$TEST_TMP/example/comptoir.yaml" >"$TEST_TMP/out" 2>&1 &&
	out_has "ok, 2 shops" && ! grep -q warning "$TEST_TMP/out"
'

test_expect_success 'the example does not repeat the build'"'"'s paths: they are the defaults' '
	! grep -E "^ *(templates|locale):" "$SRC_DIR/conf/comptoir.yaml" &&
	grep -q "^  # templates: /usr/local/share/comptoir/templates$" "$SRC_DIR/conf/comptoir.yaml" &&
	grep -q "^  # locale: /usr/local/share/locale$" "$SRC_DIR/conf/comptoir.yaml"
'

# A main file whose paths are $1 (templates) and $2 (locale), written on lines 3 and 4.
write_paths() {
	printf "paths:\n  shops: shops.d\n  templates: %s\n  locale: %s\n" "$1" "$2" | write_main
}
po=$(dirname "$CPT_BIN")/po

test_expect_success 'a templates folder that does not exist is reported at its key' '
	write_paths "$TEST_TMP/no-templates" "$po" && ! check &&
	out_has "$conf/comptoir.yaml:3:14: paths.templates '"'"'$TEST_TMP/no-templates'"'"': No such file or directory"
'

test_expect_success 'a locale folder without the French catalogue is an error at its key' '
	mkdir -p "$TEST_TMP/locale/en/LC_MESSAGES" &&
	write_paths "$SRC_DIR/templates" "$TEST_TMP/locale" && ! check &&
	out_has "$conf/comptoir.yaml:4:11: paths.locale '"'"'$TEST_TMP/locale'"'"': no readable fr/LC_MESSAGES/comptoir.mo" &&
	write_paths "$SRC_DIR/templates" "$TEST_TMP/no-locale" && ! check &&
	out_has "$conf/comptoir.yaml:4:11: paths.locale '"'"'$TEST_TMP/no-locale'"'"': No such file or directory" &&
	write_paths "$SRC_DIR/templates" "$SRC_DIR/conf/comptoir.yaml" && ! check &&
	out_has "$conf/comptoir.yaml:4:11: paths.locale '"'"'$SRC_DIR/conf/comptoir.yaml'"'"': not a folder"
'

test_expect_success 'with the French catalogue in it, the locale folder is accepted' '
	mkdir -p "$TEST_TMP/locale/fr/LC_MESSAGES" &&
	cp "$po/fr/LC_MESSAGES/comptoir.mo" "$TEST_TMP/locale/fr/LC_MESSAGES/" &&
	write_paths "$SRC_DIR/templates" "$TEST_TMP/locale" && check && out_has "translations in $TEST_TMP/locale"
'

test_expect_success 'relative paths are taken from the folder of comptoir.yaml' '
	ln -s "$po" "$conf/po" && write_paths "$SRC_DIR/templates" po && check &&
	out_has "translations in $conf/po" && rm "$conf/po"
'

test_expect_success 'a default path that does not exist is named as the default' '
	printf "paths:\n  shops: shops.d\n  locale: %s\n" "$po" | write_main &&
	if [ ! -d /usr/local/share/comptoir/templates ]; then
		! check && out_has "$conf/comptoir.yaml: paths.templates (not set, default '"'"'/usr/local/share/comptoir/templates'"'"'): No such file or directory"
	fi
'

test_expect_success 'a broken template is reported by check-config, file:line:col' '
	cp -R "$SRC_DIR/templates" "$TEST_TMP/templates" &&
	printf "<p>{{#user}}unclosed</p>\n" >"$TEST_TMP/templates/pages/broken.html" &&
	printf "paths:\n  shops: shops.d\n  templates: %s\n" "$TEST_TMP/templates" | write_main &&
	! check && out_has "pages/broken.html:1:4:"
'

test_expect_success 'a YAML syntax error names the file, line and column' '
	printf "server:\n  threads: [1, 2\n" | write_main && ! check &&
	out_has "$conf/comptoir.yaml:3:1:"
'

test_expect_success 'an unknown key is named, with what was expected' '
	printf "server:\n  thraeds: 4\npaths:\n  shops: shops.d\n" | write_main && ! check &&
	out_has "$conf/comptoir.yaml:2:3: unknown key '"'"'thraeds'"'"' in server" &&
	out_has "threads"
'

test_expect_success 'a duplicate key is an error, not a silent override' '
	printf "server:\n  threads: 4\n  threads: 8\npaths:\n  shops: shops.d\n" | write_main && ! check &&
	out_has "$conf/comptoir.yaml:3:3: duplicate key '"'"'threads'"'"'"
'

test_expect_success 'a value of the wrong type says what was expected' '
	printf "server:\n  threads: \"many\"\npaths:\n  shops: shops.d\n" | write_main && ! check &&
	out_has "$conf/comptoir.yaml:2:12:" && out_has "expected an integer"
'

test_expect_success 'an empty file is an error' '
	: | write_main && ! check && out_has "$conf/comptoir.yaml:1:1:"
'

test_expect_success 'anchors and aliases are refused' '
	printf "server: &s\n  threads: 4\ndatabase: *s\npaths:\n  shops: shops.d\n" | write_main && ! check &&
	out_has "alias"
'

test_expect_success 'two shops with the same host name are refused, naming both files' '
	printf "paths:\n  shops: shops.d\n" | write_main &&
	sed "s/^code: .*/code: atelier2/" "$conf/shops.d/atelier.yaml" >"$conf/shops.d/zz-copy.yaml" &&
	! check && out_has "zz-copy.yaml" && out_has "atelier.localhost" && out_has "atelier.yaml" &&
	rm "$conf/shops.d/zz-copy.yaml"
'

test_expect_success 'all the mistakes of a file are reported at once' '
	printf "server:\n  thraeds: 4\n  backlog: -1\nsessions:\n  secure_cookies: maybe\npaths:\n  shops: shops.d\n" | write_main &&
	! check && [ "$(grep -c "comptoir.yaml:[0-9]*:[0-9]*:" "$TEST_TMP/out")" -ge 3 ]
'

test_expect_success 'comptoir serve refuses to start on a bad configuration' '
	printf "server:\n  thraeds: 4\npaths:\n  shops: shops.d\n" | write_main &&
	! "$CPT_BIN" --config "$conf/comptoir.yaml" serve >"$TEST_TMP/out" 2>&1 &&
	out_has "unknown key"
'

test_done
