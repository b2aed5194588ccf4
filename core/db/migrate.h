/*
 * migrate: the numbered schema migrations, embedded from core/db/sql/ at
 * build time, applied in order and recorded in `schema_migrations`.
 */
#ifndef CPT_MIGRATE_H
#define CPT_MIGRATE_H

#include <stddef.h>

struct db;
struct arena;

struct migration {
	int version;
	const char *name;
	const char *sql;   /* statements, each ending with ';' at end of line */
};

extern const struct migration migrations[];
extern const size_t nmigrations;

/*
 * Applies every migration not yet recorded, in order, holding a named lock
 * so that two processes never migrate at once. *applied counts the ones
 * run now (0 when the schema was current). Returns 0 or -1 (logged).
 */
int migrate_run(struct db *db, struct arena *a, int *applied);

#endif
