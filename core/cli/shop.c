/*
 * comptoir shop: the shops of the configuration and their API keys.
 *   shop list
 *   shop add --code CODE --host HOST[,HOST…] [--name NAME] [--company NAME]
 *            [--locale fr|en] [--currency EUR]
 *   shop disable --code CODE / shop enable --code CODE
 *   shop api-key --shop CODE --name NAME [--key KEY]   (prints the new key once)
 *   shop api-keys --shop CODE
 *   shop revoke-key --shop CODE --prefix PREFIX
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "shop/api_key.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

static const char usage[] =
	"usage: comptoir shop list\n"
	"       comptoir shop add --code CODE --host HOST[,HOST...] [--name NAME] [--company NAME]\n"
	"                         [--locale fr|en] [--currency EUR]\n"
	"       comptoir shop disable --code CODE\n"
	"       comptoir shop enable --code CODE\n"
	"       comptoir shop api-key --shop CODE --name NAME [--key KEY]\n"
	"       comptoir shop api-keys --shop CODE\n"
	"       comptoir shop revoke-key --shop CODE --prefix PREFIX\n";

static const struct cli_option options[] = {
	{ .name = "shop", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = "name", .kind = CLI_TEXT, .value = "NAME" },
	{ .name = "key", .kind = CLI_TEXT, .value = "KEY" },
	{ .name = "prefix", .kind = CLI_TEXT, .value = "PREFIX" },
	{ .name = "code", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = "host", .kind = CLI_TEXT, .value = "HOST" },
	{ .name = "company", .kind = CLI_TEXT, .value = "NAME" },
	{ .name = "locale", .kind = CLI_TEXT, .value = "fr|en" },
	{ .name = "currency", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = NULL }
};

static const struct cli_spec spec = {
	.name = "shop", .usage = usage, .opts = options, .max_args = 1,
};

static void
list_shops(const struct config *cfg)
{
	size_t i, h;

	for (i = 0; i < cfg->nshops; i++) {
		const struct shop *s = &cfg->shops[i];

		printf("%lld\t%s\t%s\t", s->id, s->code, s->name);
		for (h = 0; h < s->nhosts; h++)
			printf("%s%s", h ? "," : "", s->hosts[h]);
		puts(s->enabled ? "" : "\t(disabled)");
	}
}

/* Appends s as a YAML double-quoted scalar: any text stays one value. */
static void
yaml_quoted(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

/*
 * Writes `text` to a new hidden file of `dir` (the loader skips those),
 * flushed to disk, then gives it the name `path`: with `replace`, by
 * rename() over the old file; without, by link(), which fails if `path`
 * exists (0, or 1 and nothing changed). Readers, comptoir serve at a
 * SIGHUP among them, see the old file or the new one, never half of one.
 */
static int
write_atomically(const char *dir, const char *path, const struct buf *text, bool replace)
{
	struct buf tmp;
	int fd, rc = -1;

	buf_init(&tmp, 4096);
	buf_printf(&tmp, "%s/.comptoir-shop.XXXXXX", dir);
	if (buf_failed(&tmp)) {
		fprintf(stderr, "shop: %s: path too long\n", dir);
		buf_free(&tmp);
		return -1;
	}
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		fprintf(stderr, "shop: cannot write in %s: %s\n", dir, strerror(errno));
		buf_free(&tmp);
		return -1;
	}
	if (fchmod(fd, 0644) != 0 || write(fd, text->data, text->len) != (ssize_t)text->len ||
	    fsync(fd) != 0) {
		fprintf(stderr, "shop: cannot write %s: %s\n", tmp.data, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "shop: cannot write %s: %s\n", tmp.data, strerror(errno));
		goto out;
	}
	if (replace ? rename(tmp.data, path) == 0 : link(tmp.data, path) == 0) {
		rc = 0;
	} else if (!replace && errno == EEXIST) {
		fprintf(stderr, "shop: %s already exists\n", path);
		rc = 1;
	} else {
		fprintf(stderr, "shop: cannot create %s: %s\n", path, strerror(errno));
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY);   /* the new name, on disk too */
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
out:
	unlink(tmp.data);   /* after link(), or when something failed */
	buf_free(&tmp);
	return rc;
}

/* The shop of `code`, NULL (said) when the configuration has none. */
static struct shop *
shop_named(const struct config *cfg, const char *code)
{
	struct shop *s = code ? config_shop_by_code(cfg, code) : NULL;

	if (!s)
		fprintf(stderr, "shop: --code must name a shop of the configuration\n");
	return s;
}

/* Does any shop, enabled or not, list `host`? Its code, or NULL. */
static const char *
host_owner(const struct config *cfg, const char *host)
{
	size_t i, h;

	for (i = 0; i < cfg->nshops; i++)
		for (h = 0; h < cfg->shops[i].nhosts; h++)
			if (strcmp(cfg->shops[i].hosts[h], host) == 0)
				return cfg->shops[i].code;
	return NULL;
}

/* After a change to the shops directory: the configuration must still
 * load, and the shops get their rows. Prints what is wrong; 0 or 1. */
static int
check_and_sync(const char *config_path)
{
	struct config *cfg;
	struct db *db;

	if (cli_open(config_path, &cfg, &db) != 0)
		return 1;
	cli_close(cfg, db);
	return 0;
}

static const char reload_hint[] =
	"shop: comptoir serve applies it at its next reload (SIGHUP; systemctl reload comptoir)\n";

static int
shop_add(struct cli *c, const struct config *cfg)
{
	const char *code = cli_opt(c, "code"), *hosts = cli_opt(c, "host");
	const char *name = cli_opt(c, "name"), *company = cli_opt(c, "company");
	const char *locale = cli_opt(c, "locale"), *currency = cli_opt(c, "currency");
	struct buf text, path;
	char *list, *h, *save = NULL;
	const char *owner;
	int rc = 2;

	if (!config_valid_code(code)) {
		fprintf(stderr, "shop: --code must be 1 to 32 lower-case letters, digits or '-',"
		    " starting with a letter or digit\n");
		return 2;
	}
	if (config_shop_by_code(cfg, code)) {
		fprintf(stderr, "shop: a shop with code %s already exists\n", code);
		return 1;
	}
	if (!hosts || !*hosts) {
		fprintf(stderr, "shop: --host is required (one or several, separated by commas)\n");
		return 2;
	}
	buf_init(&text, 64 * 1024);
	buf_init(&path, 4096);
	buf_puts(&text, "# Written by `comptoir shop add`.\ncode: ");
	buf_puts(&text, code);
	buf_puts(&text, "\nname: ");
	yaml_quoted(&text, name && *name ? name : code);
	buf_puts(&text, "\nhosts: [");
	list = strdup(hosts);
	if (!list)
		die("out of memory");
	for (h = strtok_r(list, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
		char *p;

		for (p = h; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + ('a' - 'A'));
		if (!config_valid_host(h)) {
			fprintf(stderr, "shop: %s is not a valid host name (letters, digits, '-' and '.',"
			    " no port)\n", h);
			goto out;
		}
		if ((owner = host_owner(cfg, h))) {
			fprintf(stderr, "shop: host %s is already used by shop %s\n", h, owner);
			rc = 1;
			goto out;
		}
		buf_puts(&text, text.data[text.len - 1] == '[' ? "" : ", ");
		buf_puts(&text, h);
	}
	buf_puts(&text, "]\n");
	if (locale) {
		buf_puts(&text, "locale: ");
		yaml_quoted(&text, locale);
		buf_putc(&text, '\n');
	}
	if (currency) {
		buf_puts(&text, "currency: ");
		yaml_quoted(&text, currency);
		buf_putc(&text, '\n');
	}
	buf_puts(&text, "legal:\n  company: ");
	yaml_quoted(&text, company && *company ? company : name && *name ? name : code);
	buf_putc(&text, '\n');
	buf_printf(&path, "%s/%s.yaml", cfg->paths.shops, code);
	if (buf_failed(&text) || buf_failed(&path)) {
		fprintf(stderr, "shop: the shop's file would be too long\n");
		goto out;
	}
	rc = write_atomically(cfg->paths.shops, buf_str(&path), &text, false);
	if (rc != 0)
		goto out;
	if (check_and_sync(c->config_path) != 0) {
		/* The file made the configuration invalid (a --locale, a
		 * --currency): it goes, nothing else changed. */
		unlink(buf_str(&path));
		fprintf(stderr, "shop: %s not added\n", code);
		rc = 2;
		goto out;
	}
	printf("shop: %s added (%s)\n", code, buf_str(&path));
	fputs(reload_hint, stderr);
out:
	free(list);
	buf_free(&text);
	buf_free(&path);
	return rc;
}

/* Rewrites s's file with its top-level `enabled:` line replaced. */
static int
shop_enable(struct cli *c, const struct shop *s, bool enable)
{
	struct buf old, text;
	const char *line, *end, *slash;
	char dir[4096], chunk[4096];
	FILE *f;
	size_t n;
	int rc = 1;

	if (s->enabled == enable) {
		printf("shop: %s is already %s\n", s->code, enable ? "enabled" : "disabled");
		return 0;
	}
	buf_init(&old, 1024 * 1024);
	buf_init(&text, 1024 * 1024 + 64);
	f = fopen(s->file, "r");
	if (!f) {
		fprintf(stderr, "shop: cannot read %s: %s\n", s->file, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&old, chunk, n);
	fclose(f);
	buf_putc(&old, '\0');
	if (buf_failed(&old)) {
		fprintf(stderr, "shop: %s is too large\n", s->file);
		goto out;
	}
	for (line = old.data; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (strncmp(line, "enabled:", 8) != 0)
			buf_append(&text, line, (size_t)(end - line));
	}
	if (text.len && text.data[text.len - 1] != '\n')
		buf_putc(&text, '\n');
	if (!enable)
		buf_puts(&text, "enabled: false\n");
	slash = strrchr(s->file, '/');
	n = slash ? (size_t)(slash - s->file) : 1;
	if (n >= sizeof(dir) || buf_failed(&text))
		goto out;
	memcpy(dir, slash ? s->file : ".", n);
	dir[n] = '\0';
	if (write_atomically(dir, s->file, &text, true) != 0)
		goto out;
	if (check_and_sync(c->config_path) != 0) {
		/* Not a file this command can edit (a flow mapping?): put it back. */
		old.len--;   /* without the NUL */
		write_atomically(dir, s->file, &old, true);
		fprintf(stderr, "shop: %s unchanged\n", s->file);
		goto out;
	}
	printf("shop: %s %s\n", s->code, enable ? "enabled" : "disabled");
	fputs(reload_hint, stderr);
	rc = 0;
out:
	buf_free(&old);
	buf_free(&text);
	return rc;
}

static int
key_command(const char *action, struct cli *c, const struct config *cfg, struct db *db,
    struct arena *a, const struct shop *s)
{
	if (strcmp(action, "api-key") == 0) {
		const char *key;

		switch (api_key_create(db, a, cfg, s->id, cli_opt(c, "name"), cli_opt(c, "key"), &key)) {
		case API_KEY_OK:
			printf("%s\n", key);
			fprintf(stderr, "shop: API key created for %s; it is shown only now\n", s->code);
			return 0;
		case API_KEY_EXISTS:
			fprintf(stderr, "shop: this key already exists in %s\n", s->code);
			return 1;
		case API_KEY_INVALID:
			fprintf(stderr, "shop: --name is required; a --key must be %d to %d letters,"
			    " digits, '-' or '_'\n", API_KEY_MIN, API_KEY_MAX);
			return 2;
		default:
			return 1;
		}
	}
	if (strcmp(action, "api-keys") == 0) {
		struct api_key *keys;
		size_t n, i;

		if (api_key_list(db, a, s->id, &keys, &n) != API_KEY_OK)
			return 1;
		for (i = 0; i < n; i++)
			printf("%s…\t%s\tcreated %s\tlast used %s%s\n", keys[i].prefix, keys[i].name,
			    keys[i].created_at, keys[i].last_used_at ? keys[i].last_used_at : "never",
			    keys[i].revoked ? "\trevoked" : "");
		return 0;
	}
	switch (api_key_revoke(db, a, cfg, s->id, cli_opt(c, "prefix"))) {
	case API_KEY_OK:
		printf("shop: key %.*s… of %s revoked\n", API_KEY_PREFIX_LEN, cli_opt(c, "prefix"), s->code);
		return 0;
	case API_KEY_NOT_FOUND:
		fprintf(stderr, "shop: no live key starting with that prefix in %s\n", s->code);
		return 1;
	case API_KEY_AMBIGUOUS:
		fprintf(stderr, "shop: several live keys of %s start with that prefix;"
		    " give the whole key\n", s->code);
		return 1;
	default:
		fputs(usage, stderr);
		return 2;
	}
}

int
cmd_shop(struct cli *c)
{
	const char *action;
	struct config *cfg;
	struct db *db;
	struct arena a;
	struct shop *s;
	int rc;

	if (cli_parse(c, &spec, &rc) != 0)
		return rc;
	action = c->argc > 0 ? c->argv[0] : "";
	if (strcmp(action, "list") && strcmp(action, "api-key") && strcmp(action, "api-keys") &&
	    strcmp(action, "revoke-key") && strcmp(action, "add") && strcmp(action, "disable") &&
	    strcmp(action, "enable")) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(action, "add") == 0 || strcmp(action, "disable") == 0 ||
	    strcmp(action, "enable") == 0) {
		/* The files only: the rows come after, once the new set loads. */
		if (!(cfg = cli_load_config(c->config_path)))
			return 1;
		if (action[0] == 'a')
			rc = shop_add(c, cfg);
		else if ((s = shop_named(cfg, cli_opt(c, "code"))))
			rc = shop_enable(c, s, action[0] == 'e');
		else
			rc = 2;
		config_free(cfg);
		return rc;
	}
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	if (strcmp(action, "list") == 0) {
		list_shops(cfg);
		cli_close(cfg, db);
		return 0;
	}
	s = cli_opt(c, "shop") ? config_shop_by_code(cfg, cli_opt(c, "shop")) : NULL;
	if (!s) {
		fprintf(stderr, "shop: --shop must name a shop of the configuration\n");
		cli_close(cfg, db);
		return 2;
	}
	arena_init(&a, 0);
	rc = key_command(action, c, cfg, db, &a, s);
	arena_free(&a);
	cli_close(cfg, db);
	return rc;
}
