/*
 * comptoir search reindex [--shop CODE]: rebuilds the search box's index
 * (order_search) of one shop, or of every shop, from the orders as they
 * are: after a change of the folding rules or of what is indexed (a new
 * kind), or to repair it. Orders keep coming in meanwhile: each chunk is
 * its own transaction, holding its orders still while their words are
 * written.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "orders/search.h"
#include "util/arena.h"

static const char usage[] =
	"usage: comptoir search reindex [--shop CODE]\n"
	"Rebuilds the search index of the shop's orders (of every shop without --shop).\n";

static const struct cli_option options[] = {
	{ .name = "shop", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = NULL }
};

static const struct cli_spec spec = {
	.name = "search", .usage = usage, .opts = options, .max_args = 1,
};

int
cmd_search(struct cli *c)
{
	struct config *cfg;
	struct db *db;
	struct arena a;
	const struct shop *s = NULL;
	long long n = 0;
	int rc;

	if (cli_parse(c, &spec, &rc) != 0)
		return rc;
	if (c->argc != 1 || strcmp(c->argv[0], "reindex") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	if (cli_opt(c, "shop") && !(s = config_shop_by_code(cfg, cli_opt(c, "shop")))) {
		fprintf(stderr, "search: --shop must name a shop of the configuration\n");
		cli_close(cfg, db);
		return 2;
	}
	arena_init(&a, 0);
	rc = s ? search_reindex_shop(db, &a, s->id, &n) : search_reindex_all(db, &a, &n);
	if (rc == 0)
		printf("search: %lld order%s indexed%s%s\n", n, n == 1 ? "" : "s", s ? " in " : "",
		    s ? s->code : "");
	else
		fprintf(stderr, "search: reindexing failed (see the log)\n");
	arena_free(&a);
	cli_close(cfg, db);
	return rc == 0 ? 0 : 1;
}
