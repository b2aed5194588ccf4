/*
 * comptoir/plugin.h: the whole ABI between Comptoir and its plugins.
 *
 * A plugin is a shared module (a libtool -module, or `cc -shared -fPIC`)
 * that exports one symbol, CPT_PLUGIN_SYMBOL, a constant struct
 * cpt_plugin. Comptoir loads the modules named in comptoir.yaml
 * (plugins.load) from plugins.dir at start, before its threads start,
 * checks the descriptor, calls init() once and then the functions of its
 * kind from any request thread.
 *
 * A plugin reaches Comptoir only through the struct cpt_host handed to
 * init(): build it with -fvisibility=hidden and never link against
 * Comptoir's own symbols (there are none to link against). It may link
 * what it needs besides (libzint, its own JSON library…).
 *
 * Versioning (CPT_PLUGIN_ABI_MAJOR.CPT_PLUGIN_ABI_MINOR):
 *   - A minor bump only adds: members at the end of struct cpt_host, of
 *     struct cpt_plugin, of the per-kind tables and of the structs the
 *     host fills or hands over (cpt_order, cpt_http_in, cpt_payment_event…:
 *     the host allocates them, so a plugin never sees one shorter than
 *     its header's), values at the end of an enum, flags. Nothing is
 *     removed, reordered or retyped; a plugin ignores enum values it does
 *     not know. struct cpt_setting never grows within a major: plugins
 *     lay it out in arrays.
 *   - The host loads a plugin of its own major and of a minor up to its
 *     own. It reads a member added in minor N only from a plugin whose
 *     abi_minor is at least N; every service a plugin's minor promises is
 *     in the table (never NULL).
 *   - Anything else (a removal, a new meaning, a changed type) is a new
 *     major: the host refuses plugins of another major at start, with one
 *     log line, and starts without them.
 *
 * Conventions: every function returns 0 for success, < 0 for a failure
 * (logged through host->log), > 0 for an expected refusal (a setting that
 * is not valid, a payment that cannot be refunded). Strings are UTF-8 and
 * NUL-terminated. Memory handed out by the host through a struct cpt_ctx
 * (host->alloc, HTTP bodies, JSON values, settings) lives until the call
 * that received the ctx returns; the plugin frees none of it. Calls come
 * from several threads at once: a plugin keeps no unlocked mutable state.
 * Amounts are integer cents; times are seconds since the Unix epoch.
 */
#ifndef COMPTOIR_PLUGIN_H
#define COMPTOIR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPT_PLUGIN_MAGIC     0x43505431u   /* "CPT1" */
#define CPT_PLUGIN_ABI_MAJOR 1
#define CPT_PLUGIN_ABI_MINOR 0
/* The one symbol a module exports: const struct cpt_plugin cpt_plugin. */
#define CPT_PLUGIN_SYMBOL    "cpt_plugin"

/* What marks the descriptor as the module's one exported symbol. */
#define CPT_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The first members of a descriptor, with this header's version. */
#define CPT_PLUGIN_HEADER \
	.magic = CPT_PLUGIN_MAGIC, .abi_major = CPT_PLUGIN_ABI_MAJOR, \
	.abi_minor = CPT_PLUGIN_ABI_MINOR

enum cpt_plugin_kind {
	CPT_KIND_PAYMENT = 1,
	CPT_KIND_CARRIER = 2,
	CPT_KIND_NOTIFICATION = 3,
};

enum cpt_log_level { CPT_LOG_DEBUG, CPT_LOG_INFO, CPT_LOG_WARN, CPT_LOG_ERROR };

/* ---- settings: what the shop's owner fills in on the Modules page ------- */

enum cpt_setting_type {
	CPT_SETTING_TEXT = 1,    /* one line */
	CPT_SETTING_TEXTAREA,    /* several lines */
	CPT_SETTING_URL,         /* an http(s) URL */
	CPT_SETTING_BOOL,        /* "1" or "0" */
	CPT_SETTING_CHOICE,      /* one of `choices` */
};

enum {
	CPT_SETTING_REQUIRED = 1u << 0,   /* the plugin cannot be enabled without it */
	CPT_SETTING_SECRET = 1u << 1,     /* stored encrypted, never shown back in full */
};

struct cpt_setting {
	const char *key;          /* [a-z0-9_]{1,32}; NULL ends the table */
	enum cpt_setting_type type;
	unsigned flags;           /* CPT_SETTING_* */
	const char *label_fr, *label_en;
	const char *help_fr, *help_en;   /* may be NULL */
	const char *const *choices;      /* CPT_SETTING_CHOICE: values, NULL-ended */
	unsigned max_len;                /* bytes; 0: 255 */
};

/* ---- what the host tells a plugin about an order ----------------------- */

struct cpt_order {
	const char *code;           /* the order's code, 8 characters */
	long long number;           /* 0 while it has none */
	const char *status;         /* workflow status code */
	const char *payment_state;  /* "unpaid", "partial", "paid" … */
	const char *payment_method; /* as the storefront gave it */
	const char *currency;       /* ISO 4217 */
	long long total_cents;
	long long paid_cents;
	const char *customer_name;
	const char *customer_email;
	int64_t placed_at;
};

/* One call's context: which shop, which language, where memory lives. */
struct cpt_ctx;
/* A parsed JSON value, owned by the ctx (see json_* below). */
struct cpt_json;

/* ---- the HTTP client (libcurl) ---------------------------------------- */

struct cpt_http_request {
	const char *method;              /* "GET", "POST" … */
	const char *url;                 /* https:// (http:// only to loopback) */
	const char *const *headers;      /* "Name: value", NULL-ended; may be NULL */
	const char *body;                /* may be NULL */
	size_t body_len;
	const char *userpwd;             /* "user:password" for Basic auth, or NULL */
	long timeout_ms;                 /* the whole exchange; 0: 10 s; at most 30 s */
};

struct cpt_http_response {
	long status;                     /* HTTP status; 0 when none came */
	const char *body;                /* NUL-terminated, owned by the ctx */
	size_t body_len;
	const char *content_type;        /* may be NULL */
};

/* An incoming webhook call, POST /webhooks/payments/{plugin}. */
struct cpt_http_in {
	const char *body;
	size_t body_len;
	const char *content_type;
	/* The value of a request header ("Stripe-Signature"), or NULL. */
	const char *(*header)(const struct cpt_http_in *in, const char *name);
	const void *host_data;           /* the host's, for header() */
};

/* ---- services of the host, handed to init() and valid until fini() ---- */

struct cpt_host {
	unsigned abi_major, abi_minor;   /* the host's */

	/* Logging; ctx may be NULL (in init). One line, prefixed with the plugin's name. */
	void (*log)(struct cpt_ctx *ctx, enum cpt_log_level level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Memory for the call (zeroed); NULL when it ran out. */
	void *(*alloc)(struct cpt_ctx *ctx, size_t size);
	/* printf into memory of the call. */
	char *(*format)(struct cpt_ctx *ctx, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));

	/* The shop of the call: its code, name, language of the reader ("fr"
	 * or "en": pick label_fr or label_en), and the clock. */
	const char *(*shop_code)(struct cpt_ctx *ctx);
	const char *(*shop_name)(struct cpt_ctx *ctx);
	const char *(*locale)(struct cpt_ctx *ctx);
	int64_t (*now)(struct cpt_ctx *ctx);
	/* An amount as the reader expects it: "1 234,50 €", "€1,234.50". */
	const char *(*money)(struct cpt_ctx *ctx, long long cents, const char *currency);

	/* The shop's value of one of the plugin's settings (secrets
	 * decrypted), or NULL when unset. */
	const char *(*setting)(struct cpt_ctx *ctx, const char *key);

	/* State the plugin keeps on an order (a transaction id, a session
	 * URL): key [a-z0-9_]{1,32}, value up to 1,000 bytes. get: 0 and
	 * *value (NULL when unset); set: value NULL removes it. find: the
	 * order code whose `key` is `value`, 0 found, > 0 none. */
	int (*state_get)(struct cpt_ctx *ctx, const char *order_code, const char *key,
	    const char **value);
	int (*state_set)(struct cpt_ctx *ctx, const char *order_code, const char *key,
	    const char *value);
	int (*state_find)(struct cpt_ctx *ctx, const char *key, const char *value,
	    const char **order_code);

	/* HTTP with time-outs (connect 5 s, whole exchange req->timeout_ms).
	 * 0 with a response (any status), < 0 when no answer came (logged). */
	int (*http)(struct cpt_ctx *ctx, const struct cpt_http_request *req,
	    struct cpt_http_response *res);

	/* HMAC-SHA256 (libsodium), a key of any length. */
	void (*hmac_sha256)(const void *key, size_t key_len, const void *msg, size_t msg_len,
	    unsigned char out[32]);
	/* Constant-time comparison of n bytes: 1 when equal, 0 otherwise. */
	int (*equal)(const void *a, const void *b, size_t n);
	/* Lower-case hex of n bytes, in memory of the call. */
	char *(*hex)(struct cpt_ctx *ctx, const void *data, size_t n);

	/*
	 * JSON, opaque (the host's jansson stays behind it, so a plugin is
	 * not tied to one JSON library's ABI). parse: NULL when not JSON.
	 * get: a member by dotted path ("data.object.id"), NULL when absent.
	 * str/num/boolean: the value, or NULL / 0 when of another type.
	 * size/at: a list's length and item. new_object, set_str, set_num,
	 * set_obj (a new object member) build one; dump writes it compact.
	 */
	struct cpt_json *(*json_parse)(struct cpt_ctx *ctx, const char *text, size_t len);
	struct cpt_json *(*json_get)(struct cpt_json *j, const char *path);
	const char *(*json_str)(struct cpt_json *j);
	long long (*json_num)(struct cpt_json *j);
	int (*json_bool)(struct cpt_json *j);
	size_t (*json_size)(struct cpt_json *j);
	struct cpt_json *(*json_at)(struct cpt_json *j, size_t i);
	struct cpt_json *(*json_new_object)(struct cpt_ctx *ctx);
	int (*json_set_str)(struct cpt_json *obj, const char *key, const char *value);
	int (*json_set_num)(struct cpt_json *obj, const char *key, long long value);
	struct cpt_json *(*json_set_obj)(struct cpt_json *obj, const char *key);
	const char *(*json_dump)(struct cpt_ctx *ctx, struct cpt_json *j);

	/* What a payment plugin shows for an order (instructions()): a
	 * paragraph, a labelled value (an IBAN, a reference), an image (a QR
	 * code; mime "image/svg+xml" or "image/png", with its alternative
	 * text). Shown in this order. */
	int (*show_text)(struct cpt_ctx *ctx, const char *text);
	int (*show_value)(struct cpt_ctx *ctx, const char *label, const char *value);
	int (*show_image)(struct cpt_ctx *ctx, const char *mime, const void *data, size_t len,
	    const char *alt);

	/* Where a setting's check() puts why a value is refused, in the ctx's language. */
	int (*refuse)(struct cpt_ctx *ctx, const char *why);
};

/* ---- per-kind tables -------------------------------------------------- */

/* What a webhook or a provider's answer says happened to a payment. */
enum cpt_payment_outcome {
	CPT_PAYMENT_PENDING = 1,
	CPT_PAYMENT_PAID,
	CPT_PAYMENT_FAILED,
	CPT_PAYMENT_REFUNDED,
};

struct cpt_payment_event {
	const char *event_id;       /* the provider's, for deduplication */
	const char *order_code;
	enum cpt_payment_outcome outcome;
	long long amount_cents;
	const char *currency;
	const char *reference;      /* the provider's transaction reference */
};

struct cpt_payment_ops {
	/* What the customer must do to pay `order` (bank details, QR code),
	 * through host->show_*. May be NULL. */
	int (*instructions)(void *state, struct cpt_ctx *ctx, const struct cpt_order *order);
	/* Starts an online payment of `amount_cents`: *redirect_url is where
	 * the customer goes. NULL for methods paid by hand. */
	int (*start)(void *state, struct cpt_ctx *ctx, const struct cpt_order *order,
	    long long amount_cents, const char *return_url, const char **redirect_url);
	/* A call to POST /webhooks/payments/{name}: verifies it (a forged one
	 * answers > 0 and changes nothing) and fills *event; *http_status is
	 * what the provider is answered. NULL when there is no webhook. */
	int (*webhook)(void *state, struct cpt_ctx *ctx, const struct cpt_http_in *in,
	    struct cpt_payment_event *event, int *http_status);
	/* Refunds amount_cents of the payment `reference`; > 0 when the
	 * provider cannot (then it is refunded by hand). May be NULL. A
	 * plugin that leaves the provider's id of the refund in the order's
	 * state "refund_id" (host->state_set) has the host record the refund
	 * under that id as its event id: the provider's own event about the
	 * same refund, carrying that id in event_id, then records nothing. */
	int (*refund)(void *state, struct cpt_ctx *ctx, const struct cpt_order *order,
	    const char *reference, long long amount_cents);
	/* Marked paid by hand (cheque, cash, transfer): the back office offers it. */
	int paid_by_hand;
};

struct cpt_shipment {
	const char *order_code;
	long long weight_g;
	const char *country;        /* ISO 3166-1 alpha-2 of the address */
	const char *postcode;
};

struct cpt_carrier_ops {
	/* The price of shipping, in cents; > 0 when the carrier does not serve it. */
	int (*quote)(void *state, struct cpt_ctx *ctx, const struct cpt_shipment *s,
	    long long *price_cents);
	/* Creates the label; *tracking is the tracking number. */
	int (*label)(void *state, struct cpt_ctx *ctx, const struct cpt_shipment *s,
	    const char **tracking);
};

struct cpt_message {
	const char *channel;        /* "email", "sms" … */
	const char *recipient;
	const char *subject;
	const char *body;
	const char *dedup_key;      /* the same message is sent once */
};

struct cpt_notification_ops {
	/* Sends one message: 0 sent, > 0 refused for good, < 0 try again later. */
	int (*send)(void *state, struct cpt_ctx *ctx, const struct cpt_message *m);
};

/* ---- the descriptor --------------------------------------------------- */

struct cpt_plugin {
	uint32_t magic;                  /* CPT_PLUGIN_MAGIC */
	uint16_t abi_major, abi_minor;   /* the header it was built with */
	enum cpt_plugin_kind kind;
	const char *name;                /* [a-z][a-z0-9_]{0,31}: in comptoir.yaml, URLs
	                                  * and, for payments, the orders' payment_method */
	const char *version;             /* the plugin's own, "1.2.0" */
	const char *label_fr, *label_en;
	const struct cpt_setting *settings;   /* ended by a NULL key; may be NULL */

	/* Once at start, before any other call; *state is handed back to
	 * every call. Non-zero: the plugin is refused (say why with host->log). */
	int (*init)(const struct cpt_host *host, void **state);
	/* Once at exit; may be NULL. */
	void (*fini)(void *state);
	/* Checks one setting's value before it is saved: > 0 with
	 * host->refuse(ctx, why) when it is not valid. May be NULL. */
	int (*check)(void *state, struct cpt_ctx *ctx, const char *key, const char *value);

	/* The table of its kind; the others NULL. */
	const struct cpt_payment_ops *payment;
	const struct cpt_carrier_ops *carrier;
	const struct cpt_notification_ops *notification;
};

#ifdef __cplusplus
}
#endif

#endif
