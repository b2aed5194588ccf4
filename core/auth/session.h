/*
 * session: a staff member logged in on one shop.
 * The cookie holds a random token; the database holds only its hash.
 * Each session has its own CSRF token, checked on every POST.
 */
#ifndef CPT_SESSION_H
#define CPT_SESSION_H

#include "auth/staff.h"
#include "auth/token.h"

struct session {
	struct staff_user user;
	const char *csrf;           /* the token forms must send back */
	long long age;              /* seconds since login */
};

enum session_rc { SESSION_OK = 0, SESSION_NONE = 1, SESSION_ERROR = -1 };

/*
 * Finds the live session for `token` in this shop. Sessions past the idle
 * or absolute time-out are deleted and answer SESSION_NONE, as do tokens of
 * another shop (they are simply not found under this shop id).
 */
int session_load(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *token, struct session **out);

/* Creates a session; the new cookie token is written to token_out. */
int session_create(struct db *db, struct arena *a, long long shop_id,
    long long user_id, const char *remote_addr, const char *user_agent,
    char token_out[TOKEN_LEN + 1]);

int session_destroy(struct db *db, struct arena *a, long long shop_id, const char *token);

/* Makes every thread of this process check sessions in the database again
 * (after a logout or a change to an account). */
void session_cache_invalidate(void);

/* Frees this thread's cache of checked sessions (at thread exit). */
void session_cache_free(void);

/* Deletes every session past the longest time-out; returns rows or -1. */
long long session_purge(struct db *db, struct arena *a, const struct config *cfg);

#endif
