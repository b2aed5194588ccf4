/*
 * comptoir shop: the shops of the configuration and their API keys.
 *   shop list
 *   shop api-key --shop CODE --name NAME [--key KEY]   (prints the new key once)
 *   shop api-keys --shop CODE
 *   shop revoke-key --shop CODE --prefix PREFIX
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "shop/api_key.h"
#include "util/arena.h"

static const char usage[] =
	"usage: comptoir shop list\n"
	"       comptoir shop api-key --shop CODE --name NAME [--key KEY]\n"
	"       comptoir shop api-keys --shop CODE\n"
	"       comptoir shop revoke-key --shop CODE --prefix PREFIX\n";

static const struct cli_option options[] = {
	{ .name = "shop", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = "name", .kind = CLI_TEXT, .value = "NAME" },
	{ .name = "key", .kind = CLI_TEXT, .value = "KEY" },
	{ .name = "prefix", .kind = CLI_TEXT, .value = "PREFIX" },
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
		putchar('\n');
	}
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
	    strcmp(action, "revoke-key")) {
		fputs(usage, stderr);
		return 2;
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
