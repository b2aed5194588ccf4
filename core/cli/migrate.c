/* comptoir migrate: brings the database schema up to date. */
#include <mysql.h>
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "db/db.h"
#include "db/migrate.h"
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
	rc = migrate_run(db, &a, &applied);
	if (rc == 0)
		printf("migrate: %d migration%s applied, schema at version %d\n",
		    applied, applied == 1 ? "" : "s", migrations[nmigrations - 1].version);
	arena_free(&a);
	cli_close(cfg, db);
	return rc == 0 ? 0 : 1;
}
