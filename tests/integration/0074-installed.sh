#!/usr/bin/env bash
# Installed as the README says: ./configure --prefix, make install, then the
# installed binary checks the installed example and, behind the installed
# nginx files, serves French pages. The build is kept in build-install/
# between runs, so only the first run compiles everything.
. "$(dirname "$0")/../lib/test-lib.sh"

bdir=$SRC_DIR/build-install
prefix=$bdir/prefix
bin=$prefix/bin/comptoir
share=$prefix/share/comptoir
sock=$TEST_TMP/serve.sock
ngx=$TEST_TMP/nginx
web=$TEST_TMP/nginx.sock

stop_all() {
	[ -f "$ngx/nginx.pid" ] && kill -QUIT "$(cat "$ngx/nginx.pid")" 2>/dev/null
	[ -f "$TEST_TMP/serve.pid" ] && kill -TERM "$(cat "$TEST_TMP/serve.pid")" 2>/dev/null
	sleep 0.5
}
trap 'stop_all; rm -rf "$TEST_TMP"' EXIT

test_expect_success 'configure --prefix and make install put everything under the prefix' '
	mkdir -p "$bdir/build" && cd "$bdir/build" &&
	if [ ! -f Makefile ] || [ "$SRC_DIR/configure" -nt Makefile ]; then
		"$SRC_DIR/configure" --quiet --prefix="$prefix" CFLAGS="-O0" >/dev/null
	fi &&
	rm -rf "$prefix" && make -s -j"$(nproc)" install >"$TEST_TMP/make.log" 2>&1 ||
		{ tail -n 30 "$TEST_TMP/make.log"; exit 1; }
	[ -x "$bin" ] && [ -f "$share/templates/pages/login.html" ] &&
	[ -f "$prefix/share/locale/fr/LC_MESSAGES/comptoir.mo" ] &&
	[ -f "$share/nginx/comptoir.conf" ] && [ -f "$share/nginx/comptoir-http.conf" ] &&
	[ -f "$share/conf/comptoir.yaml" ] && [ -f "$share/conf/shops.d/atelier.yaml" ]
'

test_expect_success 'the installed files carry the installed paths, never /usr/share or a placeholder' '
	! grep -n "/usr/share\|/usr/local\|@COMPTOIR" "$share/conf/comptoir.yaml" "$share/nginx/"*.conf &&
	grep -q "^  # templates: $share/templates$" "$share/conf/comptoir.yaml" &&
	grep -q "^  # locale: $prefix/share/locale$" "$share/conf/comptoir.yaml" &&
	grep -q "alias $share/www/;" "$share/nginx/comptoir.conf" &&
	"$bin" --help | grep -qF "$prefix/etc/comptoir/comptoir.yaml"
'

test_expect_success 'make install puts comptoir.yaml and shops.d/ under etc, and never overwrites them' '
	etc=$prefix/etc/comptoir &&
	cmp "$share/conf/comptoir.yaml" "$etc/comptoir.yaml" && [ -d "$etc/shops.d" ] &&
	[ -d "$prefix/lib/comptoir/plugins" ] &&
	echo "# edited" >>"$etc/comptoir.yaml" && cp "$etc/comptoir.yaml" "$TEST_TMP/edited.yaml" &&
	make -s -C "$bdir/build" install >"$TEST_TMP/make.log" 2>&1 && cmp "$TEST_TMP/edited.yaml" "$etc/comptoir.yaml" ||
		{ tail -n 30 "$TEST_TMP/make.log"; exit 1; }
'

test_expect_success 'make install puts the systemd units under the prefix, with its paths' '
	units=$prefix/lib/systemd/system &&
	grep -qx "ExecStart=$bin --config $prefix/etc/comptoir/comptoir.yaml serve" "$units/comptoir.service" &&
	grep -qx "ExecStart=$bin --config $prefix/etc/comptoir/comptoir.yaml work" "$units/comptoir-work.service" &&
	grep -qx "ListenStream=/run/comptoir/comptoir.sock" "$units/comptoir.socket" &&
	! grep -n "@[a-z]*@" "$units"/comptoir* &&
	if command -v systemd-analyze >/dev/null; then
		systemd-analyze verify "$units/comptoir.socket" "$units/comptoir.service" \
			"$units/comptoir-work.service" >"$TEST_TMP/verify" 2>&1
		! grep -v "^$" "$TEST_TMP/verify" || exit 1
	fi
'

test_expect_success 'the installed comptoir check-config passes the installed example' '
	"$bin" check-config "$share/conf/comptoir.yaml" >"$TEST_TMP/out" 2>&1 ||
		{ cat "$TEST_TMP/out"; exit 1; }
	grep -qF "ok, 2 shops, 4 host names, templates in $share/templates, translations in $prefix/share/locale" "$TEST_TMP/out" ||
		{ cat "$TEST_TMP/out"; exit 1; }
'

# The installed example, pointed at this test's socket and the stack's
# database; templates and translations stay at their defaults.
mkdir -p "$TEST_TMP/etc"
cp -R "$share/conf/shops.d" "$TEST_TMP/etc/"
sed -e "s|^  socket: /run/comptoir/comptoir.sock|  socket: $sock|" \
	-e "s|^  socket: /run/mysqld/mysqld.sock|  socket: $CPT_MYSQL_SOCK|" \
	-e "s|^  password: \"\"|  password: $(sed -n 's/^  password: //p' "$CPT_CONFIG")|" \
	"$share/conf/comptoir.yaml" >"$TEST_TMP/etc/comptoir.yaml"
# The host's secret, made as the README's deployment steps say.
(umask 077 && openssl rand -hex 32 >"$TEST_TMP/etc/secret.key")
printf 'security:\n  key_file: %s\n' "$TEST_TMP/etc/secret.key" >>"$TEST_TMP/etc/comptoir.yaml"

test_expect_success 'the installed binary and nginx files serve the login page in French' '
	"$bin" --config "$TEST_TMP/etc/comptoir.yaml" serve >"$TEST_TMP/serve.log" 2>&1 &
	echo $! >"$TEST_TMP/serve.pid" &&
	for i in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done &&
	[ -S "$sock" ] || { cat "$TEST_TMP/serve.log"; exit 1; }
	mkdir -p "$ngx/tmp" &&
	sed "s|unix:/run/comptoir/comptoir.sock|unix:$sock|" "$share/nginx/comptoir.conf" >"$ngx/comptoir.conf" &&
	user_line= && { [ "$(id -u)" != 0 ] || user_line="user root root;"; } &&
	cat >"$ngx/nginx.conf" <<-NGINX &&
	$user_line
	worker_processes 1;
	pid $ngx/nginx.pid;
	error_log $ngx/error.log warn;
	events { worker_connections 64; }
	http {
	    include /etc/nginx/mime.types;
	    access_log off;
	    client_body_temp_path $ngx/tmp/body;
	    fastcgi_temp_path $ngx/tmp/fastcgi;
	    include $share/nginx/comptoir-http.conf;
	    server {
	        listen unix:$web;
	        include $ngx/comptoir.conf;
	    }
	}
	NGINX
	nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" || { cat "$ngx/error.log"; exit 1; }
	for i in $(seq 1 50); do [ -S "$web" ] && break; sleep 0.1; done &&
	STATUS=$(curl -s -o "$BODY" -D "$HEADERS" -w "%{http_code}" --unix-socket "$web" \
		-H "Host: atelier.localhost" http://shop/login) &&
	test_status 200 && body_has "Mot de passe" && body_has "Se connecter" && body_lacks ">Password<" &&
	STATUS=$(curl -s -o "$BODY" -w "%{http_code}" --unix-socket "$web" -H "Host: atelier.localhost" http://shop/static/comptoir.css) &&
	test_status 200
'

test_expect_success 'the installed nginx files say no version and need no fastcgi_params' '
	curl -s -D "$HEADERS" -o /dev/null --unix-socket "$web" -H "Host: atelier.localhost" http://shop/login &&
	grep -qx "Server: nginx$(printf "\r")" "$HEADERS" && [ ! -e "$ngx/fastcgi_params" ] ||
		{ cat "$HEADERS"; exit 1; }
'

test_done
