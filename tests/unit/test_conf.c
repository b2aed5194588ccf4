/*
 * test_conf: the YAML configuration loader against the fixtures in
 * tests/unit/conf/ (good and bad files) and the shipped example.
 *
 *     test_conf FIXTURE_DIR [EXAMPLE_CONF]
 *
 * FIXTURE_DIR is tests/unit/conf; EXAMPLE_CONF defaults to
 * FIXTURE_DIR/../../../conf/comptoir.yaml. Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf/conf.h"
#include "conf/wf_def.h"
#include "tap.h"

/* The defaults of paths.*, as conf.c picks them from the build flags. */
#ifndef COMPTOIR_DATADIR
#define COMPTOIR_DATADIR "/usr/share/comptoir"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif

static struct buf fixdir;   /* FIXTURE_DIR without a trailing '/' */

/* One config_load() and what came out of it. */
struct result {
	int rc;
	struct config *cfg;
	struct buf err;
	struct buf path;   /* the path given to config_load() */
};

/* FIXTURE_DIR/rel, as the loader will spell it in messages. */
static const char *
fixture(struct buf *b, const char *rel)
{
	buf_reset(b);
	buf_printf(b, "%s/%s", buf_str(&fixdir), rel);
	return buf_str(b);
}

static void
load_path(struct result *r, const char *path)
{
	static struct config sentinel;

	buf_init(&r->err, 0);
	buf_init(&r->path, 0);
	buf_puts(&r->path, path);
	r->cfg = &sentinel;   /* must come back NULL on error */
	r->rc = config_load(buf_str(&r->path), &r->cfg, &r->err);
}

static void
load(struct result *r, const char *rel)
{
	struct buf b;

	buf_init(&b, 0);
	load_path(r, fixture(&b, rel));
	buf_free(&b);
}

static void
result_free(struct result *r)
{
	config_free(r->cfg);
	buf_free(&r->err);
	buf_free(&r->path);
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Loads a file that must fail: -1, *out NULL, `nlines` problems. */
static void
load_bad(struct result *r, const char *rel, size_t nlines)
{
	load(r, rel);
	ok(r->rc == -1 && r->cfg == NULL, "%s: refused, no config", rel);
	if (!is_int((long long)count_lines(buf_str(&r->err)), (long long)nlines,
	    "%s: %zu problem(s) reported", rel, nlines))
		diag("%s", buf_str(&r->err));
}

/*
 * Passes when one line of r->err starts with exactly
 * "FIXTURE_DIR/file:line:col: " and contains `fragment`.
 */
static void
has_error(const struct result *r, const char *file, int line, int col, const char *fragment)
{
	struct buf prefix;
	const char *s = buf_str(&r->err), *nl;
	bool found = false;

	buf_init(&prefix, 0);
	buf_printf(&prefix, "%s/%s:%d:%d: ", buf_str(&fixdir), file, line, col);
	for (; *s && !found; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		if (strncmp(s, buf_str(&prefix), prefix.len) == 0) {
			const char *hit = strstr(s, fragment);

			found = hit && hit < nl;
		}
	}
	if (!ok(found, "%s:%d:%d: %s", file, line, col, fragment))
		diag("errors were:\n%s", buf_str(&r->err));
	buf_free(&prefix);
}

static void
test_good(void)
{
	struct result r;
	struct buf b;
	const struct config *c;
	const struct shop *a, *v;

	buf_init(&b, 0);
	load(&r, "good/comptoir.yaml");
	c = r.cfg;
	if (!ok(r.rc == 0 && c, "good: loads") || !is_str(buf_str(&r.err), "", "good: no problem")) {
		diag("%s", buf_str(&r.err));
		result_free(&r);
		buf_free(&b);
		return;
	}
	is_str(c->path, fixture(&b, "good/comptoir.yaml"), "path kept as given");
	is_str(c->server.socket, "/tmp/comptoir-test.sock", "server.socket");
	is_int(c->server.threads, 16, "server.threads");
	is_int(c->server.backlog, 1024, "server.backlog");
	is_int((long long)c->server.max_body, 512 * 1024, "server.max_body 512k = 524288 bytes");
	ok(c->database.socket == NULL, "database.socket unset: NULL");
	is_str(c->database.host, "db.internal", "database.host");
	is_int(c->database.port, 3307, "database.port");
	is_str(c->database.name, "comptoir_test", "database.name");
	is_str(c->database.user, "tester", "database.user");
	is_str(c->database.password, "s3cret: with colon", "database.password (quoted)");
	is_str(c->database.replica.host, "replica.internal", "database.replica.host");
	is_int(c->database.replica.port, 3308, "database.replica.port");
	is_str(c->database.replica.user, "reader", "database.replica.user");
	is_str(c->database.replica.password, "r3ad", "database.replica.password");
	is_int(c->database.replica.max_lag_seconds, 12, "database.replica.max_lag_seconds");
	is_str(c->paths.templates, fixture(&b, "good/../templates"),
	    "relative paths.templates resolved against the file's folder");
	is_str(c->paths.locale, "/opt/comptoir/locale", "absolute paths.locale kept");
	is_str(c->paths.shops, fixture(&b, "good/shops.d"), "paths.shops: './' dropped");
	is_int(c->sessions.idle_timeout, 600, "sessions.idle_timeout");
	is_int(c->sessions.absolute_timeout, 3600, "sessions.absolute_timeout");
	is_int(c->sessions.secure, COOKIE_SECURE_NEVER, "sessions.secure_cookies never");
	is_int(c->login.max_failures_per_account, 3, "login.max_failures_per_account");
	is_int(c->login.max_failures_per_address, 10, "login.max_failures_per_address");
	is_int(c->login.window, 60, "login.window");

	/* README, old.yml, .hidden.yaml, disabled.yaml.off, archive.yaml/ skipped */
	if (!is_int((long long)c->nshops, 2, "two shops; other files ignored")) {
		result_free(&r);
		buf_free(&b);
		return;
	}
	a = &c->shops[0];
	v = &c->shops[1];
	is_str(a->code, "atelier", "shops in file name order: 10-atelier first");
	is_str(v->code, "cave", "then 20-cave");
	is_str(a->file, fixture(&b, "good/shops.d/10-atelier.yaml"), "shop->file");
	is_str(a->name, "Atelier Dupont Impression", "shop name");
	is_int((long long)a->nhosts, 2, "atelier: two hosts");
	is_str(a->hosts[0], "atelier.localhost", "host lower-cased");
	is_str(a->hosts[1], "www.atelier.example", "second host");
	is_str(a->currency, "EUR", "currency");
	is_str(a->legal.company, "Atelier Dupont Impression SARL", "legal.company");
	is_str(a->legal.address, "12 rue des Imprimeurs\n69002 Lyon", "multi-line legal.address");
	is_str(a->legal.siret, "81234567600025", "legal.siret");
	is_str(a->legal.capital, "8 000 €", "legal.capital (UTF-8)");
	is_str(a->legal.phone, "+33 4 65 71 12 34", "legal.phone kept as written");
	ok(a->settings.customer_account_required, "bool 'Yes' is true");
	ok(a->settings.storefront_prices, "bool 'TRUE' is true");
	is_int(a->settings.auto_cancel_unpaid_hours, 72, "settings.auto_cancel_unpaid_after 3d is 72 hours");
	is_int(a->id, 0, "id 0 until shop_sync()");

	is_str(v->currency, "EUR", "default currency EUR");
	is_str(v->locale, "fr", "default locale fr");
	is_str(v->timezone, "Europe/Paris", "default timezone Europe/Paris");
	ok(v->legal.siret == NULL && v->legal.email == NULL, "optional legal fields NULL");
	ok(!v->settings.customer_account_required && !v->settings.storefront_prices,
	    "default settings false, false");
	is_int(v->settings.auto_cancel_unpaid_hours, 0, "no auto_cancel_unpaid_after: never");

	is_int((long long)c->nhosts, 3, "host index: 3 hosts");
	ok(c->nhosts == 3 && strcmp(c->host_index[0].host, c->host_index[1].host) < 0 &&
	    strcmp(c->host_index[1].host, c->host_index[2].host) < 0, "host index sorted");
	ok(config_shop_by_host(c, "atelier.localhost") == a, "by host: atelier.localhost");
	ok(config_shop_by_host(c, "www.atelier.example") == a, "by host: second host");
	ok(config_shop_by_host(c, "cave.localhost") == v, "by host: cave.localhost");
	ok(config_shop_by_host(c, "Cave.LocalHost") == v, "by host: case does not matter");
	ok(config_shop_by_host(c, "unknown.localhost") == NULL, "by host: unknown -> NULL");
	ok(config_shop_by_host(c, "cave.localhost:8080") == NULL, "by host: with port -> NULL");
	ok(config_shop_by_host(c, "cave.local") == NULL, "by host: prefix -> NULL");
	ok(config_shop_by_host(c, "") == NULL, "by host: empty -> NULL");
	ok(config_shop_by_code(c, "cave") == v, "by code: cave");
	ok(config_shop_by_code(c, "nope") == NULL, "by code: unknown -> NULL");
	result_free(&r);
	buf_free(&b);
}

static void
test_defaults(void)
{
	struct result r;
	struct buf b;
	const struct config *c;

	buf_init(&b, 0);
	load(&r, "minimal/comptoir.yaml");
	c = r.cfg;
	if (!ok(r.rc == 0 && c, "minimal: loads")) {
		diag("%s", buf_str(&r.err));
		result_free(&r);
		buf_free(&b);
		return;
	}
	is_str(c->server.socket, "/run/comptoir/comptoir.sock", "default server.socket");
	is_int(c->server.threads, 8, "default threads 8");
	is_int(c->server.backlog, 256, "default backlog 256");
	is_int((long long)c->server.max_body, 1 << 20, "default max_body 1 MiB");
	ok(c->database.socket == NULL, "default database.socket NULL");
	is_str(c->database.host, "127.0.0.1", "default database.host");
	is_int(c->database.port, 3306, "default database.port");
	is_str(c->database.name, "comptoir", "default database.name");
	is_str(c->database.user, "comptoir", "default database.user");
	is_str(c->database.password, "", "default database.password empty");
	ok(!c->database.replica.host && !c->database.replica.socket, "default: no database.replica");
	is_int(c->database.replica.max_lag_seconds, 5, "default database.replica.max_lag_seconds 5");
	is_str(c->paths.templates, COMPTOIR_DATADIR "/templates", "default paths.templates");
	is_str(c->paths.locale, LOCALEDIR, "default paths.locale");
	is_str(c->paths.shops, fixture(&b, "minimal/shops.d"), "paths.shops resolved");
	is_int(c->sessions.idle_timeout, 1800, "default idle_timeout");
	is_int(c->sessions.absolute_timeout, 43200, "default absolute_timeout");
	is_int(c->sessions.secure, COOKIE_SECURE_AUTO, "default secure_cookies auto");
	is_int(c->login.max_failures_per_account, 5, "default max_failures_per_account");
	is_int(c->login.max_failures_per_address, 20, "default max_failures_per_address");
	is_int(c->login.window, 900, "default window");
	ok(c->nshops == 0 && c->nhosts == 0, "a shops directory with no shop is fine");
	ok(config_shop_by_host(c, "atelier.localhost") == NULL, "no shop: lookups give NULL");
	ok(config_shop_by_code(c, "atelier") == NULL, "no shop: by code NULL");
	result_free(&r);
	buf_free(&b);
}

static void
test_example(const char *path)
{
	struct result r;
	const struct config *c;
	const struct shop *a, *v;

	load_path(&r, path);
	c = r.cfg;
	if (!ok(r.rc == 0 && c, "example %s loads", path)) {
		diag("%s", buf_str(&r.err));
		result_free(&r);
		return;
	}
	is_str(c->server.socket, "/run/comptoir/comptoir.sock", "example: FastCGI socket");
	is_str(c->database.socket, "/run/mysqld/mysqld.sock", "example: MariaDB socket");
	/* The example leaves the build's paths to their defaults (Makefile.am). */
	is_str(c->paths.templates, COMPTOIR_DATADIR "/templates", "example: templates, the default");
	is_str(c->paths.locale, LOCALEDIR, "example: locale, the default");
	is_int(c->paths_at.templates.line + c->paths_at.locale.line, 0, "example: neither is set");
	is_int((long long)c->nshops, 2, "example: two demo shops");
	a = config_shop_by_host(c, "atelier.localhost");
	v = config_shop_by_host(c, "cave.localhost");
	ok(a && strcmp(a->name, "Atelier Dupont Impression") == 0, "example: atelier.localhost");
	ok(v && strcmp(v->name, "Cave des Coteaux") == 0, "example: cave.localhost");
	ok(a && a->legal.siret && v && v->legal.siret, "example: both shops have a SIRET");
	result_free(&r);
}

static void
test_bad_config(void)
{
	struct result r;
	struct buf b, want;

	buf_init(&b, 0);
	buf_init(&want, 0);

	load_bad(&r, "no-such-file.yaml", 1);
	buf_printf(&want, "%s: cannot open: No such file or directory\n",
	    fixture(&b, "no-such-file.yaml"));
	is_str(buf_str(&r.err), buf_str(&want), "unreadable file: 'file: cannot open: strerror'");
	result_free(&r);

	load_bad(&r, "good", 1);
	like(buf_str(&r.err), "good: cannot open: Is a directory", "a directory is not a file");
	result_free(&r);

	load_bad(&r, "bad/syntax.yaml", 1);
	has_error(&r, "bad/syntax.yaml", 3, 11, "mapping values are not allowed in this context");
	result_free(&r);

	load_bad(&r, "bad/tab.yaml", 1);
	has_error(&r, "bad/tab.yaml", 2, 1, "found character that cannot start any token");
	result_free(&r);

	load_bad(&r, "bad/not-utf8.yaml", 1);
	has_error(&r, "bad/not-utf8.yaml", 4, 16, "invalid trailing UTF-8 octet");
	result_free(&r);

	load_bad(&r, "bad/deep.yaml", 1);
	has_error(&r, "bad/deep.yaml", 3, 72, "nested more than 64 levels deep");
	result_free(&r);

	load_bad(&r, "bad/empty.yaml", 1);
	has_error(&r, "bad/empty.yaml", 1, 1,
	    "expected a mapping of settings, found an empty document");
	result_free(&r);

	load_bad(&r, "bad/comments.yaml", 1);
	has_error(&r, "bad/comments.yaml", 1, 1,
	    "expected a mapping of settings, found an empty document");
	result_free(&r);

	load_bad(&r, "bad/two-docs.yaml", 1);
	has_error(&r, "bad/two-docs.yaml", 3, 1, "one document only");
	result_free(&r);

	load_bad(&r, "bad/root-list.yaml", 1);
	has_error(&r, "bad/root-list.yaml", 1, 1, "expected a mapping of settings, found a list");
	result_free(&r);

	load_bad(&r, "bad/unknown-key.yaml", 1);
	has_error(&r, "bad/unknown-key.yaml", 2, 3, "unknown key 'thraeds' in server "
	    "(expected one of: socket, threads, backlog, max_body)");
	result_free(&r);

	load_bad(&r, "bad/duplicate-key.yaml", 1);
	has_error(&r, "bad/duplicate-key.yaml", 4, 3, "duplicate key 'threads' (first at line 2)");
	result_free(&r);

	load_bad(&r, "bad/alias.yaml", 2);
	has_error(&r, "bad/alias.yaml", 3, 9, "aliases are not allowed");
	has_error(&r, "bad/alias.yaml", 1, 1, "unknown key 'limits'");
	result_free(&r);

	load_bad(&r, "bad/cycle.yaml", 2);
	has_error(&r, "bad/cycle.yaml", 2, 11, "aliases are not allowed");
	has_error(&r, "bad/cycle.yaml", 1, 9, "expected a string for 'socket', found a mapping");
	result_free(&r);

	load_bad(&r, "bad/types.yaml", 7);
	has_error(&r, "bad/types.yaml", 3, 11, "expected a string for 'socket', found a list");
	has_error(&r, "bad/types.yaml", 4, 12, "expected an integer for 'threads', found the quoted");
	has_error(&r, "bad/types.yaml", 5, 12, "expected an integer for 'backlog', found 'eight'");
	has_error(&r, "bad/types.yaml", 7, 9, "expected an integer for 'port', found '33.06'");
	has_error(&r, "bad/types.yaml", 8, 8, "expected a mapping for 'paths', found a string");
	has_error(&r, "bad/types.yaml", 10, 19, "'secure_cookies' must be one of: auto, always, never");
	has_error(&r, "bad/types.yaml", 11, 8, "expected a mapping for 'login'");
	result_free(&r);

	load_bad(&r, "bad/range.yaml", 5);
	has_error(&r, "bad/range.yaml", 2, 12, "'threads' must be between 1 and 256, found '0'");
	has_error(&r, "bad/range.yaml", 3, 12, "'backlog' must be between 1 and 65535");
	has_error(&r, "bad/range.yaml", 5, 9, "'port' must be between 1 and 65535, found '9999");
	has_error(&r, "bad/range.yaml", 9, 17, "'idle_timeout' must be at least 1, found '-5'");
	has_error(&r, "bad/range.yaml", 10, 21, "'absolute_timeout' must be between 1 and 2147483647");
	result_free(&r);

	load_bad(&r, "bad/replica.yaml", 2);
	has_error(&r, "bad/replica.yaml", 4, 22, "'max_lag_seconds' must be between 1 and 3600, found '0'");
	has_error(&r, "bad/replica.yaml", 3, 5, "database.replica needs a host or a socket");
	result_free(&r);

	load_bad(&r, "bad/size.yaml", 1);
	has_error(&r, "bad/size.yaml", 2, 13, "expected a size");
	result_free(&r);

	load_bad(&r, "bad/enum.yaml", 1);
	has_error(&r, "bad/enum.yaml", 4, 19, "must be one of: auto, always, never; found 'sometimes'");
	result_free(&r);

	load_bad(&r, "bad/no-paths.yaml", 1);
	has_error(&r, "bad/no-paths.yaml", 1, 1, "missing required key 'paths'");
	result_free(&r);

	load_bad(&r, "bad/missing-shops.yaml", 1);
	has_error(&r, "bad/missing-shops.yaml", 4, 3, "missing required key 'shops' in paths");
	result_free(&r);

	load_bad(&r, "bad/null-shops.yaml", 1);
	has_error(&r, "bad/null-shops.yaml", 2, 3, "missing value for 'shops'");
	result_free(&r);

	load_bad(&r, "bad/no-shops-dir.yaml", 1);
	buf_reset(&want);
	buf_printf(&want, "'%s'", fixture(&b, "bad/does-not-exist.d"));
	has_error(&r, "bad/no-shops-dir.yaml", 2, 10, "cannot open the shops directory");
	like(buf_str(&r.err), buf_str(&want), "the message names the resolved directory");
	result_free(&r);

	load_bad(&r, "bad/plugins.yaml", 5);
	has_error(&r, "bad/plugins.yaml", 4, 8, "'dir' must not be empty");
	has_error(&r, "bad/plugins.yaml", 5, 24, "'Bank-Transfer' is not a plugin name");
	has_error(&r, "bad/plugins.yaml", 5, 39, "plugin 'banktransfer' is listed twice (first at line 5)");
	has_error(&r, "bad/plugins.yaml", 5, 53, "'12' is not a plugin name");
	has_error(&r, "bad/plugins.yaml", 5, 57, "expected a plugin name, found a mapping");
	result_free(&r);

	load_bad(&r, "bad/too-many.yaml", 50);
	has_error(&r, "bad/too-many.yaml", 53, 1, "unknown key 'key50'");
	result_free(&r);

	buf_free(&b);
	buf_free(&want);
}

/* One fixture per problem of a workflow file (tests/unit/conf/bad-workflow/
 * CASE/workflow.yaml, beside a comptoir.yaml that is fine). */
static void
test_bad_workflows(void)
{
	struct result r;
	struct buf b;

	buf_init(&b, 0);
	load_bad(&r, "bad-workflow/unknown-flag/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/unknown-flag/workflow.yaml", 6, 22, "unknown flag 'shiny' (expected one of: sale, final");
	result_free(&r);

	load_bad(&r, "bad-workflow/light-colour/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/light-colour/workflow.yaml", 5, 13, "colour '#777777' is too light for the badge's white text (contrast 4.47:1");
	result_free(&r);

	load_bad(&r, "bad-workflow/bad-colour/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/bad-colour/workflow.yaml", 5, 13, "'colour' must be a colour written #rrggbb, found 'red'");
	result_free(&r);

	load_bad(&r, "bad-workflow/no-arrival/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/no-arrival/workflow.yaml", 2, 3, "no status has the flag 'arrival' (the status new orders arrive in)");
	result_free(&r);

	load_bad(&r, "bad-workflow/two-cancels/comptoir.yaml", 2);
	has_error(&r, "bad-workflow/two-cancels/workflow.yaml", 12, 11, "flag 'cancels' is already on 'completed' (line 7)");
	has_error(&r, "bad-workflow/two-cancels/workflow.yaml", 7, 11, "'completed' has the flag 'completed': it cannot be 'cancels'");
	result_free(&r);

	/* At most one paid status, and never the cancelling one. */
	load_bad(&r, "bad-workflow/two-paid/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/two-paid/workflow.yaml", 12, 11, "flag 'paid' is already on 'processing' (line 7):"
	    " one status only is the status a paid order goes to");
	result_free(&r);

	load_bad(&r, "bad-workflow/paid-cancels/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/paid-cancels/workflow.yaml", 12, 11, "'cancelled' has the flag 'paid': it cannot be 'cancels'");
	result_free(&r);

	load_bad(&r, "bad-workflow/not-final/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/not-final/workflow.yaml", 12, 11, "'cancelled' has the flag 'cancels': it must also be 'final'");
	result_free(&r);

	load_bad(&r, "bad-workflow/unknown-target/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/unknown-target/workflow.yaml", 18, 25, "unknown status 'teleported' (expected a code of 'statuses')");
	result_free(&r);

	load_bad(&r, "bad-workflow/final-moves/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/final-moves/workflow.yaml", 19, 3, "'cancelled' is final: no status may follow it");
	result_free(&r);

	load_bad(&r, "bad-workflow/self-move/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/self-move/workflow.yaml", 18, 14, "'received' cannot go to itself");
	result_free(&r);

	load_bad(&r, "bad-workflow/dup-code/comptoir.yaml", 2);
	has_error(&r, "bad-workflow/dup-code/workflow.yaml", 12, 11, "status 'completed' is already defined at line 7");
	has_error(&r, "bad-workflow/dup-code/workflow.yaml", 18, 25, "unknown status 'cancelled' (expected a code of 'statuses')");
	result_free(&r);

	load_bad(&r, "bad-workflow/missing-label/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/missing-label/workflow.yaml", 2, 5, "missing required key 'label_en' in statuses");
	result_free(&r);

	load_bad(&r, "bad-workflow/bad-code/comptoir.yaml", 2);
	has_error(&r, "bad-workflow/bad-code/workflow.yaml", 2, 11, "'code' must be 1 to 32 lower-case letters, digits or '_'");
	has_error(&r, "bad-workflow/bad-code/workflow.yaml", 18, 3, "unknown status 'received' in 'transitions'");
	result_free(&r);

	load_bad(&r, "bad-workflow/no-transitions/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/no-transitions/workflow.yaml", 1, 1, "missing required key 'transitions'");
	result_free(&r);

	load_bad(&r, "bad-workflow/missing/comptoir.yaml", 1);
	has_error(&r, "bad-workflow/missing/comptoir.yaml", 4, 13, "'workflow' must not be empty");
	result_free(&r);

	load_bad(&r, "bad-workflow/preset/comptoir.yaml", 2);
	has_error(&r, "bad-workflow/preset/shops.d/a.yaml", 6, 11, "expected a mapping of 'statuses' and 'transitions' for 'workflow'");
	has_error(&r, "bad-workflow/preset/shops.d/b.yaml", 13, 7, "unknown key 'colours' in statuses");
	result_free(&r);

	load(&r, "bad-workflow/preset-good/comptoir.yaml");
	if (ok(r.rc == 0 && r.cfg, "a shop's own workflow loads")) {
		const struct wf_def *d = r.cfg->shops[0].workflow, *w = r.cfg->workflow;

		ok(d && d->n == 3 && strcmp(d->statuses[0].code, "nouvelle") == 0 &&
		    d->statuses[0].flags == WF_ARRIVAL && d->statuses[2].flags == (WF_CANCELS | WF_FINAL) &&
		    d->to[0] == 6 && d->to[1] == 0 && d->to[2] == 0, "the preset: its statuses, flags and moves");
		ok(w && w->n == 7 && strcmp(w->statuses[6].code, "cancelled") == 0 &&
		    w->statuses[0].flags == (WF_ARRIVAL | WF_SALE | WF_CUSTOMER_MAY_PAY) &&
		    w->statuses[2].flags == (WF_SALE | WF_PAID) &&
		    strcmp(w->statuses[1].email, "order_awaiting_payment") == 0 && !w->statuses[0].email &&
		    w->to[0] == ((1u << 1) | (1u << 2) | (1u << 6)) && w->to[5] == 0,
		    "the default workflow beside it: conf/workflow.yaml as shipped");
	} else {
		diag("%s", buf_str(&r.err));
	}
	result_free(&r);

	buf_free(&b);
}

static void
test_bad_shops(void)
{
	struct result r;
	struct buf b, want;

	buf_init(&b, 0);
	buf_init(&want, 0);

	load_bad(&r, "bad-shop/empty.yaml", 1);
	has_error(&r, "bad-shop/empty/a.yaml", 1, 1, "found an empty document");
	result_free(&r);

	load_bad(&r, "bad-shop/missing.yaml", 4);
	has_error(&r, "bad-shop/missing/a.yaml", 2, 1, "missing required key 'code'");
	has_error(&r, "bad-shop/missing/a.yaml", 2, 1, "missing required key 'name'");
	has_error(&r, "bad-shop/missing/a.yaml", 2, 1, "missing required key 'hosts'");
	has_error(&r, "bad-shop/missing/a.yaml", 3, 3, "missing required key 'company' in legal");
	result_free(&r);

	load_bad(&r, "bad-shop/plugins.yaml", 5);
	has_error(&r, "bad-shop/plugins/a.yaml", 7, 14, "expected true or false for 'enabled', found 'maybe'");
	has_error(&r, "bad-shop/plugins/a.yaml", 8, 28, "duplicate key 'iban'");
	has_error(&r, "bad-shop/plugins/a.yaml", 9, 5, "unknown key 'colour' in banktransfer (expected one of: enabled, settings)");
	has_error(&r, "bad-shop/plugins/a.yaml", 10, 3, "'Cheque' is not a plugin name");
	has_error(&r, "bad-shop/plugins/a.yaml", 11, 8, "expected a mapping (enabled, settings) for plugin 'cod', found a list");
	result_free(&r);

	load_bad(&r, "bad-shop/values.yaml", 10);
	has_error(&r, "bad-shop/values/a.yaml", 1, 7, "'code' must be 1 to 32 lower-case letters");
	has_error(&r, "bad-shop/values/a.yaml", 2, 7, "'name' must not be empty");
	has_error(&r, "bad-shop/values/a.yaml", 4, 11, "'currency' must be 3 upper-case letters");
	has_error(&r, "bad-shop/values/a.yaml", 5, 9, "'locale' must be one of: fr, en");
	has_error(&r, "bad-shop/values/a.yaml", 6, 11, "'timezone' must be a time zone name");
	has_error(&r, "bad-shop/values/a.yaml", 9, 10, "'siret' must be 14 digits");
	has_error(&r, "bad-shop/values/a.yaml", 10, 3, "unknown key 'iban' in legal");
	has_error(&r, "bad-shop/values/a.yaml", 12, 30, "expected true or false");
	has_error(&r, "bad-shop/values/a.yaml", 13, 23, "'unpaid_cancel_days' is no longer read: write"
	    " auto_cancel_unpaid_after (such as 30d) instead; it also makes `comptoir work` cancel");
	has_error(&r, "bad-shop/values/a.yaml", 14, 22, "expected true or false for "
	    "'storefront_prices', found the quoted string");
	result_free(&r);

	load_bad(&r, "bad-shop/delay.yaml", 4);
	has_error(&r, "bad-shop/delay/a.yaml", 7, 29, "'auto_cancel_unpaid_after' must be a number of hours or days"
	    " such as 48h or 3d, found '2w'");
	has_error(&r, "bad-shop/delay/b.yaml", 7, 29, "'auto_cancel_unpaid_after' must be between 1h and 3650d");
	has_error(&r, "bad-shop/delay/c.yaml", 7, 29, "must be a number of hours or days");
	has_error(&r, "bad-shop/delay/d.yaml", 7, 29, "'auto_cancel_unpaid_after' must be between 1h and 3650d,"
	    " found '3651d'");
	result_free(&r);

	load_bad(&r, "bad-shop/hosts.yaml", 6);
	has_error(&r, "bad-shop/hosts/a.yaml", 3, 8, "expected a list of host names");
	has_error(&r, "bad-shop/hosts/b.yaml", 3, 8, "'hosts' must list at least one host name");
	has_error(&r, "bad-shop/hosts/c.yaml", 4, 5, "'c.localhost:8080' is not a valid host name");
	has_error(&r, "bad-shop/hosts/c.yaml", 6, 5, "'-c.example' is not a valid host name");
	has_error(&r, "bad-shop/hosts/c.yaml", 7, 5, "host 'c.localhost' is listed twice "
	    "(first at line 5)");
	has_error(&r, "bad-shop/hosts/c.yaml", 8, 5, "expected a host name, found a mapping");
	result_free(&r);

	load_bad(&r, "bad-shop/dup-host.yaml", 1);
	buf_printf(&want, "host 'shared.localhost' is already used by shop 'atelier' (%s:5)",
	    fixture(&b, "bad-shop/dup-host/a.yaml"));
	has_error(&r, "bad-shop/dup-host/b.yaml", 5, 5, buf_str(&want));
	result_free(&r);

	load_bad(&r, "bad-shop/dup-code.yaml", 1);
	buf_reset(&want);
	buf_printf(&want, "shop code 'atelier' is already used by %s:1",
	    fixture(&b, "bad-shop/dup-code/a.yaml"));
	has_error(&r, "bad-shop/dup-code/b.yaml", 2, 7, buf_str(&want));
	result_free(&r);

	buf_free(&b);
	buf_free(&want);
}

/* metrics.allow: default loopback; networks match by their prefix only. */
static void
test_metrics_allow(void)
{
	struct conf_cidr nets[2];
	struct config c;
	struct result r;

	load(&r, "minimal/comptoir.yaml");
	if (!ok(r.rc == 0 && r.cfg, "minimal: loads")) {
		result_free(&r);
		return;
	}
	ok(r.cfg->log.requests, "default log.requests true");
	ok(config_metrics_allowed(r.cfg, "127.0.0.1") && config_metrics_allowed(r.cfg, "127.8.9.10") &&
	    config_metrics_allowed(r.cfg, "::1"), "default metrics.allow: loopback");
	ok(config_metrics_allowed(r.cfg, "::ffff:127.0.0.1") && !config_metrics_allowed(r.cfg, "::ffff:10.0.0.1"),
	    "an IPv4-mapped peer is matched as the IPv4 address it is");
	ok(!config_metrics_allowed(r.cfg, "10.0.0.1") && !config_metrics_allowed(r.cfg, "::2") &&
	    !config_metrics_allowed(r.cfg, "128.0.0.1") && !config_metrics_allowed(r.cfg, NULL) &&
	    !config_metrics_allowed(r.cfg, "") && !config_metrics_allowed(r.cfg, "127.0.0.1/8") &&
	    !config_metrics_allowed(r.cfg, "localhost"), "default metrics.allow: nothing else");
	result_free(&r);

	memset(&c, 0, sizeof(c));
	c.metrics.allow = nets;
	c.metrics.nallow = 2;
	ok(config_parse_cidr("10.1.0.0/17", &nets[0]) && config_parse_cidr("2001:db8::/33", &nets[1]),
	    "CIDRs parse");
	ok(config_metrics_allowed(&c, "10.1.127.255") && !config_metrics_allowed(&c, "10.1.128.0") &&
	    config_metrics_allowed(&c, "2001:db8:7fff::1") && !config_metrics_allowed(&c, "2001:db8:8000::1"),
	    "a prefix not on a byte boundary");
	ok(!config_parse_cidr("10.0.0.0/33", &nets[0]) && !config_parse_cidr("10.0.0.0/", &nets[0]) &&
	    !config_parse_cidr("10.0.0.0/-1", &nets[0]) && !config_parse_cidr("::/129", &nets[0]) &&
	    !config_parse_cidr("example.net", &nets[0]) && !config_parse_cidr("", &nets[0]) &&
	    !config_parse_cidr("/8", &nets[0]), "what is not a CIDR is refused");
	c.metrics.nallow = 0;
	ok(!config_metrics_allowed(&c, "127.0.0.1"), "an empty list allows nobody");
}

/* Many shops: every host found in its slot, a disabled shop's never. */
static void
test_many_hosts(void)
{
	char dir[] = "/tmp/cpt-test-conf.XXXXXX";
	struct buf path, text;
	struct config *cfg = NULL;
	struct buf err;
	int i, n = 3000, wrong = 0;
	FILE *f;

	buf_init(&path, 0);
	buf_init(&text, 0);
	buf_init(&err, 0);
	if (!ok(mkdtemp(dir) != NULL, "a temporary folder"))
		return;
	buf_printf(&path, "%s/shops.d", dir);
	ok(mkdir(buf_str(&path), 0700) == 0, "its shops.d");
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/shops.d/s%d.yaml", dir, i);
		f = fopen(buf_str(&path), "w");
		if (!f)
			break;
		fprintf(f, "code: s%d\nname: S%d\nhosts: [s%d.example, www.s%d.example]\n"
		    "legal: {company: S%d}\n%s", i, i, i, i, i, i == 7 ? "enabled: false\n" : "");
		fclose(f);
	}
	buf_reset(&path);
	buf_printf(&path, "%s/comptoir.yaml", dir);
	f = fopen(buf_str(&path), "w");
	if (f) {
		fprintf(f, "paths:\n  shops: shops.d\n  workflow: %s/good/workflow.yaml\nmetrics:\n"
		    "  allow: [192.0.2.0/24]\nlog:\n  requests: false\n", buf_str(&fixdir));
		fclose(f);
	}
	if (!ok(config_load(buf_str(&path), &cfg, &err) == 0, "%d shops load", n)) {
		diag("%s", buf_str(&err));
	} else {
		for (i = 0; i < n; i++) {
			const struct shop *s;

			buf_reset(&text);
			buf_printf(&text, "%s%d.example", i % 2 ? "WWW.S" : "s", i);
			s = config_shop_by_host(cfg, buf_str(&text));
			buf_reset(&text);
			buf_printf(&text, "s%d", i);
			if (i == 7 ? s != NULL : (!s || strcmp(s->code, buf_str(&text)) != 0))
				wrong++;
		}
		is_int(wrong, 0, "every host gives its shop, the disabled one none");
		is_int((long long)cfg->nhosts, 2 * (n - 1), "the index holds the enabled shops' hosts");
		ok(cfg->host_slots_mask + 1 >= 2 * cfg->nhosts, "the hash table is at most half full");
		ok(config_shop_by_host(cfg, "s3000.example") == NULL &&
		    config_shop_by_host(cfg, "s1.example.") == NULL, "unknown hosts: NULL");
		ok(config_shop_by_code(cfg, "s7") && !config_shop_by_code(cfg, "s7")->enabled,
		    "the disabled shop is still known by its code");
		ok(!cfg->log.requests, "log.requests: false");
		ok(config_metrics_allowed(cfg, "192.0.2.200") && !config_metrics_allowed(cfg, "127.0.0.1"),
		    "metrics.allow replaces the default");
	}
	config_free(cfg);
	buf_reset(&path);
	buf_printf(&path, "rm -rf '%s'", dir);
	if (system(buf_str(&path)) != 0)
		diag("could not remove %s", dir);
	buf_free(&path);
	buf_free(&text);
	buf_free(&err);
}

/* Problems are appended to what the buffer holds; *out is NULL on error. */
static void
test_contract(void)
{
	struct buf err, b;
	struct config *cfg = NULL;
	int rc;

	buf_init(&err, 0);
	buf_init(&b, 0);
	buf_puts(&err, "earlier line\n");
	rc = config_load(fixture(&b, "bad/enum.yaml"), &cfg, &err);
	ok(rc == -1 && cfg == NULL, "error: -1 and NULL");
	ok(strncmp(buf_str(&err), "earlier line\n", 13) == 0 && count_lines(buf_str(&err)) == 2,
	    "problems appended after existing content");
	config_free(NULL);
	ok(1, "config_free(NULL) is a no-op");
	buf_free(&err);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	struct buf example;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s FIXTURE_DIR [EXAMPLE_CONF]\n", argv[0]);
		return 2;
	}
	buf_init(&fixdir, 0);
	buf_puts(&fixdir, argv[1]);
	while (fixdir.len > 1 && fixdir.data[fixdir.len - 1] == '/')
		fixdir.data[--fixdir.len] = '\0';
	buf_init(&example, 0);
	if (argc == 3)
		buf_puts(&example, argv[2]);
	else
		buf_printf(&example, "%s/../../../conf/comptoir.yaml", buf_str(&fixdir));

	test_good();
	test_defaults();
	test_example(buf_str(&example));
	test_bad_config();
	test_bad_shops();
	test_bad_workflows();
	test_contract();
	test_metrics_allow();
	test_many_hosts();

	buf_free(&example);
	buf_free(&fixdir);
	return done_testing();
}
