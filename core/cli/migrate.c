/* comptoir migrate: brings the database schema up to date. */
#include <mysql.h>
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "orders/search.h"
#include "orders/workflow.h"
#include "util/arena.h"

static const struct cli_spec spec = {
	.name = "migrate",
	.usage = "usage: comptoir [--config FILE] migrate\n"
	    "Applies the schema migrations the database lacks; a second run applies none.\n",
};

int
cmd_migrate(struct cli *c)
{
	struct config *cfg;
	struct arena a;
	struct db *db;
	int applied, rc, status;
	bool had_index = false;

	if (cli_parse(c, &spec, &status) != 0)
		return status;
	/* Not cli_open(): the shops table may not exist yet. */
	cfg = cli_load_config(c->config_path);
	if (!cfg)
		return 1;
	mysql_library_init(0, NULL, NULL);
	db = db_open(cfg);
	if (!db) {
		config_free(cfg);
		mysql_library_end();
		return 1;
	}
	arena_init(&a, 0);
	rc = search_index_exists(db, &a, &had_index);
	if (rc == 0)
		rc = migrate_run(db, &a, &applied);
	/* The shops already there get their statuses (migration 012). */
	if (rc == 0)
		rc = wf_shops_sync(db, &a, cfg);
	if (rc == 0)
		printf("migrate: %d migration%s applied, schema at version %d\n",
		    applied, applied == 1 ? "" : "s", migrations[nmigrations - 1].version);
	/* The search index is built from the orders by C code (the folding
	 * rules): the orders already there join it when its table appears. */
	if (rc == 0 && !had_index) {
		long long n;

		rc = search_reindex_all(db, &a, &n);
		if (rc == 0 && n > 0)
			printf("migrate: %lld order%s added to the search index\n", n, n == 1 ? "" : "s");
	}
	arena_free(&a);
	cli_close(cfg, db);
	return rc == 0 ? 0 : 1;
}
