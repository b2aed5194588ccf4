#include "db/migrate.h"

#include <string.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/log.h"

static const char sql_create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY,"
	" name VARCHAR(200) NOT NULL,"
	" applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
static const char sql_lock[] = "SELECT GET_LOCK('comptoir.migrate', 60)";
static const char sql_unlock[] = "SELECT RELEASE_LOCK('comptoir.migrate')";
static const char sql_applied[] = "SELECT version FROM schema_migrations WHERE version = ?";
static const char sql_record[] = "INSERT INTO schema_migrations (version, name) VALUES (?, ?)";

/* Runs each statement of a migration: they end with ';' at end of line. */
static int
run_statements(struct db *db, const struct migration *m)
{
	const char *p = m->sql, *start = m->sql;

	for (; *p; p++) {
		const char *q;
		size_t len;

		if (*p != ';')
			continue;
		for (q = p + 1; *q == ' ' || *q == '\t' || *q == '\r'; q++)
			;
		if (*q != '\n' && *q != '\0')
			continue;
		len = (size_t)(p - start);
		if (db_exec_text(db, start, len) != DB_OK) {
			log_error("migrate: %s failed: %s", m->name, db_error(db));
			return -1;
		}
		start = p + 1;
	}
	return 0;
}

int
migrate_run(struct db *db, struct arena *a, int *applied)
{
	struct db_result res;
	size_t i;
	int rc = -1;

	*applied = 0;
	if (db_exec(db, a, &res, sql_lock, 0, NULL) != DB_OK || res.nrows != 1 ||
	    db_ll(&res, 0, 0) != 1) {
		log_error("migrate: could not take the migration lock");
		return -1;
	}
	if (db_exec_text(db, sql_create_table, sizeof(sql_create_table) - 1) != DB_OK)
		goto out;
	for (i = 0; i < nmigrations; i++) {
		const struct migration *m = &migrations[i];

		if (db_exec(db, a, &res, sql_applied, DB_PARAMS(DB_I64(m->version))) != DB_OK)
			goto out;
		if (res.nrows)
			continue;
		log_info("migrate: applying %s", m->name);
		if (run_statements(db, m) != 0)
			goto out;
		if (db_exec(db, a, NULL, sql_record,
		    DB_PARAMS(DB_I64(m->version), DB_STR(m->name))) != DB_OK)
			goto out;
		(*applied)++;
	}
	rc = 0;
out:
	db_exec(db, a, &res, sql_unlock, 0, NULL);
	return rc;
}
