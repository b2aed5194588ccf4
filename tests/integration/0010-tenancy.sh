#!/usr/bin/env bash
# Which shop a request belongs to comes from its host name, and nothing else.
. "$(dirname "$0")/../lib/test-lib.sh"

test_expect_success 'an unknown host gets a plain 404 that names no shop' '
	HOST=unknown.localhost http GET /login &&
	test_status 404 &&
	body_lacks "Atelier" && body_lacks "Cave" && body_lacks "csrf"
'

test_expect_success 'a known host is served in French by default' '
	http GET /login && test_status 200 &&
	body_has "<html lang=\"fr\">" &&
	body_has "Atelier Dupont Impression" &&
	body_has "Adresse e-mail" && body_has "Mot de passe"
'

test_expect_success 'host names match whatever their case and port' '
	HOST=CAVE.Localhost:18080 http GET /login && test_status 200 &&
	body_has "Cave des Coteaux" && body_lacks "Atelier"
'

test_expect_success 'every response carries the security headers' '
	http GET /login &&
	header_has "^Content-Security-Policy: default-src .self.; script-src .self.;" &&
	header_has "frame-ancestors .none." &&
	header_has "^X-Frame-Options: DENY" &&
	header_has "^X-Content-Type-Options: nosniff" &&
	header_has "^Referrer-Policy: same-origin" &&
	HOST=nobody.localhost http GET / && header_has "^X-Frame-Options: DENY"
'

test_expect_success 'no inline script or style in the pages (the CSP forbids them)' '
	http GET /login && body_lacks "<script>" && body_lacks "style=" && body_lacks "<style"
'

test_expect_success 'static files are served by nginx, not the application' '
	http GET /static/comptoir.css && test_status 200 &&
	header_has "^Content-Type: text/css" && body_has ":root" &&
	! grep -q "/static/" "$CPT_STACK_DIR/log/comptoir.log"
'

test_expect_success 'an unknown page of a known shop is a 404 in French' '
	http GET /no/such/page && test_status 404 && body_has "Cette page n’existe pas."
'

test_expect_success 'a wrong method on a known page is a 405' '
	http DELETE /login && test_status 405 && header_has "^Allow:"
'

test_expect_success 'the liveness probe answers without a session' '
	http GET /_ping && test_status 200 && body_has "ok"
'

test_expect_success 'the dashboard sends a visitor without a session to the login page' '
	http GET / && test_status 303 && header_has "^Location: /login"
'

test_expect_success 'a deep link survives the trip through the login page' '
	http GET "/search?q=dupont" && test_status 303 &&
	header_has "^Location: /login?next=%2Fsearch%3Fq%3Ddupont"
'

test_done
