/*
 * staff: the accounts of a shop's staff, their roles, and logging in.
 * Domain code: a shop id, a DB handle and plain values; no HTTP.
 */
#ifndef CPT_STAFF_H
#define CPT_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/device.h"

struct db;
struct arena;
struct config;

enum staff_role {
	ROLE_OWNER = 1 << 0,    /* everything, including settings and staff */
	ROLE_STAFF = 1 << 1,    /* orders, customers, documents */
	ROLE_PICKER = 1 << 2,   /* picking and packing only */
};

#define ROLES_ALL (ROLE_OWNER | ROLE_STAFF | ROLE_PICKER)
#define ROLES_OFFICE (ROLE_OWNER | ROLE_STAFF)

/* "owner", "staff", "picker" ↔ role; parse returns false on anything else. */
bool staff_role_parse(const char *s, enum staff_role *out);
const char *staff_role_name(enum staff_role role);

struct staff_user {
	long long id;
	const char *email;
	const char *display_name;
	enum staff_role role;
	const char *locale;       /* "fr" or "en" */
	bool disabled;
};

enum staff_rc {
	STAFF_OK = 0,
	STAFF_ERROR = -1,         /* database or system failure, logged */
	STAFF_EXISTS = 1,         /* e-mail already used in this shop */
	STAFF_INVALID = 2,        /* bad e-mail, password, role or locale */
	STAFF_NOT_FOUND = 3,
};

#define STAFF_PASSWORD_MIN 10

/* Creates an account; the password is hashed with argon2id. */
int staff_create(struct db *db, struct arena *a, long long shop_id,
    const char *email, const char *display_name, enum staff_role role,
    const char *locale, const char *password, long long *id_out);
int staff_set_password(struct db *db, struct arena *a, long long shop_id,
    const char *email, const char *password);
int staff_set_locale(struct db *db, struct arena *a, long long shop_id,
    long long user_id, const char *locale);
/* Disables an account (its login refused, its sessions closed at once) or
 * enables it again. */
int staff_set_disabled(struct db *db, struct arena *a, long long shop_id,
    const char *email, bool disabled);
/* Lists the shop's accounts into the arena, ordered by e-mail. */
int staff_list(struct db *db, struct arena *a, long long shop_id,
    struct staff_user **users, size_t *n);

/* Is this a plausible e-mail address (one @, a dot after it, no spaces)? */
bool email_valid(const char *s);

/* Prepares login (a dummy hash for timing); once, before threads start. */
int staff_init(void);

enum login_result {
	LOGIN_OK,
	LOGIN_BAD_CREDENTIALS,    /* unknown e-mail, wrong password, disabled */
	LOGIN_THROTTLED,          /* too many attempts: wait `wait` seconds */
	LOGIN_ERROR,
};

struct login_attempt {
	const char *email;
	const char *password;
	const char *remote_addr;  /* as nginx passed it; may be NULL */
	const char *device;       /* the browser's device cookie (auth/device.h), or NULL */
};

struct login_outcome {
	long long user_id;        /* LOGIN_OK */
	enum staff_role role;     /* LOGIN_OK */
	long long wait;           /* LOGIN_THROTTLED: seconds until a try is let in */
	char device[DEVICE_COOKIE_MAX];  /* LOGIN_OK: a new device cookie to set, or "" */
};

/*
 * Checks a login attempt (auth/throttle.h). A browser holding the
 * account's device cookie has its own allowance (login.max_failures_per_
 * account); every other client shares the account's allowance for unknown
 * clients, and its address's (login.max_failures_per_address, IPv6 by /64,
 * across every shop). Each attempt is counted before the password is
 * checked; one that succeeds is given back. Unknown e-mails cost the same
 * time as wrong passwords.
 */
enum login_result staff_login(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const struct login_attempt *in, struct login_outcome *out);

/* Deletes the throttling counts that have run out; returns rows or -1. */
long long staff_purge_login_failures(struct db *db, struct arena *a, const struct config *cfg);

#endif
