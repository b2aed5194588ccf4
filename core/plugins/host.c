/* The plugin host: loading (libltdl), the registry, the services table. */
#include "plugins/host.h"

#include <curl/curl.h>
#include <jansson.h>
#include <limits.h>
#include <ltdl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf/conf.h"
#include "orders/money.h"
#include "plugins/shop_plugins.h"
#include "util/buf.h"
#include "util/log.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static struct plugin *registry;
static size_t nregistry;
static bool ltdl_started;
/* The plugin whose init() runs (single-threaded, at start): its log lines' name. */
static const char *initialising;

const char *
plugin_kind_name(enum cpt_plugin_kind kind)
{
	switch (kind) {
	case CPT_KIND_PAYMENT: return "payment";
	case CPT_KIND_CARRIER: return "carrier";
	case CPT_KIND_NOTIFICATION: return "notification";
	}
	return "unknown";
}

/* ---- services ----------------------------------------------------------- */

static void
svc_log(struct cpt_ctx *ctx, enum cpt_log_level level, const char *fmt, ...)
{
	static const enum log_level levels[] = { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
	const char *name = ctx && ctx->plugin ? ctx->plugin->name : initialising ? initialising : "?";
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(level <= CPT_LOG_ERROR ? levels[level] : LOG_ERROR, "plugin %s%s%s: %s", name,
	    ctx && ctx->shop ? " shop=" : "", ctx && ctx->shop ? ctx->shop->code : "", msg);
}

static void *
svc_alloc(struct cpt_ctx *ctx, size_t size)
{
	return ctx && size < (size_t)INT_MAX ? arena_alloc(ctx->arena, size) : NULL;
}

static char *
svc_printf(struct cpt_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (!ctx)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = arena_alloc(ctx->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *svc_shop_code(struct cpt_ctx *ctx) { return ctx->shop ? ctx->shop->code : ""; }
static const char *svc_shop_name(struct cpt_ctx *ctx) { return ctx->shop ? ctx->shop->name : ""; }
static const char *svc_locale(struct cpt_ctx *ctx) { return ctx->locale ? ctx->locale : "fr"; }
static int64_t svc_now(struct cpt_ctx *ctx) { (void)ctx; return (int64_t)time(NULL); }

static const char *
svc_money(struct cpt_ctx *ctx, long long cents, const char *currency)
{
	char out[64];

	money_format(out, sizeof(out), cents, currency ? currency : "EUR", svc_locale(ctx));
	return arena_strdup(ctx->arena, out);
}

static const char *
svc_setting(struct cpt_ctx *ctx, const char *key)
{
	return ctx && key ? shop_plugin_value(ctx->row, key) : NULL;
}

static int
svc_state_get(struct cpt_ctx *ctx, const char *code, const char *key, const char **value)
{
	*value = NULL;
	if (!ctx->db || !ctx->shop)
		return -1;
	return plugin_state_get(ctx->db, ctx->arena, ctx->shop->id, ctx->plugin->name, code, key, value);
}

static int
svc_state_set(struct cpt_ctx *ctx, const char *code, const char *key, const char *value)
{
	if (!ctx->db || !ctx->shop)
		return -1;
	return plugin_state_set(ctx->db, ctx->arena, ctx->shop->id, ctx->plugin->name, code, key, value);
}

static int
svc_state_find(struct cpt_ctx *ctx, const char *key, const char *value, const char **code)
{
	*code = NULL;
	if (!ctx->db || !ctx->shop)
		return -1;
	return plugin_state_find(ctx->db, ctx->arena, ctx->shop->id, ctx->plugin->name, key, value, code);
}

/* Plain http:// only to this machine (tests, a local relay); https anywhere. */
static bool
url_allowed(const char *url)
{
	static const char *const local[] = { "http://127.0.0.1:", "http://127.0.0.1/",
	    "http://localhost:", "http://localhost/", "http://[::1]:", "http://[::1]/" };
	size_t i;

	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strncasecmp(url, local[i], strlen(local[i])) == 0)
			return true;
	return false;
}

static size_t
http_collect(char *data, size_t size, size_t n, void *p)
{
	struct buf *b = p;

	buf_append(b, data, size * n);
	return buf_failed(b) ? 0 : size * n;
}

#define HTTP_MAX_BODY (4u << 20)

static int
svc_http(struct cpt_ctx *ctx, const struct cpt_http_request *req, struct cpt_http_response *res)
{
	struct curl_slist *headers = NULL;
	const char *const *h;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : 10000;
	char *type = NULL;
	struct buf body;
	CURLcode rc;
	CURL *c;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (!req->url || !url_allowed(req->url)) {
		svc_log(ctx, CPT_LOG_ERROR, "http: refused URL (https only, or http to loopback)");
		return -1;
	}
	if (timeout > 30000)
		timeout = 30000;
	if (!(c = curl_easy_init()))
		return -1;
	buf_init(&body, HTTP_MAX_BODY);
	for (h = req->headers; h && *h; h++) {
		struct curl_slist *n = curl_slist_append(headers, *h);

		if (!n)
			goto out;
		headers = n;
	}
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method ? req->method : "GET");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);   /* threads: no SIGALRM time-outs */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Comptoir/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	if (headers)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	if (req->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	if (req->userpwd) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, req->userpwd);
	}
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		svc_log(ctx, CPT_LOG_WARN, "http %s %s: %s", req->method ? req->method : "GET", req->url,
		    curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
	res->content_type = type ? arena_strdup(ctx->arena, type) : NULL;
	res->body_len = body.len;
	res->body = arena_strndup(ctx->arena, body.len ? body.data : "", body.len);
	ret = 0;
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	buf_free(&body);
	return ret;
}

static void
svc_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
    unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, msg, msg_len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

static int
svc_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

static char *
svc_hex(struct cpt_ctx *ctx, const void *data, size_t n)
{
	char *out;

	if (!ctx || n > (1u << 20))
		return NULL;
	out = arena_alloc(ctx->arena, 2 * n + 1);
	return sodium_bin2hex(out, 2 * n + 1, data, n);
}

/* JSON: a struct cpt_json is a json_t; the roots belong to the ctx. */
static void
ctx_keep_json(struct cpt_ctx *ctx, json_t *j)
{
	if (ctx->njson == ctx->json_cap) {
		size_t cap = ctx->json_cap ? ctx->json_cap * 2 : 8;
		void **p = arena_alloc(ctx->arena, cap * sizeof(*p));

		if (ctx->njson)
			memcpy(p, ctx->json, ctx->njson * sizeof(*p));
		ctx->json = p;
		ctx->json_cap = cap;
	}
	ctx->json[ctx->njson++] = j;
}

static struct cpt_json *
svc_json_parse(struct cpt_ctx *ctx, const char *text, size_t len)
{
	json_t *j = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (j)
		ctx_keep_json(ctx, j);
	return (struct cpt_json *)j;
}

static struct cpt_json *
svc_json_get(struct cpt_json *jv, const char *path)
{
	json_t *j = (json_t *)jv;
	char key[128];

	while (j && path && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key) || !json_is_object(j))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path += n + (path[n] == '.');
	}
	return (struct cpt_json *)j;
}

static const char *svc_json_str(struct cpt_json *j) { return json_string_value((json_t *)j); }
static long long svc_json_num(struct cpt_json *j) { return (long long)json_integer_value((json_t *)j); }
static int svc_json_bool(struct cpt_json *j) { return json_is_true((json_t *)j); }
static size_t svc_json_size(struct cpt_json *j) { return json_array_size((json_t *)j); }
static struct cpt_json *svc_json_at(struct cpt_json *j, size_t i) { return (struct cpt_json *)json_array_get((json_t *)j, i); }

static struct cpt_json *
svc_json_new_object(struct cpt_ctx *ctx)
{
	json_t *j = json_object();

	if (j)
		ctx_keep_json(ctx, j);
	return (struct cpt_json *)j;
}

static int
svc_json_set_str(struct cpt_json *obj, const char *key, const char *value)
{
	return json_object_set_new((json_t *)obj, key, json_string(value)) == 0 ? 0 : -1;
}

static int
svc_json_set_num(struct cpt_json *obj, const char *key, long long value)
{
	return json_object_set_new((json_t *)obj, key, json_integer((json_int_t)value)) == 0 ? 0 : -1;
}

static struct cpt_json *
svc_json_set_obj(struct cpt_json *obj, const char *key)
{
	json_t *child = json_object();

	if (!child || json_object_set_new((json_t *)obj, key, child) != 0)
		return NULL;
	return (struct cpt_json *)child;
}

static const char *
svc_json_dump(struct cpt_ctx *ctx, struct cpt_json *j)
{
	char *s = j ? json_dumps((json_t *)j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	char *copy;

	if (!s)
		return NULL;
	copy = arena_strdup(ctx->arena, s);
	free(s);
	return copy;
}

static struct plugin_shown *
ctx_show(struct cpt_ctx *ctx, enum plugin_shown_kind kind)
{
	struct plugin_shown *s;

	if (ctx->nshown >= 64)
		return NULL;
	if (ctx->nshown == ctx->shown_cap) {
		size_t cap = ctx->shown_cap ? ctx->shown_cap * 2 : 8;
		struct plugin_shown *p = arena_alloc(ctx->arena, cap * sizeof(*p));

		if (ctx->nshown)
			memcpy(p, ctx->shown, ctx->nshown * sizeof(*p));
		ctx->shown = p;
		ctx->shown_cap = cap;
	}
	s = &ctx->shown[ctx->nshown++];
	s->kind = kind;
	return s;
}

static int
svc_show_text(struct cpt_ctx *ctx, const char *text)
{
	struct plugin_shown *s = text ? ctx_show(ctx, SHOWN_TEXT) : NULL;

	if (!s)
		return -1;
	s->text = arena_strdup(ctx->arena, text);
	return 0;
}

static int
svc_show_value(struct cpt_ctx *ctx, const char *label, const char *value)
{
	struct plugin_shown *s = label && value ? ctx_show(ctx, SHOWN_VALUE) : NULL;

	if (!s)
		return -1;
	s->label = arena_strdup(ctx->arena, label);
	s->text = arena_strdup(ctx->arena, value);
	return 0;
}

static int
svc_show_image(struct cpt_ctx *ctx, const char *mime, const void *data, size_t len, const char *alt)
{
	struct plugin_shown *s;
	size_t b64;
	char *uri;
	int n;

	if (!mime || !data || len == 0 || len > (1u << 20) || !alt ||
	    (strcmp(mime, "image/svg+xml") != 0 && strcmp(mime, "image/png") != 0))
		return -1;
	if (!(s = ctx_show(ctx, SHOWN_IMAGE)))
		return -1;
	b64 = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	uri = arena_alloc(ctx->arena, strlen(mime) + 14 + b64);
	n = snprintf(uri, strlen(mime) + 14, "data:%s;base64,", mime);
	sodium_bin2base64(uri + n, b64, data, len, sodium_base64_VARIANT_ORIGINAL);
	s->mime = arena_strdup(ctx->arena, mime);
	s->data_uri = uri;
	s->alt = arena_strdup(ctx->arena, alt);
	return 0;
}

static int
svc_refuse(struct cpt_ctx *ctx, const char *why)
{
	ctx->refusal = arena_strdup(ctx->arena, why ? why : "");
	return 0;
}

static const char *
svc_webhook_url(struct cpt_ctx *ctx)
{
	if (!ctx || !ctx->shop || ctx->shop->nhosts == 0 || !ctx->plugin)
		return NULL;
	return svc_printf(ctx, "https://%s/webhooks/payments/%s", ctx->shop->hosts[0], ctx->plugin->name);
}

static const struct cpt_host services = {
	.abi_major = CPT_PLUGIN_ABI_MAJOR,
	.abi_minor = CPT_PLUGIN_ABI_MINOR,
	.log = svc_log,
	.alloc = svc_alloc,
	.format = svc_printf,
	.shop_code = svc_shop_code,
	.shop_name = svc_shop_name,
	.locale = svc_locale,
	.now = svc_now,
	.money = svc_money,
	.setting = svc_setting,
	.state_get = svc_state_get,
	.state_set = svc_state_set,
	.state_find = svc_state_find,
	.http = svc_http,
	.hmac_sha256 = svc_hmac_sha256,
	.equal = svc_equal,
	.hex = svc_hex,
	.json_parse = svc_json_parse,
	.json_get = svc_json_get,
	.json_str = svc_json_str,
	.json_num = svc_json_num,
	.json_bool = svc_json_bool,
	.json_size = svc_json_size,
	.json_at = svc_json_at,
	.json_new_object = svc_json_new_object,
	.json_set_str = svc_json_set_str,
	.json_set_num = svc_json_set_num,
	.json_set_obj = svc_json_set_obj,
	.json_dump = svc_json_dump,
	.show_text = svc_show_text,
	.show_value = svc_show_value,
	.show_image = svc_show_image,
	.refuse = svc_refuse,
	.webhook_url = svc_webhook_url,
};

void
plugin_ctx_init(struct cpt_ctx *ctx, struct arena *a, struct db *db, const struct config *cfg,
    const struct shop *shop, const char *locale, const struct plugin *p, struct shop_plugin_row *row)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = a;
	ctx->db = db;
	ctx->cfg = cfg;
	ctx->shop = shop;
	ctx->locale = locale && strcmp(locale, "en") == 0 ? "en" : "fr";
	ctx->plugin = p;
	ctx->row = row;
}

void
plugin_ctx_done(struct cpt_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->njson; i++)
		json_decref(ctx->json[i]);
	ctx->njson = 0;
}

/* ---- loading ------------------------------------------------------------ */

static char *
dup_or_die(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

/* Why the descriptor `d` of module `name` is refused, or NULL. */
static const char *
descriptor_problem(const struct cpt_plugin *d, const char *name, char *why, size_t size)
{
	if (d->magic != CPT_PLUGIN_MAGIC)
		return "its cpt_plugin symbol is not a Comptoir plugin descriptor (bad magic)";
	if (d->abi_major != CPT_PLUGIN_ABI_MAJOR) {
		snprintf(why, size, "built for plugin ABI %u.%u, this Comptoir speaks ABI %u.%u"
		    " (another major: rebuild it against this comptoir/plugin.h)",
		    (unsigned)d->abi_major, (unsigned)d->abi_minor, CPT_PLUGIN_ABI_MAJOR, CPT_PLUGIN_ABI_MINOR);
		return why;
	}
	if (d->abi_minor > CPT_PLUGIN_ABI_MINOR) {
		snprintf(why, size, "needs plugin ABI %u.%u, this Comptoir has %u.%u (upgrade Comptoir)",
		    (unsigned)d->abi_major, (unsigned)d->abi_minor, CPT_PLUGIN_ABI_MAJOR, CPT_PLUGIN_ABI_MINOR);
		return why;
	}
	if (!d->name || strcmp(d->name, name) != 0) {
		snprintf(why, size, "its descriptor is named '%.40s', not '%s'", d->name ? d->name : "", name);
		return why;
	}
	if (!d->version || !d->label_fr || !d->label_en)
		return "its descriptor lacks a version or a label";
	switch (d->kind) {
	case CPT_KIND_PAYMENT:
		if (!d->payment)
			return "a payment plugin without its payment table";
		break;
	case CPT_KIND_CARRIER:
		if (!d->carrier)
			return "a carrier plugin without its carrier table";
		break;
	case CPT_KIND_NOTIFICATION:
		if (!d->notification)
			return "a notification plugin without its notification table";
		break;
	default:
		snprintf(why, size, "unknown kind %d", (int)d->kind);
		return why;
	}
	return NULL;
}

/* Opens, checks and initialises one module; p->refused says why not. */
static void
load_one(const struct config *cfg, struct plugin *p, char *why, size_t size)
{
	const struct cpt_plugin *d;
	struct buf path;
	lt_dlhandle h;
	const char *problem;
	int rc;

	buf_init(&path, PATH_MAX);
	buf_printf(&path, "%s/%s", cfg->plugins.dir, p->name);
	p->file = dup_or_die(buf_failed(&path) ? p->name : buf_str(&path));
	buf_free(&path);
	h = lt_dlopenext(p->file);
	if (!h) {
		const char *e = lt_dlerror();

		snprintf(why, size, "cannot open the module: %s", e ? e : "unknown error");
		p->refused = dup_or_die(why);
		return;
	}
	d = lt_dlsym(h, CPT_PLUGIN_SYMBOL);
	if (!d) {
		p->refused = dup_or_die("no descriptor: the module exports no symbol " CPT_PLUGIN_SYMBOL);
		lt_dlclose(h);
		return;
	}
	if ((problem = descriptor_problem(d, p->name, why, size)) != NULL) {
		p->refused = dup_or_die(problem);
		lt_dlclose(h);
		return;
	}
	initialising = p->name;
	rc = d->init ? d->init(&services, &p->state) : 0;
	initialising = NULL;
	if (rc != 0) {
		snprintf(why, size, "its init() failed (%d)", rc);
		p->refused = dup_or_die(why);
		lt_dlclose(h);
		return;
	}
	p->desc = d;
	p->handle = h;
}

int
plugins_load(const struct config *cfg)
{
	char why[512];
	size_t i;

	if (cfg->plugins.nload == 0)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {   /* not thread-safe: here, once */
		log_error("plugins: libcurl cannot start");
		return -1;
	}
	if (lt_dlinit() != 0) {
		log_error("plugins: libltdl cannot start: %s", lt_dlerror());
		curl_global_cleanup();
		return -1;
	}
	ltdl_started = true;
	registry = calloc(cfg->plugins.nload, sizeof(*registry));
	if (!registry)
		die("out of memory");
	for (i = 0; i < cfg->plugins.nload; i++) {
		struct plugin *p = &registry[nregistry++];

		p->name = dup_or_die(cfg->plugins.load[i]);
		load_one(cfg, p, why, sizeof(why));
		if (p->refused)
			log_error("plugin %s refused (%s): %s", p->name, p->file, p->refused);
		else
			log_info("plugin %s %s loaded: %s, ABI %u.%u", p->name, p->desc->version,
			    plugin_kind_name(p->desc->kind), (unsigned)p->desc->abi_major,
			    (unsigned)p->desc->abi_minor);
	}
	return 0;
}

void
plugins_unload(void)
{
	size_t i;

	for (i = 0; i < nregistry; i++) {
		struct plugin *p = &registry[i];

		if (p->desc && p->desc->fini)
			p->desc->fini(p->state);
		if (p->handle)
			lt_dlclose(p->handle);
		free((char *)p->name);
		free((char *)p->file);
		free((char *)p->refused);
	}
	free(registry);
	registry = NULL;
	nregistry = 0;
	if (ltdl_started) {
		lt_dlexit();
		curl_global_cleanup();
		ltdl_started = false;
	}
}

size_t plugins_count(void) { return nregistry; }
const struct plugin *plugins_at(size_t i) { return i < nregistry ? &registry[i] : NULL; }

const struct plugin *
plugin_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < nregistry; i++)
		if (registry[i].desc && strcmp(registry[i].name, name) == 0)
			return &registry[i];
	return NULL;
}
