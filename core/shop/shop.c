#include "shop/shop.h"

#include "conf/conf.h"
#include "db/db.h"
#include "util/log.h"

int
shop_sync(struct db *db, struct arena *a, struct config *cfg)
{
	static const char sql_insert[] = "INSERT IGNORE INTO shops (code) VALUES (?)";
	static const char sql_id[] = "SELECT id FROM shops WHERE code = ?";
	struct db_result res;
	size_t i;

	for (i = 0; i < cfg->nshops; i++) {
		struct shop *s = &cfg->shops[i];

		if (db_exec_idempotent(db, a, NULL, sql_insert, DB_PARAMS(DB_STR(s->code))) != DB_OK ||
		    db_exec(db, a, &res, sql_id, DB_PARAMS(DB_STR(s->code))) != DB_OK ||
		    res.nrows != 1) {
			log_error("shop %s: cannot record it in the database", s->code);
			return -1;
		}
		s->id = db_ll(&res, 0, 0);
	}
	return 0;
}
