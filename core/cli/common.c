#include "cli/cli.h"

#include <mysql.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "shop/shop.h"
#include "util/arena.h"
#include "util/log.h"

struct config *
cli_load_config(const char *config_path)
{
	struct config *cfg = NULL;
	struct buf err;

	buf_init(&err, 64 * 1024);
	if (config_load(config_path, &cfg, &err) != 0) {
		fputs(buf_str(&err), stderr);
		if (err.len && err.data[err.len - 1] != '\n')
			fputc('\n', stderr);
	}
	buf_free(&err);
	return cfg;
}

int
cli_open(const char *config_path, struct config **cfg, struct db **db)
{
	struct arena a;

	*db = NULL;
	*cfg = cli_load_config(config_path);
	if (!*cfg)
		return -1;
	if (sodium_init() < 0 || mysql_library_init(0, NULL, NULL))
		die("cannot initialise libraries");
	*db = db_open(*cfg);
	if (!*db) {
		config_free(*cfg);
		return -1;
	}
	arena_init(&a, 0);
	if (shop_sync(*db, &a, *cfg) != 0) {
		arena_free(&a);
		cli_close(*cfg, *db);
		return -1;
	}
	arena_free(&a);
	return 0;
}

void
cli_close(struct config *cfg, struct db *db)
{
	db_close(db);
	config_free(cfg);
	mysql_library_end();
}
