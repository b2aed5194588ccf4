/*
 * sqltext: SQL text with its values written in, for what one prepared
 * statement cannot do in one round trip: multi-row INSERTs of bulk loads
 * and the statement batches of db_batch(). Every value goes through these
 * functions, escaped for the connection's character set; nothing else is
 * ever pasted into SQL text.
 */
#ifndef CPT_SQLTEXT_H
#define CPT_SQLTEXT_H

#include <stddef.h>

struct arena;
struct buf;
struct db;

/* Appends v in decimal. */
void sql_int(struct buf *b, long long v);
/* Appends s as a quoted string literal; NULL gives ''. */
void sql_str(struct db *db, struct buf *b, const char *s);
/* Appends s[0..len) as a quoted string literal. */
void sql_strn(struct db *db, struct buf *b, const char *s, size_t len);
/* As sql_str, but NULL gives NULL. */
void sql_str_or_null(struct db *db, struct buf *b, const char *s);
/* The next value of a VALUES list: a comma, then the value. */
void sql_next_int(struct buf *b, long long v);
void sql_next_str(struct db *db, struct buf *b, const char *s);
/* Appends n bytes as a hexadecimal literal (X'…'). */
void sql_blob(struct buf *b, const void *p, size_t n);

/* `q` (in `a`) as the literal part of a LIKE pattern, for a parameter of
 * "LIKE CONCAT(?, '%')": its own %, _ and \ match themselves. */
const char *sql_like_literal(struct arena *a, const char *q);

#endif
