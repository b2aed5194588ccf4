/* Unit tests of the small pieces: buf, arena, URL and cookie parsing, the
 * router, tokens, e-mail and role checks. */
#include <limits.h>
#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/staff.h"
#include "auth/token.h"
#include "db/db.h"
#include "http/request.h"
#include "http/router.h"
#include "pages/page.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "tpl/tpl.h"
#include "util/problems.h"
#include "util/utf8.h"
#include "tap.h"

static void
test_buf(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 16);
	is_str(buf_str(&b), "", "an empty buf reads as \"\"");
	buf_puts(&b, "0123456789");
	buf_printf(&b, "%d", 42);
	is_str(buf_str(&b), "012345678942", "appends and printf accumulate");
	buf_puts(&b, "abcdefgh");
	ok(buf_failed(&b), "an append past max marks the buf failed");
	is_int((long long)b.len, 12, "a failed append leaves the contents as they were");
	buf_reset(&b);
	ok(!buf_failed(&b) && b.len == 0, "reset clears the failure and the contents");
	buf_free(&b);
	buf_init(&b, 0);
	buf_html(&b, "<a href=\"x\">&'", 14);
	is_str(buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;", "HTML escaping of the five characters");
	buf_free(&b);

	buf_init(&b, 0);
	buf_html(&b, "plain, then \"'<>& at the end", 29);
	is_str(buf_str(&b), "plain, then &quot;&#39;&lt;&gt;&amp; at the end", "escapes in a row, text around them");
	buf_free(&b);

	/* printf into the room left, then again once grown; up to max. */
	buf_init(&b, 400);
	buf_puts(&b, "x");
	buf_printf(&b, "%s", "");
	is_int((long long)b.len, 1, "an empty printf appends nothing");
	for (i = 0; i < 30; i++)
		buf_printf(&b, "%010zu", i);
	ok(!buf_failed(&b) && b.len == 301 && b.cap > 256 && memcmp(b.data + 241, "0000000024", 10) == 0 &&
	    memcmp(b.data + 291, "0000000029", 11) == 0, "printf goes on past the first 256 bytes, the NUL after it");
	buf_printf(&b, "%0150d", 7);
	ok(buf_failed(&b) && b.len == 301 && b.data[301] == '\0', "a printf past max fails and leaves the rest as it was");
	buf_free(&b);
	buf_init(&b, 0);
	for (i = 0; i < 7; i++)
		buf_put_ll(&b, (long long[]){ 0, 7, -7, 1234567890123LL, LLONG_MAX, LLONG_MIN, -10 }[i]), buf_putc(&b, ' ');
	is_str(buf_str(&b), "0 7 -7 1234567890123 9223372036854775807 -9223372036854775808 -10 ",
	    "buf_put_ll writes what %%lld would");
	buf_free(&b);

	buf_init(&b, 0);
	buf_urlencode(&b, "/a b?é&", 8);
	is_str(buf_str(&b), "%2Fa%20b%3F%C3%A9%26", "URL encoding of reserved and UTF-8 bytes");
	buf_free(&b);
}

static void
test_arena(void)
{
	struct arena a;
	char *p, *big;
	size_t i;

	arena_init(&a, 64);
	p = arena_strdup(&a, "bonjour");
	big = arena_alloc(&a, 1000);
	ok(big != NULL && big[0] == 0 && big[999] == 0, "a large allocation is zeroed");
	is_str(p, "bonjour", "earlier allocations survive a new block");
	for (i = 0; i < 100; i++)
		p = arena_printf(&a, "%zu", i);
	is_str(p, "99", "printf into the room of a block");
	p = arena_printf(&a, "%s", "");
	big = arena_printf(&a, "%060d", 5);
	ok(*p == '\0' && strlen(big) == 60 && big[59] == '5', "and past it, into a new one");
	ok(((uintptr_t)arena_alloc(&a, 8) % _Alignof(max_align_t)) == 0, "allocations are aligned");
	/* Formats of text and %s only are joined without vsnprintf: the same
	 * text, "%%" and glibc's "(null)" included, in and past a block. */
	{
		static const char *const fmts[] = { "%s", "", "/orders/%s", "a%sb%%c%s", "%%s%s%%", "100%%" };
		const char *null = NULL;
		char want[256];
		bool same = true;

		for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-overflow"
			snprintf(want, sizeof(want), fmts[i], "Hélène", "x");
			p = arena_printf(&a, fmts[i], "Hélène", "x");
#pragma GCC diagnostic pop
			if (strcmp(p, want) != 0) {
				diag("format \"%s\": \"%s\", wanted \"%s\"", fmts[i], p, want);
				same = false;
			}
		}
		ok(same, "text and %%s formats: what vsnprintf writes");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
		snprintf(want, sizeof(want), "<%s>", null);
		is_str(arena_printf(&a, "<%s>", null), want, "a NULL string as glibc prints it");
#pragma GCC diagnostic pop
		memset(want, 'z', 200);
		want[200] = 0;
		p = arena_printf(&a, "%s-%s", want, want);
		ok(strlen(p) == 401 && p[200] == '-' && p[400] == 'z', "joined strings past a block's room");
		is_str(arena_printf(&a, "%s %d%%", "n", 5), "n 5%", "any other conversion: vsnprintf");
	}
	arena_reset(&a);
	p = arena_strdup(&a, "encore");
	is_str(p, "encore", "the arena serves again after reset");
	arena_free(&a);
}

/* db_ll reads a column of digits itself: what strtoll reads, for every
 * shape MariaDB may send and some it does not. */
static void
test_db_ll(void)
{
	static const char *const texts[] = { "0", "7", "123", "-5", "+4", "007", "999999999999999999",
		"1000000000000000000", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "",
		"12a", " 3", "2.5" };
	enum { n = sizeof(texts) / sizeof(texts[0]) };
	char *vals[n];
	size_t i;
	struct db_row row = { .col = vals };
	struct db_result res = { .nrows = 1, .ncols = n, .rows = &row };
	bool same = true;

	for (i = 0; i < n; i++)
		vals[i] = (char *)texts[i];   /* db_row holds them as the client library does */
	for (i = 0; i < n; i++)
		if (db_ll(&res, 0, i) != strtoll(vals[i], NULL, 10)) {
			diag("db_ll(\"%s\") = %lld, strtoll %lld", vals[i], db_ll(&res, 0, i), strtoll(vals[i], NULL, 10));
			same = false;
		}
	ok(same, "db_ll reads what strtoll reads");
	vals[0] = NULL;
	is_int(db_ll(&res, 0, 0), 0, "db_ll of NULL is 0");
}

static void
test_parsing(void)
{
	struct arena a;
	struct kvlist l = { 0 }, c = { 0 };
	size_t len;
	char *s;

	arena_init(&a, 0);
	kv_parse_urlencoded(&a, &l, "email=h%C3%A9l%C3%A8ne%40ex.fr&q=a+b&empty=&flag&bad=%zz&x=1", 60);
	is_str(kv_get(&l, "email"), "hélène@ex.fr", "percent-decoding of UTF-8 form values");
	is_str(kv_get(&l, "q"), "a b", "'+' is a space in forms");
	is_str(kv_get(&l, "empty"), "", "an empty value is kept");
	is_str(kv_get(&l, "flag"), "", "a key without '=' has an empty value");
	ok(kv_get(&l, "bad") == NULL, "a pair with a bad escape is dropped");
	is_str(kv_get(&l, "x"), "1", "pairs after a bad one still parse");
	ok(url_decode(&a, "a%00b", 5, false, &len) == NULL, "an encoded NUL byte is refused");
	ok(url_decode(&a, "abc%4", 5, false, &len) == NULL, "a truncated escape is refused");
	s = url_decode(&a, "a+b%2F", 6, false, &len);
	is_str(s, "a+b/", "paths keep '+' as it is");

	kv_parse_cookies(&a, &c, "cpt_session=abc; theme=\"dark\";other=1");
	is_str(kv_get(&c, "cpt_session"), "abc", "first cookie");
	is_str(kv_get(&c, "theme"), "dark", "quoted cookie value unquoted");
	is_str(kv_get(&c, "other"), "1", "cookie without space after ';'");
	arena_free(&a);
}

static void
test_router(void)
{
	const struct route *r;
	struct route_args arg;
	int status = 0;

	r = router_match("GET", "/login", &arg, &status);
	ok(r && r->handler == login_get, "GET /login routes to the login page");
	r = router_match("HEAD", "/login", &arg, &status);
	ok(r && r->handler == login_get, "HEAD is served as GET");
	r = router_match("DELETE", "/login", &arg, &status);
	ok(!r && status == 405, "another method on a known path is 405");
	r = router_match("GET", "/nowhere", &arg, &status);
	ok(!r && status == 404, "an unknown path is 404");
	r = router_match("GET", "/", &arg, &status);
	ok(r && r->access == ROUTE_STAFF, "the dashboard needs a session");

	/* Parameters anywhere in the path, whole segments only. */
	r = router_match("GET", "/orders/K7QM4TZP", &arg, &status);
	ok(r && r->handler == order_get && arg.n == 1 && arg.v[0].len == 8 &&
	    strncmp(arg.v[0].s, "K7QM4TZP", 8) == 0, "/orders/{} hands over the code");
	r = router_match("POST", "/orders/K7QM4TZP/notes", &arg, &status);
	ok(r && r->handler == order_note_post && arg.n == 1 && arg.v[0].len == 8,
	    "a parameter in the middle of the path: /orders/{}/notes");
	r = router_match("POST", "/orders/K7QM4TZP/reference", &arg, &status);
	ok(r && r->handler == order_reference_post, "/orders/{}/reference");
	r = router_match("GET", "/orders/K7QM4TZP/notes", &arg, &status);
	ok(!r && status == 405, "GET on the notes' path is 405");
	r = router_match("GET", "/orders/K7QM4TZP/notesx", &arg, &status);
	ok(!r && status == 404, "a longer last segment matches nothing");
	r = router_match("POST", "/orders//notes", &arg, &status);
	ok(!r && status == 404 && arg.n == 0, "an empty segment is no parameter");
	r = router_match("GET", "/orders/", &arg, &status);
	ok(!r && status == 404, "/orders/ with no code is 404");
	r = router_match("GET", "/orders/A/B", &arg, &status);
	ok(!r && status == 404, "two segments are not one parameter");
	r = router_match("GET", "/loginx", &arg, &status);
	ok(!r && status == 404, "a path that only starts like a route is 404");
	r = router_match("GET", "/login/", &arg, &status);
	ok(!r && status == 404, "a trailing slash is another path");
}

/* datetime_format as it was written with snprintf, from the public
 * pieces; the one without printf must write the same bytes. */
static void
datetime_format_printf(char *out, size_t size, const char *iso_utc, const char *tz, const char *lang)
{
	static const char *const month[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long long utc;
	time_t local;
	struct tm tm;

	datetime_parse_utc(iso_utc, &utc);
	local = (time_t)(utc + datetime_offset(tz, utc, NULL));
	gmtime_r(&local, &tm);
	if (lang && strcmp(lang, "en") == 0)
		snprintf(out, size, "%u %s %lld, %02u:%02u", (unsigned)tm.tm_mday, month[tm.tm_mon],
		    (long long)tm.tm_year + 1900, (unsigned)tm.tm_hour, (unsigned)tm.tm_min);
	else
		snprintf(out, size, "%02u/%02u/%lld %02u:%02u", (unsigned)tm.tm_mday, (unsigned)tm.tm_mon + 1,
		    (long long)tm.tm_year + 1900, (unsigned)tm.tm_hour, (unsigned)tm.tm_min);
}

static void
test_datetime_as_printf(void)
{
	static const char *const tz[] = { "Europe/Paris", "Europe/London", "UTC", "Europe/Athens", "Mars/Olympus" };
	char iso[96], got[48], want[48];
	size_t i, size, bad = 0;
	unsigned long long x = 88172645463325252ULL;

	for (i = 0; i < 20000; i++) {
		time_t t;
		struct tm tm;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		t = (time_t)(x % 253402300799ULL);   /* 1970 to 9999 */
		gmtime_r(&t, &tm);
		snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(x % 1000000));
		size = i % 7 == 0 ? (size_t)(x % 20) + 1 : sizeof(got);
		memset(got, 'x', sizeof(got));
		memset(want, 'x', sizeof(want));
		datetime_format(got, size, iso, tz[i % 5], i % 2 ? "en" : "fr");
		datetime_format_printf(want, size, iso, tz[i % 5], i % 2 ? "en" : "fr");
		if (memcmp(got, want, sizeof(got)) != 0 && bad++ < 3)
			diag("%s %s in %zu bytes: \"%s\", printf: \"%s\"", iso, tz[i % 5], size, got, want);
	}
	is_int((long long)bad, 0, "datetime_format writes what its printf version wrote, cut short as it was");
}

static void
test_datetime(void)
{
	char s[64];
	long long t;

	datetime_format(s, sizeof(s), "2026-12-01T13:05:09.123456Z", "Europe/Paris", "fr");
	is_str(s, "01/12/2026 14:05", "French: day/month/year, 24 h, Paris in winter is UTC+1");
	datetime_format(s, sizeof(s), "2026-12-01T13:05:09.123456Z", "Europe/Paris", "en");
	is_str(s, "1 Dec 2026, 14:05", "English");
	datetime_format(s, sizeof(s), "2026-07-14T22:30:00Z", "Europe/Paris", "fr");
	is_str(s, "15/07/2026 00:30", "summer time is UTC+2, and the date turns");
	/* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC. */
	datetime_format(s, sizeof(s), "2026-03-29T00:59:00Z", "Europe/Paris", "fr");
	is_str(s, "29/03/2026 01:59", "a minute before the change, still winter time");
	datetime_format(s, sizeof(s), "2026-03-29T01:00:00Z", "Europe/Paris", "fr");
	is_str(s, "29/03/2026 03:00", "at the change, summer time");
	datetime_format(s, sizeof(s), "2026-10-25T00:59:00Z", "Europe/Paris", "fr");
	is_str(s, "25/10/2026 02:59", "the last minute of summer time");
	datetime_format(s, sizeof(s), "2026-10-25T01:00:00Z", "Europe/Paris", "fr");
	is_str(s, "25/10/2026 02:00", "back to winter time");
	datetime_format(s, sizeof(s), "2026-07-14T22:30:00Z", "Europe/London", "fr");
	is_str(s, "14/07/2026 23:30", "London in summer is UTC+1");
	datetime_format(s, sizeof(s), "2026-07-14T22:30:00Z", "America/Nowhere", "fr");
	is_str(s, "14/07/2026 22:30", "an unknown zone shows UTC");
	ok(datetime_format(s, sizeof(s), "yesterday", "Europe/Paris", "fr") == -1 &&
	    strcmp(s, "yesterday") == 0, "an unreadable time is shown as it is");
	ok(datetime_parse_utc("2024-02-29 23:59:59", &t) == 0 && t == 1709251199LL,
	    "a leap day, with a space instead of T");
	ok(datetime_parse_utc("2026-13-01T00:00", &t) == -1, "month 13 is refused");
}

static void
test_tokens(void)
{
	char t1[TOKEN_LEN + 1], t2[TOKEN_LEN + 1];
	unsigned char h1[TOKEN_HASH_LEN], h2[TOKEN_HASH_LEN];

	token_new(t1);
	token_new(t2);
	ok(token_valid(t1) && strlen(t1) == TOKEN_LEN, "a new token is 43 base64url characters");
	ok(strcmp(t1, t2) != 0, "two tokens differ");
	ok(!token_valid("short") && !token_valid(NULL), "short or missing tokens are invalid");
	ok(!token_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+"), "'+' is not base64url");
	token_hash(t1, h1);
	token_hash(t1, h2);
	ok(memcmp(h1, h2, sizeof(h1)) == 0, "hashing is deterministic");
	token_hash(t2, h2);
	ok(memcmp(h1, h2, sizeof(h1)) != 0, "different tokens hash differently");
	ok(token_equal(t1, t1) && !token_equal(t1, t2), "constant-time equality");
	ok(!token_equal("", "") && !token_equal(NULL, t1), "empty or missing never equal");
}

static void
test_staff_rules(void)
{
	enum staff_role role;

	ok(email_valid("owner@atelier.example"), "a plain address is valid");
	ok(!email_valid("owner@atelier") && !email_valid("@x.fr") && !email_valid("a b@x.fr") &&
	    !email_valid("a@@x.fr") && !email_valid("a@x.") && !email_valid(NULL),
	    "malformed addresses are refused");
	ok(staff_role_parse("picker", &role) && role == ROLE_PICKER, "role names parse");
	ok(!staff_role_parse("admin", &role), "unknown roles are refused");
	is_str(staff_role_name(ROLE_OWNER), "owner", "role names print");
	ok(page_local_path("/orders?x=1") && !page_local_path("//evil.example") &&
	    !page_local_path("https://evil.example") && !page_local_path("/\\evil"),
	    "only local paths are accepted as a redirect target");
}

static void
test_utf8(void)
{
	/* 'é' is C3 A9, '€' E2 82 AC, U+1F600 F0 9F 98 80. */
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	char small[5], name[121], longname[242];
	struct buf b;
	size_t i;

	ok(utf8_valid(s, strlen(s)), "well-formed text of 1- to 4-byte characters is valid");
	ok(!utf8_valid("\xc3", 1) && !utf8_valid("\xa9", 1) && !utf8_valid("\xc0\xaf", 2) &&
	    !utf8_valid("\xed\xa0\x80", 3) && !utf8_valid("\xf4\x90\x80\x80", 4) &&
	    !utf8_valid("\xe0\x80\xaf", 3) && !utf8_valid("\xff", 1),
	    "half a character, a lone continuation, overlongs, surrogates, > U+10FFFF and FF are not");
	is_int((long long)utf8_cut(s, 100), 10, "text that fits is not cut");
	is_int((long long)utf8_cut(s, 2), 1, "a cut inside 'é' goes back before it");
	is_int((long long)utf8_cut(s, 3), 3, "a cut after 'é' keeps it");
	is_int((long long)utf8_cut(s, 5), 3, "a cut inside '€' goes back before it");
	is_int((long long)utf8_cut(s, 9), 6, "a cut inside a 4-byte character goes back before it");
	is_int((long long)utf8_cut(s, 0), 0, "a budget of 0 bytes keeps nothing");
	is_int((long long)utf8_cut("a\xff" "b", 2), 2, "an ill-formed byte counts as one byte");
	is_int((long long)utf8_chars("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 4, "utf8_chars counts characters, not bytes");
	utf8_copy(small, sizeof(small), s);
	is_str(small, "a\xc3\xa9", "utf8_copy cuts to its buffer without splitting '\xe2\x82\xac'");
	/* The session cache keeps 120 bytes of a display name: "a" + 120 x 'é'. */
	longname[0] = 'a';
	for (i = 0; i < 120; i++)
		memcpy(longname + 1 + 2 * i, "\xc3\xa9", 2);
	longname[241] = '\0';
	utf8_copy(name, sizeof(name), longname);
	ok(utf8_valid(name, strlen(name)) && strlen(name) == 119,
	    "'a' and 120 x e-acute into 121 bytes: 'a' and 59 whole characters, valid");
	buf_init(&b, 0);
	utf8_append_clean(&b, "ok \xc3 \xe2\x82 \xff!", 11);
	is_str(buf_str(&b), "ok \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd!",
	    "every ill-formed byte becomes U+FFFD");
	ok(utf8_valid(b.data, b.len), "and what is appended is valid");
	buf_free(&b);
}

static void
test_problems_text(void)
{
	struct problems pb;
	struct problem *p;
	struct arena a;
	char sku[601];
	size_t i;

	arena_init(&a, 0);
	problems_init(&pb, &a);
	for (i = 0; i < 300; i++)
		memcpy(sku + 2 * i, "\xc3\xa9", 2);
	sku[600] = '\0';
	p = problems_add(&pb, "/lines/0/sku", "no product '%s'", sku);
	ok(strlen(p->detail) <= PROBLEM_DETAIL_MAX && strlen(p->detail) > 500 &&
	    utf8_valid(p->detail, strlen(p->detail)), "a detail past 512 bytes is cut between characters");
	p = problems_add(&pb, "", "invalid near '%s'", "\"\\\xc3");
	is_str(p->detail, "invalid near '\"\\\xef\xbf\xbd'", "half a character in a detail becomes U+FFFD");
	is_int((long long)pb.n, 2, "both kept");
	arena_free(&a);
}

static void
test_log_escape(void)
{
	char out[64], tiny[7];

	log_escape(out, sizeof(out), "login failed for a@x.fr\n2026-12-01 comptoir info: forged");
	is_str(out, "login failed for a@x.fr\\n2026-12-01 comptoir info: forged",
	    "a line feed in a message is written as \\n: one event, one line");
	log_escape(out, sizeof(out), "\r\t\x01\x7f\\");
	is_str(out, "\\r\\t\\x01\\x7f\\\\", "CR, tab, other controls, DEL and the backslash are escaped");
	log_escape(out, sizeof(out), "h\xc3\xa9 \xc3 \xc2\x85 \xe2\x80\xa8");
	is_str(out, "h\xc3\xa9 \\xc3 \\xc2\\x85 \\xe2\\x80\\xa8",
	    "valid UTF-8 stays; half a character, NEL and U+2028 are escaped");
	log_escape(tiny, sizeof(tiny), "abcd\nef");
	is_str(tiny, "abcd\\n", "an escape that does not fit is left out whole");
	log_escape(tiny, sizeof(tiny), "abcde\nf");
	is_str(tiny, "abcde", "never half an escape");
}

/* ---- i18n: the cache must answer what gettext answers ---- */

#define I18N_MAX 2048
static char *msgids[I18N_MAX];
static const char *want_fr[I18N_MAX], *want_en[I18N_MAX];
static size_t nmsgids;

/* The one-line msgids of po/fr.po, found beside the fixtures' tests/unit/
 * (a folder that need not exist: test_util has no fixtures). */
static void
read_msgids(const char *fixtures)
{
	char path[4096], line[4096];
	const char *unit = strstr(fixtures, "tests/unit/");
	FILE *f;

	snprintf(path, sizeof(path), "%.*spo/fr.po", unit ? (int)(unit - fixtures) : 0, fixtures);
	if (!(f = fopen(path, "r"))) {
		diag("cannot open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), f) && nmsgids < I18N_MAX) {
		size_t n = strlen(line);

		if (strncmp(line, "msgid \"", 7) != 0 || n < 10 || line[n - 2] != '"' || strchr(line + 7, '\\'))
			continue;
		line[n - 2] = '\0';
		if (line[7])
			msgids[nmsgids++] = strdup(line + 7);
	}
	fclose(f);
}

/* What gettext itself says for every msgid, in `lang`. */
static void
gettext_says(const char *lang, const char **want)
{
	size_t i;

	i18n_use(lang);
	for (i = 0; i < nmsgids; i++)
		want[i] = dgettext("comptoir", msgids[i]);
}

static void *
i18n_thread(void *arg)
{
	size_t i, k, seed = (size_t)(uintptr_t)arg, bad = 0;

	for (k = 0; k < 200; k++) {
		bool en = (k + seed) % 2;

		i18n_use(en ? "en" : "fr");
		for (i = 0; i < nmsgids; i++)
			if (strcmp(_(msgids[(i * 7 + seed) % nmsgids]), (en ? want_en : want_fr)[(i * 7 + seed) % nmsgids]))
				bad++;
	}
	return (void *)(uintptr_t)bad;
}

static void *
i18n_unset_thread(void *arg)
{
	(void)arg;
	return (void *)_("Dashboard");
}

/* {{_ }} translated at load must render what i18n_text() says, escaped
 * for HTML in a page and not in a text e-mail. */
static void
test_i18n_templates(void)
{
	static const char src[] = "{{_ Log out}}|{{_ Say \"<&>\" twice}}|{{_ Password}}";
	char dir[] = "/tmp/cpt-test-i18n-XXXXXX", path[64];
	struct tpl_set *set = NULL;
	struct buf out, err, want;
	const char *lang[] = { "fr", "en" };
	FILE *f;
	size_t i, k;

	buf_init(&err, 0);
	ok(mkdtemp(dir) != NULL, "a folder for two templates");
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, k ? "t.txt" : "h.html");
		if ((f = fopen(path, "w"))) {
			fputs(src, f);
			fclose(f);
		}
	}
	ok(tpl_set_load(dir, &set, &err) == 0, "they load %s", buf_str(&err));
	for (i = 0; set && i < 2; i++) {
		i18n_use(lang[i]);
		for (k = 0; k < 2; k++) {
			buf_init(&out, 0);
			buf_init(&want, 0);
			tpl_render(set, k ? "t" : "h", NULL, &out);
			if (k) {
				buf_printf(&want, "%s|%s|%s", dgettext("comptoir", "Log out"),
				    dgettext("comptoir", "Say \"<&>\" twice"), dgettext("comptoir", "Password"));
			} else {
				buf_puts(&want, dgettext("comptoir", "Log out"));
				buf_puts(&want, "|Say &quot;&lt;&amp;&gt;&quot; twice|");
				buf_puts(&want, dgettext("comptoir", "Password"));
			}
			is_str(buf_str(&out), buf_str(&want), "{{_ }} in %s, %s", lang[i], k ? "text" : "HTML");
			buf_free(&out);
			buf_free(&want);
		}
	}
	i18n_use("fr");
	buf_init(&out, 0);
	if (set)
		tpl_render(set, "h", NULL, &out);
	like(buf_str(&out), "Se déconnecter|", "the French of a page is French");
	buf_free(&out);
	tpl_set_free(set);
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, k ? "t.txt" : "h.html");
		unlink(path);
	}
	rmdir(dir);
	buf_free(&err);
}

static void
test_i18n(const char *fixtures)
{
	char text[64];
	const char *kept;
	pthread_t t[4], u;
	size_t i, bad = 0;
	void *r;

	read_msgids(fixtures);
	ok(nmsgids > 100, "po/fr.po has its msgids (%zu)", nmsgids);
	/* make check runs in the build folder, where po/LANG/LC_MESSAGES is. */
	i18n_init("po");
	gettext_says("en", want_en);
	gettext_says("fr", want_fr);
	is_str(_("Dashboard"), "Tableau de bord", "a French thread reads French");
	for (i = 0; i < nmsgids; i++)
		if (strcmp(_(msgids[i]), want_fr[i]) || _(msgids[i]) != _(msgids[i]))
			bad++;
	is_int((long long)bad, 0, "every msgid in French is what gettext says, once looked up");
	i18n_use("en");
	is_str(_("Dashboard"), "Dashboard", "an English thread reads English, the French cached beside");
	for (i = 0, bad = 0; i < nmsgids; i++)
		if (strcmp(_(msgids[i]), want_en[i]))
			bad++;
	is_int((long long)bad, 0, "every msgid in English is what gettext says");

	/* Keyed by the text, not its address: a template reloaded may put
	 * another msgid where one was. */
	i18n_use("fr");
	memcpy(text, "Log out", 8);
	is_str(_(text), "Se déconnecter", "a msgid in a buffer");
	memcpy(text, "Password", 9);
	is_str(_(text), "Mot de passe", "another msgid at the same address");
	memcpy(text, "Not a msgid 1", 14);
	kept = _(text);
	memcpy(text, "Not a msgid 2", 14);
	is_str(kept, "Not a msgid 1", "an untranslated text outlives its msgid's buffer");
	is_str(_(text), "Not a msgid 2", "and the next one at that address is its own");

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, i18n_thread, (void *)(uintptr_t)i);
	for (i = 0, bad = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		bad += (size_t)(uintptr_t)r;
	}
	is_int((long long)bad, 0, "four threads in both languages at once read what gettext says");
	/* A thread that never chose its language has gettext's own answer
	 * (the process's C locale: English), not a French thread's cache. */
	pthread_create(&u, NULL, i18n_unset_thread, NULL);
	pthread_join(u, &r);
	is_str(r, "Dashboard", "a thread without i18n_use() gets gettext's answer");
	test_i18n_templates();
	i18n_done();
	for (i = 0; i < nmsgids; i++)
		free(msgids[i]);
}

int
main(int argc, char **argv)
{
	test_buf();
	test_arena();
	test_db_ll();
	test_parsing();
	test_router();
	test_datetime();
	test_datetime_as_printf();
	test_tokens();
	test_staff_rules();
	test_utf8();
	test_log_escape();
	test_problems_text();
	test_i18n(argc > 1 ? argv[1] : "");
	return done_testing();
}
