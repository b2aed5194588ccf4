/*
 * conf: the deployment configuration, read from YAML.
 *
 * conf/comptoir.yaml holds the server, database, paths and security
 * settings; every *.yaml file in the shops directory describes one shop.
 * A struct config is immutable once loaded (except shop ids, set once by
 * shop_sync() before the config is published to the request threads), and
 * shared by reference counting: SIGHUP builds a new one and swaps it in.
 */
#ifndef CPT_CONF_H
#define CPT_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

struct wf_def;

struct shop_legal {
	char *company;       /* legal name, "Atelier Dupont SARL" */
	char *legal_form;    /* "SARL", "SAS", "EI" … optional */
	char *address;       /* registered office, may hold newlines */
	char *siret;         /* 14 digits (France), optional for other countries */
	char *vat_number;    /* intra-community VAT number, optional */
	char *rcs;           /* "RCS Lyon 123 456 789", optional */
	char *capital;       /* share capital as written, optional */
	char *email;
	char *phone;
};

struct shop_settings {
	bool customer_account_required;   /* C4, default false */
	int auto_cancel_unpaid_hours;     /* W5: `auto_cancel_unpaid_after` ("48h", "3d"): `comptoir work`
	                                   * cancels orders unpaid this long; 0 (absent) = never */
	int payment_reminder_hours;       /* P7: `payment_reminder_after` ("3d"): `comptoir work` writes
	                                   * one payment reminder to orders unpaid this long; 0 = never */
	bool storefront_prices;           /* I1: intake may send prices, default false */
	bool prices_include_vat;          /* catalogue prices are with VAT (TTC), default true */
};

/* A shop file's `plugins.NAME`: applied once, when the shop has no row
 * for the plugin yet (the Modules page's changes win afterwards). */
struct shop_plugin_preset {
	char *name;
	bool enabled;
	char **keys, **values;   /* settings, as written */
	size_t nsettings;
};
#define AUTO_CANCEL_MAX_HOURS (3650 * 24)

struct shop {
	long long id;          /* row id in `shops`, set by shop_sync() */
	char *code;            /* [a-z0-9][a-z0-9-]{0,31}, unique */
	char *name;            /* shown in the layout and on documents */
	char **hosts;          /* lower-case host names, no port */
	size_t nhosts;
	char *currency;        /* ISO 4217, default "EUR" */
	char *locale;          /* "fr" (default) or "en": documents and e-mails */
	char *timezone;        /* default "Europe/Paris" */
	struct shop_legal legal;
	struct shop_settings settings;
	bool enabled;          /* `enabled: false` (comptoir shop disable): its hosts answer
	                        * like unknown ones; default true */
	struct wf_def *workflow;   /* its `workflow:` preset, NULL for the default's */
	struct shop_plugin_preset *plugins;
	size_t nplugins;
	char *file;            /* the YAML file it came from */
};

enum cookie_secure { COOKIE_SECURE_AUTO, COOKIE_SECURE_ALWAYS, COOKIE_SECURE_NEVER };

/* Where a setting is written in comptoir.yaml, 1-based; line 0: the default. */
struct conf_at { unsigned line, column; };

struct config {
	char *path;            /* comptoir.yaml as given */
	struct {
		char *socket;      /* unix socket path; unused when fd 0 is a socket */
		int threads;       /* 1..256, default 8 */
		int backlog;       /* default 256 */
		size_t max_body;   /* bytes, default 1 MiB; larger bodies get 413 */
	} server;
	struct {
		char *socket;      /* unix socket; if NULL, host/port */
		char *host;        /* default "127.0.0.1" */
		unsigned port;     /* default 3306 */
		char *name;        /* database name, default "comptoir" */
		char *user;        /* default "comptoir" */
		char *password;    /* default "" */
		/* database.replica: a read replica for the reads that tolerate
		 * lag (db_reads, db/db.h); none when neither socket nor host is
		 * set. User and password default to the primary's. */
		struct {
			char *socket;
			char *host;
			unsigned port;         /* default 3306 */
			char *user;
			char *password;
			int max_lag_seconds;   /* beyond it reads go to the primary; default 5 */
		} replica;
		int read_cache_mb;     /* the desk's reads kept in memory (db/read_cache.h); 0: off; default 32 */
	} database;
	struct {
		char *templates;   /* directory of HTML templates */
		char *locale;      /* directory holding <lang>/LC_MESSAGES/comptoir.mo */
		char *shops;       /* directory of per-shop YAML files */
		char *workflow;    /* the default workflow; unset: workflow.yaml beside comptoir.yaml,
		                    * else $(pkgdatadir)/conf/workflow.yaml, else NULL (none) */
	} paths;                   /* relative paths are relative to comptoir.yaml's folder */
	struct {
		struct conf_at templates, locale;
	} paths_at;                /* for config_check_paths() */
	struct {
		int idle_timeout;      /* seconds, default 1800 */
		int absolute_timeout;  /* seconds, default 43200 */
		int cache_seconds;     /* a thread may trust a session it checked this long ago, default 1 */
		enum cookie_secure secure;  /* "auto" (when HTTPS=on), "always", "never" */
	} sessions;
	struct {
		/* Throttling buckets (auth/throttle.h): this many at once, then
		 * one every window / max seconds; successes cost nothing. */
		int max_failures_per_account;  /* per account for unknown clients, and per known browser; default 5 */
		int max_failures_per_address;  /* per address (IPv6 /64), across shops; default 20 */
		int window;                    /* seconds, default 900 */
	} login;
	struct {
		char *key_file;        /* 64 hex digits; unset: `serve` refuses to start */
		unsigned char key[32]; /* its bytes, when key_set (see auth/secret.h) */
		bool key_set;
	} security;
	struct {
		/* Who may GET /_metrics (REMOTE_ADDR); default loopback only.
		 * Others get 404 as for an unknown path. */
		struct conf_cidr { unsigned char addr[16]; int family; int prefix; } *allow;
		size_t nallow;
	} metrics;
	struct {
		bool requests;         /* one logfmt line per request, default true */
	} log;
	struct wf_def *workflow;   /* paths.workflow: every new shop's statuses; NULL: none */
	struct {
		char *dir;             /* default PLUGINDIR, $(pkglibdir)/plugins */
		char **load;           /* module names, [a-z][a-z0-9_]{0,31}, in order */
		size_t nload;
		struct conf_at *load_at;   /* where each is written */
	} plugins;
	struct shop *shops;
	size_t nshops;
	/* host name → shop of every enabled shop, sorted by host */
	struct conf_host { const char *host; struct shop *shop; } *host_index;
	size_t nhosts;
	/* open-addressing hash of host_index: slot → index + 1, 0 empty;
	 * host_slots_mask + 1 slots, at least twice nhosts */
	size_t *host_slots;
	size_t host_slots_mask;
};

/*
 * Loads `path` and the shops directory it names. On error returns -1 and
 * appends to `err` one line per problem, each "file:line:col: message"
 * (line and column 1-based), and *out is NULL. At most 50 problems.
 */
int config_load(const char *path, struct config **out, struct buf *err);
void config_free(struct config *cfg);

/*
 * Checks the folders the configuration points to: paths.templates a
 * readable folder, paths.locale one holding fr/LC_MESSAGES/comptoir.mo (a
 * wrong one would silently show French merchants English pages). Appends
 * one line per problem, "file:line:col: message" at the key (the file alone
 * for a default), and returns -1; 0 when both are usable.
 */
int config_check_paths(const struct config *cfg, struct buf *err);
/* Its two halves: paths.templates, paths.locale. */
int config_check_templates(const struct config *cfg, struct buf *err);
int config_check_locale(const struct config *cfg, struct buf *err);

/* Host lookup, constant time: `host` without port (case ignored). NULL when
 * unknown or when its shop is disabled. */
struct shop *config_shop_by_host(const struct config *cfg, const char *host);
struct shop *config_shop_by_code(const struct config *cfg, const char *code);

/* The rules of a shop file's `code` and of one of its `hosts` (lower-case). */
bool config_valid_code(const char *code);
bool config_valid_host(const char *host);

/* Is `addr` (REMOTE_ADDR, IPv4 or IPv6 text) in metrics.allow? */
bool config_metrics_allowed(const struct config *cfg, const char *addr);
/* Parses "10.0.0.0/8", "::1", "192.0.2.7" into *out; false when it is none. */
bool config_parse_cidr(const char *s, struct conf_cidr *out);

#endif
