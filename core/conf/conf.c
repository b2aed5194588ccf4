/*
 * conf: loads comptoir.yaml and the shop files, checked against the schema
 * tables below (the walking itself is in yaml_walk.c).
 */
#include "conf/conf.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <arpa/inet.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/wf_conf.h"
#include "conf/yaml_walk.h"
#include "util/log.h"

/*
 * Defaults of paths.templates and paths.locale: where `make install` puts
 * them (Makefile.am passes -DCOMPTOIR_DATADIR='"$(pkgdatadir)"' and
 * -DLOCALEDIR='"$(localedir)"'), Debian's places for another build.
 */
#ifndef COMPTOIR_DATADIR
#define COMPTOIR_DATADIR "/usr/share/comptoir"
#endif
#ifdef LOCALEDIR
#define DEFAULT_LOCALEDIR LOCALEDIR
#else
#define DEFAULT_LOCALEDIR "/usr/share/locale"
#endif

/* Default of plugins.dir: where `make install` puts the modules
 * (-DPLUGINDIR='"$(plugindir)"'). */
#ifndef PLUGINDIR
#define PLUGINDIR "/usr/lib/comptoir/plugins"
#endif

#define MAX_BODY_LIMIT (1024LL * 1024 * 1024)   /* bodies are held in memory */
#define UNIX_PATH_MAX 107                        /* sizeof(sun_path) - 1 */

_Static_assert(sizeof(enum cookie_secure) == sizeof(int), "YW_CHOICE stores an int");

/* A host name as written in a shop file, for cross-shop checks. */
struct host_ref {
	const char *host;   /* owned by the shop */
	size_t shop;        /* index in cfg->shops */
	size_t pos;         /* index in the shop's hosts */
	yaml_mark_t mark;
};

/* State of one config_load(); everything but cfg is freed at its end. */
struct loader {
	struct config *cfg;
	struct yw_errors errs;
	size_t shops_cap;
	yaml_mark_t *code_marks;   /* parallel to cfg->shops */
	struct host_ref *hosts;
	size_t nhosts, hosts_cap;
	size_t cur;                /* shop being read */
};

/* ---- value checks -------------------------------------------------------- */

static bool
is_lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool
valid_socket(const char *s)
{
	return *s && strlen(s) <= UNIX_PATH_MAX;
}

static bool
valid_nonempty(const char *s)
{
	return *s != '\0';
}

static bool
valid_code(const char *s)
{
	size_t i;

	if (!is_lower_or_digit(s[0]))
		return false;
	for (i = 1; s[i]; i++)
		if (i > 31 || (!is_lower_or_digit(s[i]) && s[i] != '-'))
			return false;
	return true;
}

static bool
valid_currency(const char *s)
{
	return strlen(s) == 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

static bool
valid_locale(const char *s)
{
	return strcmp(s, "fr") == 0 || strcmp(s, "en") == 0;
}

/* "Europe/Paris", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+1". */
static bool
valid_timezone(const char *s)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-";
	size_t len = strlen(s);

	return len > 0 && len < 64 && strspn(s, ok) == len && s[0] != '/' &&
	    s[len - 1] != '/' && !strstr(s, "//");
}

static bool
valid_siret(const char *s)
{
	return strlen(s) == 14 && strspn(s, "0123456789") == 14;
}

/* Letters (already lower-cased), digits, '-' and '.'; labels of 1..63. */
static bool
valid_host(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (is_lower_or_digit(s[i]) || (s[i] == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return s[len - 1] != '.' && s[len - 1] != '-';
}

/* ---- the schema ---------------------------------------------------------- */

static void parse_hosts(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_cidrs(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_shop_workflow(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_plugin_list(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_shop_plugins(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_hours(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);
static void parse_removed_cancel_days(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd);

static const char *const secure_choices[] = { "auto", "always", "never", NULL };

#define CFG(m) offsetof(struct config, m)
#define SHOP(m) offsetof(struct shop, m)
#define SOCKET_RULE "must be a unix socket path of at most 107 bytes"
#define NONEMPTY_RULE "must not be empty"

static const struct yw_field server_fields[] = {
	{ .key = "socket", .type = YW_STRING, .offset = CFG(server.socket),
	  .valid = valid_socket, .rule = SOCKET_RULE },
	{ .key = "threads", .type = YW_INT, .offset = CFG(server.threads), .min = 1, .max = 256 },
	{ .key = "backlog", .type = YW_INT, .offset = CFG(server.backlog), .min = 1, .max = 65535 },
	{ .key = "max_body", .type = YW_SIZE, .offset = CFG(server.max_body),
	  .min = 1, .max = MAX_BODY_LIMIT },
	{ .key = NULL }
};

static const struct yw_field replica_fields[] = {
	{ .key = "socket", .type = YW_STRING, .offset = CFG(database.replica.socket),
	  .valid = valid_socket, .rule = SOCKET_RULE },
	{ .key = "host", .type = YW_STRING, .offset = CFG(database.replica.host),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "port", .type = YW_UINT, .offset = CFG(database.replica.port), .min = 1, .max = 65535 },
	{ .key = "user", .type = YW_STRING, .offset = CFG(database.replica.user),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "password", .type = YW_STRING, .offset = CFG(database.replica.password) },
	{ .key = "max_lag_seconds", .type = YW_INT, .offset = CFG(database.replica.max_lag_seconds),
	  .min = 1, .max = 3600 },
	{ .key = NULL }
};

static const struct yw_field database_fields[] = {
	{ .key = "socket", .type = YW_STRING, .offset = CFG(database.socket),
	  .valid = valid_socket, .rule = SOCKET_RULE },
	{ .key = "host", .type = YW_STRING, .offset = CFG(database.host),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "port", .type = YW_UINT, .offset = CFG(database.port), .min = 1, .max = 65535 },
	{ .key = "name", .type = YW_STRING, .offset = CFG(database.name),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "user", .type = YW_STRING, .offset = CFG(database.user),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "password", .type = YW_STRING, .offset = CFG(database.password) },
	{ .key = "replica", .type = YW_MAP, .fields = replica_fields },
	{ .key = "read_cache_mb", .type = YW_INT, .offset = CFG(database.read_cache_mb), .min = 0, .max = 65536 },
	{ .key = NULL }
};

static const struct yw_field paths_fields[] = {
	{ .key = "templates", .type = YW_STRING, .offset = CFG(paths.templates),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "locale", .type = YW_STRING, .offset = CFG(paths.locale),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "shops", .type = YW_STRING, .offset = CFG(paths.shops), .required = true },
	{ .key = "workflow", .type = YW_STRING, .offset = CFG(paths.workflow),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = NULL }
};

static const struct yw_field sessions_fields[] = {
	{ .key = "idle_timeout", .type = YW_INT, .offset = CFG(sessions.idle_timeout),
	  .min = 1, .max = INT_MAX },
	{ .key = "absolute_timeout", .type = YW_INT, .offset = CFG(sessions.absolute_timeout),
	  .min = 1, .max = INT_MAX },
	{ .key = "cache_seconds", .type = YW_INT, .offset = CFG(sessions.cache_seconds),
	  .min = 0, .max = 60 },
	{ .key = "secure_cookies", .type = YW_CHOICE, .offset = CFG(sessions.secure),
	  .choices = secure_choices },
	{ .key = NULL }
};

static const struct yw_field login_fields[] = {
	{ .key = "max_failures_per_account", .type = YW_INT,
	  .offset = CFG(login.max_failures_per_account), .min = 1, .max = INT_MAX },
	{ .key = "max_failures_per_address", .type = YW_INT,
	  .offset = CFG(login.max_failures_per_address), .min = 1, .max = INT_MAX },
	{ .key = "window", .type = YW_INT, .offset = CFG(login.window), .min = 1, .max = INT_MAX },
	{ .key = NULL }
};

static const struct yw_field security_fields[] = {
	{ .key = "key_file", .type = YW_STRING, .offset = CFG(security.key_file),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = NULL }
};

static const struct yw_field metrics_fields[] = {
	{ .key = "allow", .type = YW_CUSTOM, .parse = parse_cidrs },
	{ .key = NULL }
};

static const struct yw_field log_fields[] = {
	{ .key = "requests", .type = YW_BOOL, .offset = CFG(log.requests) },
	{ .key = NULL }
};

static const struct yw_field plugins_fields[] = {
	{ .key = "dir", .type = YW_STRING, .offset = CFG(plugins.dir),
	  .valid = valid_nonempty, .rule = NONEMPTY_RULE },
	{ .key = "load", .type = YW_CUSTOM, .parse = parse_plugin_list },
	{ .key = NULL }
};

static const struct yw_field config_fields[] = {
	{ .key = "server", .type = YW_MAP, .fields = server_fields },
	{ .key = "database", .type = YW_MAP, .fields = database_fields },
	{ .key = "paths", .type = YW_MAP, .fields = paths_fields, .required = true },
	{ .key = "sessions", .type = YW_MAP, .fields = sessions_fields },
	{ .key = "login", .type = YW_MAP, .fields = login_fields },
	{ .key = "security", .type = YW_MAP, .fields = security_fields },
	{ .key = "metrics", .type = YW_MAP, .fields = metrics_fields },
	{ .key = "log", .type = YW_MAP, .fields = log_fields },
	{ .key = "plugins", .type = YW_MAP, .fields = plugins_fields },
	{ .key = NULL }
};

static const struct yw_field legal_fields[] = {
	{ .key = "company", .type = YW_STRING, .offset = SHOP(legal.company), .required = true },
	{ .key = "legal_form", .type = YW_STRING, .offset = SHOP(legal.legal_form) },
	{ .key = "address", .type = YW_STRING, .offset = SHOP(legal.address) },
	{ .key = "siret", .type = YW_STRING, .offset = SHOP(legal.siret),
	  .valid = valid_siret, .rule = "must be 14 digits" },
	{ .key = "vat_number", .type = YW_STRING, .offset = SHOP(legal.vat_number) },
	{ .key = "rcs", .type = YW_STRING, .offset = SHOP(legal.rcs) },
	{ .key = "capital", .type = YW_STRING, .offset = SHOP(legal.capital) },
	{ .key = "email", .type = YW_STRING, .offset = SHOP(legal.email) },
	{ .key = "phone", .type = YW_STRING, .offset = SHOP(legal.phone) },
	{ .key = NULL }
};

static const struct yw_field settings_fields[] = {
	{ .key = "customer_account_required", .type = YW_BOOL,
	  .offset = SHOP(settings.customer_account_required) },
	{ .key = "unpaid_cancel_days", .type = YW_CUSTOM, .parse = parse_removed_cancel_days },
	{ .key = "auto_cancel_unpaid_after", .type = YW_CUSTOM, .parse = parse_hours,
	  .offset = SHOP(settings.auto_cancel_unpaid_hours), .max = AUTO_CANCEL_MAX_HOURS },
	{ .key = "payment_reminder_after", .type = YW_CUSTOM, .parse = parse_hours,
	  .offset = SHOP(settings.payment_reminder_hours), .max = AUTO_CANCEL_MAX_HOURS },
	{ .key = "storefront_prices", .type = YW_BOOL, .offset = SHOP(settings.storefront_prices) },
	{ .key = "prices_include_vat", .type = YW_BOOL, .offset = SHOP(settings.prices_include_vat) },
	{ .key = NULL }
};

static const struct yw_field shop_fields[] = {
	{ .key = "code", .type = YW_STRING, .offset = SHOP(code), .required = true,
	  .valid = valid_code,
	  .rule = "must be 1 to 32 lower-case letters, digits or '-', starting with a letter or digit" },
	{ .key = "name", .type = YW_STRING, .offset = SHOP(name), .required = true },
	{ .key = "hosts", .type = YW_CUSTOM, .parse = parse_hosts, .required = true },
	{ .key = "currency", .type = YW_STRING, .offset = SHOP(currency),
	  .valid = valid_currency, .rule = "must be 3 upper-case letters (ISO 4217, e.g. EUR)" },
	{ .key = "locale", .type = YW_STRING, .offset = SHOP(locale),
	  .valid = valid_locale, .rule = "must be one of: fr, en" },
	{ .key = "timezone", .type = YW_STRING, .offset = SHOP(timezone),
	  .valid = valid_timezone, .rule = "must be a time zone name such as Europe/Paris" },
	{ .key = "legal", .type = YW_MAP, .fields = legal_fields, .required = true },
	{ .key = "settings", .type = YW_MAP, .fields = settings_fields },
	{ .key = "enabled", .type = YW_BOOL, .offset = SHOP(enabled) },
	{ .key = "workflow", .type = YW_CUSTOM, .parse = parse_shop_workflow },
	{ .key = "plugins", .type = YW_CUSTOM, .parse = parse_shop_plugins },
	{ .key = NULL }
};

/* `unpaid_cancel_days`, the seed's delay before `auto_cancel_unpaid_after`
 * existed: one idea, one setting. Refused rather than read as the other:
 * auto_cancel_unpaid_after makes `comptoir work` cancel real orders, which
 * a file written for the seed never asked for; the operator chooses. */
static void
parse_removed_cancel_days(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	(void)base;
	yw_error(f, node->start_mark, "'%s' is no longer read: write auto_cancel_unpaid_after (such as 30d)"
	    " instead; it also makes `comptoir work` cancel the orders left unpaid that long", fd->key);
}

/* A delay in whole hours or days, "48h" or "3d", stored as hours (an int
 * at fd->offset) within 1 and fd->max hours. */
static void
parse_hours(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	const char *s = (const char *)node->data.scalar.value;
	size_t len = node->type == YAML_SCALAR_NODE ? node->data.scalar.length : 0, i;
	long long n = 0;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		if (n <= fd->max)   /* past it, only the range error remains to say */
			n = n * 10 + (s[i] - '0');
	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    i == 0 || i + 1 != len || (s[i] != 'h' && s[i] != 'd')) {
		yw_error(f, node->start_mark, "'%s' must be a number of hours or days such as 48h or 3d, found %s",
		    fd->key, yw_show(f, node));
		return;
	}
	if (s[i] == 'd')
		n *= 24;
	if (n < 1 || n > fd->max) {
		yw_error(f, node->start_mark, "'%s' must be between 1h and %lldd, found %s", fd->key, fd->max / 24,
		    yw_show(f, node));
		return;
	}
	*(int *)((char *)base + fd->offset) = (int)n;
}

/* ---- loading ------------------------------------------------------------- */

/* Replaces *dst by a copy of s; false when memory ran out. */
static bool
set_str(char **dst, const char *s)
{
	char *p = strdup(s);

	if (!p)
		return false;
	free(*dst);
	*dst = p;
	return true;
}

/* Appends one host to the loader's list; false when memory ran out. */
static bool
add_host_ref(struct loader *L, const char *host, size_t pos, yaml_mark_t mark)
{
	if (L->nhosts == L->hosts_cap) {
		size_t cap = L->hosts_cap ? L->hosts_cap * 2 : 64;
		struct host_ref *p = realloc(L->hosts, cap * sizeof(*p));

		if (!p)
			return false;
		L->hosts = p;
		L->hosts_cap = cap;
	}
	L->hosts[L->nhosts++] = (struct host_ref){ host, L->cur, pos, mark };
	return true;
}

/* YW_CUSTOM parser of `hosts`: a non-empty list of host names, lower-cased. */
static void
parse_hosts(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct shop *shop = base;
	struct loader *L = f->user;
	const yaml_node_item_t *it;
	size_t n;

	if (node->type != YAML_SEQUENCE_NODE) {
		yw_error(f, node->start_mark, "expected a list of host names for '%s', found %s",
		    fd->key, yw_show(f, node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	if (n == 0) {
		yw_error(f, node->start_mark, "'%s' must list at least one host name", fd->key);
		return;
	}
	assert(!shop->hosts);
	shop->hosts = calloc(n, sizeof(*shop->hosts));
	if (!shop->hosts) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yw_node(f, *it);
		char *h, *c;

		if (!item)
			continue;
		if (item->type != YAML_SCALAR_NODE || yw_is_null(item)) {
			yw_error(f, item->start_mark, "expected a host name, found %s", yw_kind(item));
			continue;
		}
		h = yw_strdup(f, item, fd->key);
		if (!h)
			continue;
		for (c = h; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + ('a' - 'A'));
		if (!valid_host(h)) {
			yw_error(f, item->start_mark, "%s is not a valid host name "
			    "(letters, digits, '-' and '.' only, no port)", yw_show(f, item));
			free(h);
			continue;
		}
		shop->hosts[shop->nhosts] = h;
		if (!add_host_ref(L, h, shop->nhosts, item->start_mark))
			yw_error(f, item->start_mark, "out of memory");
		shop->nhosts++;
	}
}

bool
config_parse_cidr(const char *s, struct conf_cidr *out)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	long prefix;
	char *end;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= sizeof(addr))
		return false;
	memcpy(addr, s, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, out->addr) == 1)
		out->family = AF_INET6;
	else
		return false;
	out->prefix = out->family == AF_INET ? 32 : 128;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		errno = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (errno || *end || prefix > out->prefix)
			return false;
		out->prefix = (int)prefix;
	}
	return true;
}

/* YW_CUSTOM parser of a shop's `workflow`: its own statuses, in the schema
 * of conf/workflow.yaml. */
static void
parse_shop_workflow(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct shop *shop = base;

	if (node->type != YAML_MAPPING_NODE) {
		yw_error(f, node->start_mark, "expected a mapping of 'statuses' and 'transitions' for '%s',"
		    " found %s", fd->key, yw_show(f, node));
		return;
	}
	wf_def_free(shop->workflow);
	shop->workflow = wf_conf_walk(f, node, fd->key);
}

/* YW_CUSTOM parser of metrics.allow: a list (maybe empty: nobody) of CIDRs. */
static void
parse_cidrs(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct config *cfg = base;
	const yaml_node_item_t *it;
	size_t n;

	if (node->type != YAML_SEQUENCE_NODE) {
		yw_error(f, node->start_mark, "expected a list of addresses for '%s', found %s",
		    fd->key, yw_show(f, node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	free(cfg->metrics.allow);   /* the default */
	cfg->metrics.allow = calloc(n ? n : 1, sizeof(*cfg->metrics.allow));
	cfg->metrics.nallow = 0;
	if (!cfg->metrics.allow) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yw_node(f, *it);
		char *text;

		if (!item)
			continue;
		if (item->type != YAML_SCALAR_NODE || yw_is_null(item)) {
			yw_error(f, item->start_mark, "expected an address, found %s", yw_kind(item));
			continue;
		}
		text = yw_strdup(f, item, fd->key);
		if (!text)
			continue;
		if (!config_parse_cidr(text, &cfg->metrics.allow[cfg->metrics.nallow]))
			yw_error(f, item->start_mark, "%s is not an address or network"
			    " (such as 127.0.0.1, ::1 or 10.0.0.0/8)", yw_show(f, item));
		else
			cfg->metrics.nallow++;
		free(text);
	}
}

/* A plugin's name: [a-z][a-z0-9_]{0,31} (a module file, a URL segment). */
static bool
valid_plugin_name(const char *s)
{
	size_t i;

	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; s[i]; i++)
		if (i > 31 || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

#define PLUGIN_NAME_RULE "is not a plugin name (a lower-case letter, then up to 31 lower-case" \
	" letters, digits or '_')"

/* YW_CUSTOM parser of plugins.load: a list of plugin names, each once. */
static void
parse_plugin_list(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct config *cfg = base;
	const yaml_node_item_t *it;
	size_t n, i;

	if (node->type != YAML_SEQUENCE_NODE) {
		yw_error(f, node->start_mark, "expected a list of plugin names for '%s', found %s",
		    fd->key, yw_show(f, node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	cfg->plugins.load = calloc(n ? n : 1, sizeof(*cfg->plugins.load));
	cfg->plugins.load_at = calloc(n ? n : 1, sizeof(*cfg->plugins.load_at));
	if (!cfg->plugins.load || !cfg->plugins.load_at) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yw_node(f, *it);
		char *name;

		if (!item)
			continue;
		if (item->type != YAML_SCALAR_NODE || yw_is_null(item)) {
			yw_error(f, item->start_mark, "expected a plugin name, found %s", yw_kind(item));
			continue;
		}
		if (!(name = yw_strdup(f, item, fd->key)))
			continue;
		if (!valid_plugin_name(name)) {
			yw_error(f, item->start_mark, "%s " PLUGIN_NAME_RULE, yw_show(f, item));
			free(name);
			continue;
		}
		for (i = 0; i < cfg->plugins.nload; i++)
			if (strcmp(cfg->plugins.load[i], name) == 0)
				break;
		if (i < cfg->plugins.nload) {
			yw_error(f, item->start_mark, "plugin '%s' is listed twice (first at line %u)",
			    name, cfg->plugins.load_at[i].line);
			free(name);
			continue;
		}
		cfg->plugins.load_at[cfg->plugins.nload].line = (unsigned)item->start_mark.line + 1;
		cfg->plugins.load_at[cfg->plugins.nload].column = (unsigned)item->start_mark.column + 1;
		cfg->plugins.load[cfg->plugins.nload++] = name;
	}
}

/* YW_CUSTOM parser of a preset's `settings`: a mapping of keys to scalars. */
static void
parse_preset_settings(struct yw_file *f, const yaml_node_t *node, void *base,
    const struct yw_field *fd)
{
	struct shop_plugin_preset *p = base;
	const yaml_node_pair_t *pair;
	size_t n;

	if (node->type != YAML_MAPPING_NODE) {
		yw_error(f, node->start_mark, "expected a mapping of settings for '%s', found %s",
		    fd->key, yw_kind(node));
		return;
	}
	n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
	p->keys = calloc(n ? n : 1, sizeof(*p->keys));
	p->values = calloc(n ? n : 1, sizeof(*p->values));
	if (!p->keys || !p->values) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yw_node(f, pair->key), *v = yw_node(f, pair->value);
		char *key, *value;
		size_t i;

		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
			yw_error(f, v->start_mark, "expected a setting's value, found %s", yw_kind(v));
			continue;
		}
		if (!(key = yw_strdup(f, k, fd->key)))
			continue;
		for (i = 0; i < p->nsettings && strcmp(p->keys[i], key) != 0; i++)
			;
		if (i < p->nsettings) {
			yw_error(f, k->start_mark, "duplicate key '%s'", key);
			free(key);
			continue;
		}
		value = yw_is_null(v) ? strdup("") : yw_strdup(f, v, key);
		if (!value) {
			free(key);
			continue;
		}
		p->keys[p->nsettings] = key;
		p->values[p->nsettings++] = value;
	}
}

static const struct yw_field preset_fields[] = {
	{ .key = "enabled", .type = YW_BOOL, .offset = offsetof(struct shop_plugin_preset, enabled) },
	{ .key = "settings", .type = YW_CUSTOM, .parse = parse_preset_settings },
	{ .key = NULL }
};

/* YW_CUSTOM parser of a shop's `plugins`: NAME: {enabled: BOOL, settings: {…}}. */
static void
parse_shop_plugins(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct shop *shop = base;
	const yaml_node_pair_t *pair;
	size_t n;

	if (node->type != YAML_MAPPING_NODE) {
		yw_error(f, node->start_mark, "expected a mapping of plugin names for '%s', found %s",
		    fd->key, yw_show(f, node));
		return;
	}
	n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
	shop->plugins = calloc(n ? n : 1, sizeof(*shop->plugins));
	if (!shop->plugins) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yw_node(f, pair->key), *v = yw_node(f, pair->value);
		struct shop_plugin_preset *p;
		char *name;
		size_t i;

		if (!k || !v || !(name = yw_strdup(f, k, fd->key)))
			continue;
		if (!valid_plugin_name(name)) {
			yw_error(f, k->start_mark, "%s " PLUGIN_NAME_RULE, yw_show(f, k));
			free(name);
			continue;
		}
		for (i = 0; i < shop->nplugins && strcmp(shop->plugins[i].name, name) != 0; i++)
			;
		if (i < shop->nplugins) {
			yw_error(f, k->start_mark, "duplicate key '%s'", name);
			free(name);
			continue;
		}
		p = &shop->plugins[shop->nplugins++];
		p->name = name;
		p->enabled = true;
		if (v->type != YAML_MAPPING_NODE) {
			yw_error(f, v->start_mark, "expected a mapping (enabled, settings) for plugin '%s',"
			    " found %s", name, yw_kind(v));
			continue;
		}
		yw_walk(f, v, preset_fields, name, p);
	}
}

/*
 * `p` made relative to the folder of `conf_path` (unchanged when absolute),
 * or NULL when memory ran out. "conf/comptoir.yaml" + "shops.d" gives
 * "conf/shops.d"; "comptoir.yaml" + "./shops.d" gives "shops.d".
 */
static char *
resolve_path(const char *conf_path, const char *p)
{
	const char *slash = strrchr(conf_path, '/');
	struct buf b;
	char *r;

	if (p[0] == '/')
		return strdup(p);
	while (p[0] == '.' && p[1] == '/') {
		for (p += 2; *p == '/'; p++)
			;
	}
	if (!*p)
		p = ".";
	if (!slash)
		return strdup(p);
	buf_init(&b, 0);
	buf_append(&b, conf_path, (size_t)(slash - conf_path) + 1);
	buf_puts(&b, p);
	r = buf_failed(&b) ? NULL : strdup(buf_str(&b));
	buf_free(&b);
	return r;
}

/* Sets the defaults documented in conf.h; false when memory ran out. */
static bool
set_defaults(struct config *cfg, const char *path)
{
	cfg->server.threads = 8;
	cfg->server.backlog = 256;
	cfg->server.max_body = (size_t)1 << 20;
	cfg->database.port = 3306;
	cfg->database.replica.port = 3306;
	cfg->database.replica.max_lag_seconds = 5;
	cfg->database.read_cache_mb = 32;
	cfg->sessions.idle_timeout = 1800;
	cfg->sessions.absolute_timeout = 43200;
	cfg->sessions.cache_seconds = 1;
	cfg->sessions.secure = COOKIE_SECURE_AUTO;
	cfg->login.max_failures_per_account = 5;
	cfg->login.max_failures_per_address = 20;
	cfg->login.window = 900;
	cfg->log.requests = true;
	cfg->metrics.allow = calloc(2, sizeof(*cfg->metrics.allow));
	if (!cfg->metrics.allow || !config_parse_cidr("127.0.0.0/8", &cfg->metrics.allow[0]) ||
	    !config_parse_cidr("::1", &cfg->metrics.allow[1]))
		return false;
	cfg->metrics.nallow = 2;
	return set_str(&cfg->path, path) &&
	    set_str(&cfg->server.socket, "/run/comptoir/comptoir.sock") &&
	    set_str(&cfg->database.host, "127.0.0.1") &&
	    set_str(&cfg->database.name, "comptoir") &&
	    set_str(&cfg->database.user, "comptoir") &&
	    set_str(&cfg->database.password, "") &&
	    set_str(&cfg->paths.templates, COMPTOIR_DATADIR "/templates") &&
	    set_str(&cfg->plugins.dir, PLUGINDIR) &&
	    set_str(&cfg->paths.locale, DEFAULT_LOCALEDIR) &&
	    set_str(&cfg->paths.workflow, "workflow.yaml");
}

/* Makes the paths.* values relative to comptoir.yaml's folder. */
static bool
resolve_paths(struct config *cfg)
{
	char **paths[] = { &cfg->paths.templates, &cfg->paths.locale, &cfg->paths.shops,
	    &cfg->security.key_file, &cfg->paths.workflow, &cfg->plugins.dir };
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *r;

		if (!*paths[i])
			continue;
		r = resolve_path(cfg->path, *paths[i]);
		if (!r)
			return false;
		free(*paths[i]);
		*paths[i] = r;
	}
	return true;
}

/*
 * Reads security.key_file into cfg->security.key: 64 hex digits (an
 * optional line end after them), in a file no other user may read or
 * write. Problems are reported at `mark`, the key_file value.
 */
static void
load_key_file(struct config *cfg, struct yw_file *f, yaml_mark_t mark)
{
	const char *path = cfg->security.key_file;
	char text[80];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		yw_error(f, mark, "cannot open the key file '%s': %s (make one with"
		    " `openssl rand -hex 32 > FILE; chmod 600 FILE`)", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		yw_error(f, mark, "the key file '%s' is not a regular file", path);
		close(fd);
		return;
	}
	if (st.st_mode & (S_IWGRP | S_IRWXO)) {
		yw_error(f, mark, "the key file '%s' may be read or written by other users"
		    " (mode %03o): chmod 600 it", path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	len = n > 0 ? (size_t)n : 0;
	text[len] = '\0';
	if (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	if (len != 2 * sizeof(cfg->security.key) ||
	    strspn(text, "0123456789abcdefABCDEF") != len ||
	    sodium_hex2bin(cfg->security.key, sizeof(cfg->security.key), text, len,
	    NULL, NULL, NULL) != 0) {
		yw_error(f, mark, "the key file '%s' must hold 64 hex digits (32 random bytes,"
		    " `openssl rand -hex 32`); it holds %zu characters", path, len);
		sodium_memzero(text, sizeof(text));
		return;
	}
	sodium_memzero(text, sizeof(text));
	cfg->security.key_set = true;
}

/* Reads one shop file into a new entry of cfg->shops. */
static void
load_shop(struct loader *L, const char *file)
{
	struct config *cfg = L->cfg;
	struct yw_file f;
	const yaml_node_t *root;
	struct shop *shop;

	if (cfg->nshops == L->shops_cap) {
		size_t cap = L->shops_cap ? L->shops_cap * 2 : 16;
		struct shop *s = realloc(cfg->shops, cap * sizeof(*s));
		yaml_mark_t *m;

		if (!s) {
			yw_report(&L->errs, "%s: out of memory", file);
			return;
		}
		cfg->shops = s;
		m = realloc(L->code_marks, cap * sizeof(*m));
		if (!m) {
			yw_report(&L->errs, "%s: out of memory", file);
			return;
		}
		L->code_marks = m;
		L->shops_cap = cap;
	}
	L->cur = cfg->nshops++;
	shop = &cfg->shops[L->cur];
	memset(shop, 0, sizeof(*shop));
	shop->settings.prices_include_vat = true;   /* B2C: prices shown with VAT */
	shop->enabled = true;
	memset(&L->code_marks[L->cur], 0, sizeof(L->code_marks[L->cur]));
	if (!set_str(&shop->file, file) || !set_str(&shop->currency, "EUR") ||
	    !set_str(&shop->locale, "fr") || !set_str(&shop->timezone, "Europe/Paris")) {
		yw_report(&L->errs, "%s: out of memory", file);
		return;
	}
	root = yw_open(&f, &L->errs, shop->file);
	f.user = L;
	if (root) {
		const yaml_node_t *code;

		yw_walk(&f, root, shop_fields, NULL, shop);
		code = yw_lookup(&f, root, "code");
		if (code)
			L->code_marks[L->cur] = code->start_mark;
	}
	yw_close(&f);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Reads every *.yaml file of cfg->paths.shops, in name order. Other files,
 * hidden files and directories are ignored. `conf` and `mark` locate the
 * paths.shops setting, for the message when the directory cannot be read.
 */
static void
load_shops(struct loader *L, struct yw_file *conf, yaml_mark_t mark)
{
	const char *dir = L->cfg->paths.shops;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct buf path;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		yw_error(conf, mark, "cannot open the shops directory '%s': %s", dir,
		    strerror(errno));
		return;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				yw_error(conf, mark, "cannot read the shops directory '%s': %s",
				    dir, strerror(errno));
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (has_suffix(de->d_name, ".yml")) {
			log_warn("%s/%s: ignored, shop files end in .yaml", dir, de->d_name);
			continue;
		}
		if (!has_suffix(de->d_name, ".yaml"))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			char **p = realloc(names, c * sizeof(*p));

			if (!p)
				break;
			names = p;
			cap = c;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			break;
		n++;
	}
	if (de)
		yw_report(&L->errs, "%s: out of memory", dir);
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	buf_init(&path, PATH_MAX);
	for (i = 0; i < n && !yw_full(&L->errs); i++) {
		struct stat st;

		buf_reset(&path);
		buf_puts(&path, dir);
		if (!has_suffix(dir, "/"))
			buf_putc(&path, '/');
		buf_puts(&path, names[i]);
		if (buf_failed(&path)) {
			yw_report(&L->errs, "%s/%s: path too long", dir, names[i]);
			continue;
		}
		if (stat(buf_str(&path), &st) == 0 && S_ISDIR(st.st_mode))
			continue;
		load_shop(L, buf_str(&path));
	}
	buf_free(&path);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

struct code_ref {
	const char *code;
	size_t shop;
};

static int
cmp_codes(const void *a, const void *b)
{
	const struct code_ref *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c ? c : (x->shop > y->shop) - (x->shop < y->shop);
}

static int
cmp_host_refs(const void *a, const void *b)
{
	const struct host_ref *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c)
		return c;
	if (x->shop != y->shop)
		return x->shop < y->shop ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Appends "file:line:col: message" for a shop that is no longer open. */
static void
shop_error(struct loader *L, size_t shop, yaml_mark_t mark, const char *msg)
{
	yw_report(&L->errs, "%s:%zu:%zu: %s", L->cfg->shops[shop].file, mark.line + 1,
	    mark.column + 1, msg);
}

/* Reports a shop code used by two files. */
static void
check_codes(struct loader *L)
{
	const struct config *cfg = L->cfg;
	struct code_ref *refs;
	struct buf msg;
	size_t n = 0, i, first = 0;

	if (cfg->nshops < 2)
		return;
	refs = malloc(cfg->nshops * sizeof(*refs));
	if (!refs) {
		yw_report(&L->errs, "%s: out of memory", cfg->path);
		return;
	}
	for (i = 0; i < cfg->nshops; i++)
		if (cfg->shops[i].code)
			refs[n++] = (struct code_ref){ cfg->shops[i].code, i };
	qsort(refs, n, sizeof(*refs), cmp_codes);
	buf_init(&msg, 0);
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].code, refs[first].code) != 0) {
			first = i;
			continue;
		}
		buf_reset(&msg);
		buf_printf(&msg, "shop code '%s' is already used by %s:%zu", refs[i].code,
		    cfg->shops[refs[first].shop].file,
		    L->code_marks[refs[first].shop].line + 1);
		shop_error(L, refs[i].shop, L->code_marks[refs[i].shop], buf_str(&msg));
	}
	buf_free(&msg);
	free(refs);
}

/* Sorts the host names; reports those used twice. */
static void
check_hosts(struct loader *L)
{
	const struct config *cfg = L->cfg;
	struct buf msg;
	size_t i, first = 0;

	if (L->nhosts == 0)
		return;
	qsort(L->hosts, L->nhosts, sizeof(*L->hosts), cmp_host_refs);
	buf_init(&msg, 0);
	for (i = 1; i < L->nhosts; i++) {
		const struct host_ref *a = &L->hosts[first], *b = &L->hosts[i];
		const struct shop *owner = &cfg->shops[a->shop];

		if (strcmp(a->host, b->host) != 0) {
			first = i;
			continue;
		}
		buf_reset(&msg);
		if (a->shop == b->shop)
			buf_printf(&msg, "host '%s' is listed twice (first at line %zu)", b->host,
			    a->mark.line + 1);
		else if (owner->code)
			buf_printf(&msg, "host '%s' is already used by shop '%s' (%s:%zu)", b->host,
			    owner->code, owner->file, a->mark.line + 1);
		else
			buf_printf(&msg, "host '%s' is already used by %s:%zu", b->host,
			    owner->file, a->mark.line + 1);
		shop_error(L, b->shop, b->mark, buf_str(&msg));
	}
	buf_free(&msg);
}

/* FNV-1a of the host, ASCII case ignored (index hosts are lower-case). */
static uint64_t
host_hash(const char *host)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)host; *p; p++) {
		unsigned c = *p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p;

		h = (h ^ c) * 1099511628211ULL;
	}
	return h;
}

/* Builds cfg->host_index (hosts of enabled shops, sorted) and its hash table
 * from the sorted, unique host list. */
static bool
build_host_index(struct loader *L)
{
	struct config *cfg = L->cfg;
	size_t i, n = 0, slots = 16;

	if (L->nhosts == 0)
		return true;
	cfg->host_index = malloc(L->nhosts * sizeof(*cfg->host_index));
	if (!cfg->host_index)
		return false;
	for (i = 0; i < L->nhosts; i++) {
		struct shop *s = &cfg->shops[L->hosts[i].shop];

		if (!s->enabled)
			continue;
		cfg->host_index[n].host = L->hosts[i].host;
		cfg->host_index[n].shop = s;
		n++;
	}
	cfg->nhosts = n;
	while (slots < 2 * n)
		slots *= 2;
	cfg->host_slots = calloc(slots, sizeof(*cfg->host_slots));
	if (!cfg->host_slots)
		return false;
	cfg->host_slots_mask = slots - 1;
	for (i = 0; i < n; i++) {
		size_t j = (size_t)host_hash(cfg->host_index[i].host) & cfg->host_slots_mask;

		while (cfg->host_slots[j])
			j = (j + 1) & cfg->host_slots_mask;
		cfg->host_slots[j] = i + 1;
	}
	return true;
}

/* Where a value is written; line 0 when it is absent or null (the default). */
static struct conf_at
at_of(const yaml_node_t *n)
{
	struct conf_at at = { 0, 0 };

	if (n && !yw_is_null(n)) {
		at.line = (unsigned)n->start_mark.line + 1;
		at.column = (unsigned)n->start_mark.column + 1;
	}
	return at;
}

/*
 * paths.workflow not set: workflow.yaml beside comptoir.yaml, else the one
 * `make install` put in $(pkgdatadir)/conf; neither (a configuration
 * written by hand, without one): none, and a shop that needs its first
 * statuses is refused when it is synced (wf_shops_sync says why). False
 * when memory ran out.
 */
static bool
default_workflow(struct config *cfg)
{
	if (access(cfg->paths.workflow, F_OK) == 0)
		return true;
	if (access(COMPTOIR_DATADIR "/conf/workflow.yaml", F_OK) == 0)
		return set_str(&cfg->paths.workflow, COMPTOIR_DATADIR "/conf/workflow.yaml");
	free(cfg->paths.workflow);
	cfg->paths.workflow = NULL;
	return true;
}

int
config_load(const char *path, struct config **out, struct buf *err)
{
	struct loader L;
	struct yw_file f;
	const yaml_node_t *root, *shops = NULL, *key_file = NULL, *replica;
	yaml_mark_t shops_mark = { 0, 0, 0 };
	bool workflow_set = false;
	struct config *cfg;

	assert(path && out && err);
	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.errs.out = err;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg || !set_defaults(cfg, path)) {
		yw_report(&L.errs, "%s: out of memory", path);
		config_free(cfg);
		return -1;
	}
	L.cfg = cfg;

	root = yw_open(&f, &L.errs, cfg->path);
	if (root) {
		const yaml_node_t *paths;

		yw_walk(&f, root, config_fields, NULL, cfg);
		paths = yw_lookup(&f, root, "paths");
		shops = yw_lookup(&f, paths, "shops");
		if (shops)
			shops_mark = shops->start_mark;
		cfg->paths_at.templates = at_of(yw_lookup(&f, paths, "templates"));
		cfg->paths_at.locale = at_of(yw_lookup(&f, paths, "locale"));
		key_file = yw_lookup(&f, yw_lookup(&f, root, "security"), "key_file");
		replica = yw_lookup(&f, yw_lookup(&f, root, "database"), "replica");
		/* A replica section that names no server would silently be none. */
		if (replica && !cfg->database.replica.host && !cfg->database.replica.socket)
			yw_error(&f, replica->start_mark, "database.replica needs a host or a socket");
		workflow_set = at_of(yw_lookup(&f, paths, "workflow")).line != 0;
	}
	if (!resolve_paths(cfg))
		yw_report(&L.errs, "%s: out of memory", path);
	else if (cfg->paths.shops && !yw_full(&L.errs))
		load_shops(&L, &f, shops_mark);
	if (cfg->security.key_file && key_file)
		load_key_file(cfg, &f, key_file->start_mark);
	yw_close(&f);
	/* Unless comptoir.yaml itself could not be read: one problem is enough. */
	if (root && !workflow_set && !default_workflow(cfg))
		yw_report(&L.errs, "%s: out of memory", path);
	else if (root && cfg->paths.workflow && !yw_full(&L.errs))
		cfg->workflow = wf_conf_load(&L.errs, cfg->paths.workflow);

	check_codes(&L);
	check_hosts(&L);
	if (L.errs.count == 0 && !build_host_index(&L))
		yw_report(&L.errs, "%s: out of memory", path);

	free(L.code_marks);
	free(L.hosts);
	if (L.errs.count > 0) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

/* Appends the problem of paths.<key>, at the key or, for a default, the file. */
static void
path_problem(const struct config *cfg, struct buf *err, const char *key, struct conf_at at,
    const char *path, const char *what)
{
	if (at.line)
		buf_printf(err, "%s:%u:%u: paths.%s '%s': %s\n", cfg->path, at.line, at.column, key,
		    path, what);
	else
		buf_printf(err, "%s: paths.%s (not set, default '%s'): %s\n", cfg->path, key, path,
		    what);
}

/* A folder this process can list and read from; else why not. */
static const char *
folder_problem(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return strerror(errno);
	if (!S_ISDIR(st.st_mode))
		return "not a folder";
	if (access(path, R_OK | X_OK) != 0)
		return strerror(errno);
	return NULL;
}

int
config_check_templates(const struct config *cfg, struct buf *err)
{
	const char *why = folder_problem(cfg->paths.templates);

	if (!why)
		return 0;
	path_problem(cfg, err, "templates", cfg->paths_at.templates, cfg->paths.templates, why);
	return -1;
}

int
config_check_locale(const struct config *cfg, struct buf *err)
{
	static const char catalogue[] = "fr/LC_MESSAGES/comptoir.mo";
	const char *why;
	struct buf mo;
	int rc = 0;

	if ((why = folder_problem(cfg->paths.locale)) != NULL) {
		path_problem(cfg, err, "locale", cfg->paths_at.locale, cfg->paths.locale, why);
		return -1;
	}
	buf_init(&mo, PATH_MAX);
	buf_printf(&mo, "%s/%s", cfg->paths.locale, catalogue);
	if (buf_failed(&mo) || access(buf_str(&mo), R_OK) != 0) {
		const char *cause = buf_failed(&mo) ? "path too long" : strerror(errno);
		struct buf what;

		buf_init(&what, 0);
		buf_printf(&what, "no readable %s in it (%s): the pages would be in English",
		    catalogue, cause);
		path_problem(cfg, err, "locale", cfg->paths_at.locale, cfg->paths.locale,
		    buf_str(&what));
		buf_free(&what);
		rc = -1;
	}
	buf_free(&mo);
	return rc;
}

int
config_check_paths(const struct config *cfg, struct buf *err)
{
	int templates = config_check_templates(cfg, err);

	return config_check_locale(cfg, err) == 0 && templates == 0 ? 0 : -1;
}

static void
shop_free(struct shop *s)
{
	size_t i;

	free(s->code);
	free(s->name);
	for (i = 0; i < s->nhosts; i++)
		free(s->hosts[i]);
	free(s->hosts);
	free(s->currency);
	free(s->locale);
	free(s->timezone);
	free(s->legal.company);
	free(s->legal.legal_form);
	free(s->legal.address);
	free(s->legal.siret);
	free(s->legal.vat_number);
	free(s->legal.rcs);
	free(s->legal.capital);
	free(s->legal.email);
	free(s->legal.phone);
	for (i = 0; i < s->nplugins; i++) {
		size_t j;

		free(s->plugins[i].name);
		for (j = 0; j < s->plugins[i].nsettings; j++) {
			free(s->plugins[i].keys[j]);
			free(s->plugins[i].values[j]);
		}
		free(s->plugins[i].keys);
		free(s->plugins[i].values);
	}
	free(s->plugins);
	free(s->file);
	wf_def_free(s->workflow);
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->server.socket);
	free(cfg->database.socket);
	free(cfg->database.host);
	free(cfg->database.name);
	free(cfg->database.user);
	free(cfg->database.password);
	free(cfg->database.replica.socket);
	free(cfg->database.replica.host);
	free(cfg->database.replica.user);
	free(cfg->database.replica.password);
	free(cfg->paths.templates);
	free(cfg->paths.locale);
	free(cfg->paths.shops);
	free(cfg->paths.workflow);
	wf_def_free(cfg->workflow);
	free(cfg->security.key_file);
	free(cfg->plugins.dir);
	for (i = 0; i < cfg->plugins.nload; i++)
		free(cfg->plugins.load[i]);
	free(cfg->plugins.load);
	free(cfg->plugins.load_at);
	sodium_memzero(cfg->security.key, sizeof(cfg->security.key));
	for (i = 0; i < cfg->nshops; i++)
		shop_free(&cfg->shops[i]);
	free(cfg->shops);
	free(cfg->host_index);
	free(cfg->host_slots);
	free(cfg->metrics.allow);
	free(cfg);
}

/* Equal, ignoring ASCII case in `key` (index hosts are lower-case)? */
static bool
same_host(const char *key, const char *host)
{
	const unsigned char *a = (const unsigned char *)key, *b = (const unsigned char *)host;

	for (;; a++, b++) {
		int x = *a >= 'A' && *a <= 'Z' ? *a + ('a' - 'A') : *a;

		if (x != *b)
			return false;
		if (!x)
			return true;
	}
}

struct shop *
config_shop_by_host(const struct config *cfg, const char *host)
{
	size_t j, k;

	if (!cfg || !host || cfg->nhosts == 0)
		return NULL;
	for (j = (size_t)host_hash(host) & cfg->host_slots_mask; (k = cfg->host_slots[j]) != 0;
	    j = (j + 1) & cfg->host_slots_mask)
		if (same_host(host, cfg->host_index[k - 1].host))
			return cfg->host_index[k - 1].shop;
	return NULL;
}

struct shop *
config_shop_by_code(const struct config *cfg, const char *code)
{
	size_t i;

	if (!cfg || !code)
		return NULL;
	for (i = 0; i < cfg->nshops; i++)
		if (cfg->shops[i].code && strcmp(cfg->shops[i].code, code) == 0)
			return &cfg->shops[i];
	return NULL;
}

bool
config_valid_code(const char *code)
{
	return code && valid_code(code);
}

bool
config_valid_host(const char *host)
{
	return host && valid_host(host);
}

bool
config_metrics_allowed(const struct config *cfg, const char *addr)
{
	struct conf_cidr a;
	size_t i;

	if (!cfg || !addr || !config_parse_cidr(addr, &a) || strchr(addr, '/'))
		return false;
	/* A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d: they are
	 * matched against the IPv4 entries, as the operator wrote them. */
	if (a.family == AF_INET6 && memcmp(a.addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(a.addr, a.addr + 12, 4);
		memset(a.addr + 4, 0, 12);
		a.family = AF_INET;
		a.prefix = 32;
	}
	for (i = 0; i < cfg->metrics.nallow; i++) {
		const struct conf_cidr *c = &cfg->metrics.allow[i];
		int whole = c->prefix / 8, bits = c->prefix % 8;

		if (c->family != a.family || memcmp(c->addr, a.addr, (size_t)whole) != 0)
			continue;
		if (bits == 0 || ((c->addr[whole] ^ a.addr[whole]) & (0xff << (8 - bits)) & 0xff) == 0)
			return true;
	}
	return false;
}
