#include "http/server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <mysql.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "auth/session.h"
#include "auth/staff.h"
#include "conf/conf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/read_cache.h"
#include "db/replica.h"
#include "http/fcgi_out.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "orders/workflow.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "shop/shop.h"
#include "tpl/tpl.h"
#include "util/i18n.h"
#include "util/log.h"

/* The configuration and templates in force. SIGHUP swaps in a new one;
 * requests hold a reference to the one they started with. */
struct runtime {
	struct config *cfg;
	struct tpl_set *tpl;
	int refs;
};

static pthread_mutex_t rt_lock = PTHREAD_MUTEX_INITIALIZER;
static struct runtime *rt_current;
static int listen_fd = -1;
static char *listen_path;   /* the socket this process created, removed at exit */
static atomic_bool stopping;
static atomic_int threads_running;

static void
runtime_free(struct runtime *rt)
{
	tpl_set_free(rt->tpl);
	config_free(rt->cfg);
	free(rt);
}

static struct runtime *
rt_acquire(void)
{
	struct runtime *rt;

	pthread_mutex_lock(&rt_lock);
	rt = rt_current;
	rt->refs++;
	pthread_mutex_unlock(&rt_lock);
	return rt;
}

static void
rt_release(struct runtime *rt)
{
	int left;

	pthread_mutex_lock(&rt_lock);
	left = --rt->refs;
	pthread_mutex_unlock(&rt_lock);
	if (left == 0)
		runtime_free(rt);
}

/* Publishes rt as current; the previous one goes when its last user does. */
static void
rt_publish(struct runtime *rt)
{
	struct runtime *old;

	rt->refs = 1;
	pthread_mutex_lock(&rt_lock);
	old = rt_current;
	rt_current = rt;
	pthread_mutex_unlock(&rt_lock);
	if (old)
		rt_release(old);
}

/* Loads configuration (unless given `loaded`, which it then owns) and
 * templates and syncs the shops; NULL on error (logged). */
static struct runtime *
runtime_load(const char *path, struct db *db, struct config *loaded)
{
	struct runtime *rt = calloc(1, sizeof(*rt));
	struct buf err;
	struct arena a;

	if (!rt)
		die("out of memory");
	buf_init(&err, 64 * 1024);
	rt->cfg = loaded;
	if ((!loaded && config_load(path, &rt->cfg, &err) != 0) ||
	    config_check_paths(rt->cfg, &err) != 0) {
		log_error("configuration not loaded:\n%s", buf_str(&err));
		goto fail;
	}
	if (!rt->cfg->security.key_set) {   /* API keys and device cookies need it */
		log_error("%s: security.key_file is not set; make one with"
		    " `openssl rand -hex 32 > FILE; chmod 600 FILE` and name it there", path);
		goto fail;
	}
	buf_reset(&err);
	if (tpl_set_load(rt->cfg->paths.templates, &rt->tpl, &err) != 0) {
		log_error("templates not loaded:\n%s", buf_str(&err));
		goto fail;
	}
	arena_init(&a, 0);
	if (db && shop_sync(db, &a, rt->cfg) != 0) {
		arena_free(&a);
		goto fail;
	}
	if (db && shop_plugins_presets(db, &a, rt->cfg) != 0)
		log_warn("some plugin presets of shops.d could not be written");

	arena_free(&a);
	buf_free(&err);
	return rt;
fail:
	buf_free(&err);
	if (rt->tpl)
		tpl_set_free(rt->tpl);
	if (rt->cfg)
		config_free(rt->cfg);
	free(rt);
	return NULL;
}

/* Lower-cases the host and drops any port: "Atelier.Localhost:8080". */
static const char *
host_from(struct arena *a, const char *h)
{
	char *host, *p;

	if (!h)
		return "";
	host = arena_strdup(a, h);
	if (host[0] == '[')   /* IPv6 literal: no shop is named so */
		return host;
	if ((p = strchr(host, ':')))
		*p = '\0';
	for (p = host; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return host;
}

static const char *
env(FCGX_Request *fr, const char *name)
{
	return FCGX_GetParam(name, fr->envp);
}

const char *
req_header(const struct request *r, const char *name)
{
	char key[96] = "HTTP_";
	size_t i, n = strlen(name);

	if (!r->io || n == 0 || n + 6 > sizeof(key))
		return NULL;
	for (i = 0; i < n; i++) {
		char c = name[i];

		key[5 + i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	key[5 + n] = '\0';
	return env(r->io, key);
}

static void
request_fill(struct request *r, FCGX_Request *fr)
{
	const char *uri = env(fr, "DOCUMENT_URI"), *cl, *https;

	r->method = env(fr, "REQUEST_METHOD");
	if (!r->method)
		r->method = "GET";
	r->query = env(fr, "QUERY_STRING");
	if (!r->query)
		r->query = "";
	if (!uri) {
		/* Without nginx's decoded DOCUMENT_URI, take REQUEST_URI's path. */
		const char *raw = env(fr, "REQUEST_URI");
		size_t len;

		raw = raw ? raw : "/";
		len = strcspn(raw, "?");
		uri = url_decode(r->arena, raw, len, false, NULL);
	}
	r->path = uri && *uri ? uri : "/";
	r->host = host_from(r->arena, env(fr, "HTTP_HOST"));
	r->remote_addr = env(fr, "REMOTE_ADDR");
	r->user_agent = env(fr, "HTTP_USER_AGENT");
	r->content_type = env(fr, "CONTENT_TYPE");
	cl = env(fr, "CONTENT_LENGTH");
	r->content_length = cl && *cl ? strtoll(cl, NULL, 10) : -1;
	r->authorization = env(fr, "HTTP_AUTHORIZATION");
	r->idempotency_key = env(fr, "HTTP_IDEMPOTENCY_KEY");
	https = env(fr, "HTTPS");
	r->https = https && strcasecmp(https, "on") == 0;
	kv_parse_urlencoded(r->arena, &r->params, r->query, strlen(r->query));
	kv_parse_cookies(r->arena, &r->cookies, env(fr, "HTTP_COOKIE"));
}

/* Reads the body (already checked against max_body). false on short read. */
static bool
request_read_body(struct request *r, FCGX_Request *fr)
{
	char *body;
	int got;

	if (r->content_length <= 0)
		return true;
	body = arena_alloc(r->arena, (size_t)r->content_length + 1);
	got = FCGX_GetStr(body, (int)r->content_length, fr->in);
	if (got != r->content_length)
		return false;
	body[got] = '\0';
	r->body = body;
	r->body_len = (size_t)got;
	return true;
}

/* Reads and throws away what nginx still sends, so it sees our answer
 * instead of a broken pipe; nothing of it is kept. */
static void
request_drain_body(FCGX_Request *fr)
{
	char scratch[16384];

	while (FCGX_GetStr(scratch, sizeof(scratch), fr->in) > 0)
		;
}

#define CSP_HEAD "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';" \
	" img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
/* The customer's payment page: its forms end at the provider's page (a
 * 303 from ours), which form-action also governs. */
static const char csp_headers[] = CSP_HEAD "; frame-ancestors 'none'\r\n";
static const char csp_headers_providers[] = CSP_HEAD " https:; frame-ancestors 'none'\r\n";
static const char security_headers[] =
	"X-Frame-Options: DENY\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"Referrer-Policy: same-origin\r\n"
	"Cache-Control: no-store\r\n";

/* nginx's $request_id when it passes one (REQUEST_ID, 32 hex digits),
 * else 128 random bits of ours: one id in nginx's log, ours and the
 * X-Request-Id response header. */
static const char *
request_id_of(struct arena *a, const char *given)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char rnd[16];
	char *id;
	size_t i, n = given ? strlen(given) : 0;

	if (n > 0 && n <= 64 && strspn(given, "0123456789abcdefABCDEF-") == n)
		return given;
	randombytes_buf(rnd, sizeof(rnd));
	id = arena_alloc(a, 2 * sizeof(rnd) + 1);
	for (i = 0; i < sizeof(rnd); i++) {
		id[2 * i] = hex[rnd[i] >> 4];
		id[2 * i + 1] = hex[rnd[i] & 15];
	}
	id[2 * sizeof(rnd)] = '\0';
	return id;
}

/* The method as logged: nginx passes any token; one that is not a plain
 * upper-case word is logged as "other". */
static const char *
log_method(const char *m)
{
	size_t n = strlen(m);

	return n > 0 && n <= 16 && strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n ? m : "other";
}

/* One logfmt line per request: when it started, its id, shop, method,
 * route pattern (never the raw path: no personal data), status, time
 * taken in microseconds and body bytes sent. */
static void
log_request(const struct request *r, const struct timespec *start, long long us, size_t bytes)
{
	char stamp[32];
	struct tm tm;

	gmtime_r(&start->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	log_info("request ts=%s.%06ldZ id=%s shop=%s method=%s route=%s status=%d us=%lld bytes=%zu",
	    stamp, start->tv_nsec / 1000, r->request_id, r->shop ? r->shop->code : "-",
	    log_method(r->method), r->route ? r->route->path : "-", r->status, us, bytes);
}

/* The status line and headers, appended to h; no Content-Length when
 * streamed. */
static void
response_head(const struct request *r, struct buf *h)
{
	const char *type = r->out_type ? r->out_type : "text/html; charset=utf-8";

	buf_printf(h, "Status: %d %s\r\nContent-Type: %s\r\n", r->status, http_status_text(r->status), type);
	if (!r->streamed)
		buf_printf(h, "Content-Length: %zu\r\n", r->out.len);
	buf_printf(h, "X-Request-Id: %s\r\n", r->request_id);
	if (r->form_to_providers)
		buf_append(h, csp_headers_providers, sizeof(csp_headers_providers) - 1);
	else
		buf_append(h, csp_headers, sizeof(csp_headers) - 1);
	buf_append(h, security_headers, sizeof(security_headers) - 1);
	if (r->https)
		buf_puts(h, "Strict-Transport-Security: max-age=31536000\r\n");
	if (r->out_headers.len)
		buf_append(h, r->out_headers.data, r->out_headers.len);
	buf_puts(h, "\r\n");
}

/* The head through libfcgi's stream (a streamed answer's first part). */
static int
response_head_put(const struct request *r, FCGX_Request *fr)
{
	struct buf h;
	int rc;

	buf_init(&h, BUF_MAX_DEFAULT);
	response_head(r, &h);
	rc = buf_failed(&h) ? -1 : FCGX_PutStr(h.data, (int)h.len, fr->out) < 0 ? -1 : 0;
	buf_free(&h);
	return rc;
}

int
res_stream_flush(struct request *r)
{
	FCGX_Request *fr = r->io;

	if (buf_failed(&r->out) || buf_failed(&r->out_headers))
		return -1;
	if (!r->streamed) {
		r->streamed = true;
		if (response_head_put(r, fr) != 0)
			return -1;
	}
	if (r->out.len && strcmp(r->method, "HEAD") != 0) {
		if (FCGX_PutStr(r->out.data, (int)r->out.len, fr->out) < 0)
			return -1;
		r->streamed_bytes += r->out.len;
	}
	buf_reset(&r->out);
	return FCGX_FFlush(fr->out) < 0 ? -1 : 0;
}

/* Writes the response; returns the body bytes sent. */
static size_t
response_send(struct request *r, FCGX_Request *fr)
{
	bool is_head = strcmp(r->method, "HEAD") == 0;
	struct iovec parts[2];
	struct buf head;

	if (r->streamed) {
		if (res_stream_flush(r) != 0)
			log_warn("%s %s: the streamed answer was cut", r->method, r->path);
		return r->streamed_bytes;
	}
	if (buf_failed(&r->out) || buf_failed(&r->out_headers)) {
		log_error("%s %s: response too large", r->method, r->path);
		buf_reset(&r->out);
		buf_reset(&r->out_headers);
		r->status = 500;
		r->out_type = "text/plain; charset=utf-8";
		buf_puts(&r->out, "500 Internal Server Error\n");
	}
	/* The head and the body in one writev (http/fcgi_out.h): libfcgi's
	 * stream holds nothing of this request yet. */
	buf_init(&head, BUF_MAX_DEFAULT);
	response_head(r, &head);
	parts[0].iov_base = head.data;
	parts[0].iov_len = head.len;
	parts[1].iov_base = r->out.data;
	parts[1].iov_len = is_head ? 0 : r->out.len;
	if (buf_failed(&head))
		log_error("%s %s: the head of the answer is too large", r->method, r->path);
	else if (fcgi_stdout_write(fr->ipcFd, fr->requestId, parts, 2) != 0)
		log_warn("%s %s: the answer could not be sent (%s)", r->method, r->path, strerror(errno));
	buf_free(&head);
	return parts[1].iov_len;
}

struct worker {
	pthread_t tid;
	int index;
	struct db *db;
	const char *config_path;
	pthread_barrier_t *ready;
	bool ok;
};

static void
serve_one(struct worker *w, FCGX_Request *fr, struct arena *arena,
    struct buf *out, struct buf *out_headers, struct buf *page)
{
	struct runtime *rt = rt_acquire();
	struct timespec start, t0, t1;
	struct request r;
	size_t bytes;
	long long us;

	metrics_busy(1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&r, 0, sizeof(r));
	r.arena = arena;
	r.io = fr;
	r.cfg = rt->cfg;
	r.tpl = rt->tpl;
	r.db = w->db;
	r.status = 200;
	r.out = *out;
	r.out_headers = *out_headers;
	r.page = *page;
	request_fill(&r, fr);
	r.request_id = request_id_of(arena, env(fr, "REQUEST_ID"));

	if (r.content_length > 0 && (size_t)r.content_length > r.cfg->server.max_body) {
		request_drain_body(fr);
		r.content_length = 0;
		r.status = 413;
	} else if (!request_read_body(&r, fr)) {
		r.status = 400;
	}
	dispatch(&r);
	bytes = response_send(&r, fr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	metrics_request(r.route ? (int)(r.route - routes) : -1, r.status, us);
	if (r.cfg->log.requests) {
		/* when it started, on the wall clock */
		clock_gettime(CLOCK_REALTIME, &start);
		start.tv_sec -= us / 1000000;
		start.tv_nsec -= (us % 1000000) * 1000;
		if (start.tv_nsec < 0) {
			start.tv_nsec += 1000000000L;
			start.tv_sec--;
		}
		log_request(&r, &start, us, bytes);
	}
	metrics_busy(-1);

	/* The buffers keep their memory for the next request, unless large. */
	*out = r.out;
	*out_headers = r.out_headers;
	*page = r.page;
	if (out->cap > 1024 * 1024)
		buf_free(out);
	if (page->cap > 1024 * 1024)
		buf_free(page);
	buf_reset(out);
	buf_reset(page);
	buf_reset(out_headers);
	rt_release(rt);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct buf out, out_headers, page;
	struct arena arena;
	FCGX_Request fr;
	struct runtime *rt;

	mysql_thread_init();
	rt = rt_acquire();
	w->db = db_open(rt->cfg);
	if (w->db)
		db_open_replica(rt->cfg, w->db);   /* closed with w->db; NULL: none configured */
	rt_release(rt);
	w->ok = w->db != NULL;
	pthread_barrier_wait(w->ready);
	if (!w->ok || atomic_load(&stopping))
		goto out;

	arena_init(&arena, 64 * 1024);
	buf_init(&out, 0);
	buf_init(&out_headers, 64 * 1024);
	buf_init(&page, 0);
	FCGX_InitRequest(&fr, listen_fd, 0);
	atomic_fetch_add(&threads_running, 1);
	while (!atomic_load(&stopping)) {
		if (FCGX_Accept_r(&fr) < 0)
			break;
		serve_one(w, &fr, &arena, &out, &out_headers, &page);
		FCGX_Finish_r(&fr);
		arena_reset(&arena);
	}
	FCGX_Free(&fr, 1);
	session_cache_free();
	wf_cache_free();
	buf_free(&out);
	buf_free(&out_headers);
	buf_free(&page);
	arena_free(&arena);
out:
	db_close(w->db);
	w->db = NULL;
	mysql_thread_end();
	return NULL;
}

/*
 * At SIGTERM, connections nginx has already made wait in the socket's
 * backlog: closing the socket now would drop them (nginx answers 502 to
 * requests sent before the signal). Remove our socket's name first, so no
 * new connection can arrive, then let the threads accept what is queued
 * until the backlog is empty, at most until half a second before the
 * exit deadline; only then are the threads told to stop. A socket handed
 * in on fd 0 keeps its name (its owner may hand it to the next process):
 * what is queued within that time is answered, the rest is not.
 */
static void
drain_backlog(const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
	struct timespec now, nap = { 0, 10 * 1000000L };

	if (listen_fd != 0 && listen_path)
		unlink(listen_path);   /* not the path of a reloaded configuration */
	for (;;) {
		long long left_ns;

		clock_gettime(CLOCK_REALTIME, &now);
		left_ns = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000LL +
		    (deadline->tv_nsec - now.tv_nsec);
		if (left_ns <= 500000000LL)
			break;
		if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
			break;   /* nothing queued, and nothing new can come */
		nanosleep(&nap, NULL);
	}
	atomic_store(&stopping, true);
}

/* Creates and listens on the unix socket `path`; -1 (logged, path and cause) on failure. */
static int
listen_unix(const char *path, int backlog)
{
	struct sockaddr_un sa;
	size_t len = strlen(path);
	int fd, err;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (len >= sizeof(sa.sun_path)) {
		log_error("cannot create the socket %s (server.socket): path too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("cannot create the socket %s (server.socket): %s", path, strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, backlog) != 0) {
		err = errno;
		close(fd);
		log_error("cannot create the socket %s (server.socket): %s%s", path, strerror(err),
		    err == ENOENT || err == EACCES || err == EROFS ?
		    " (its folder must exist and be writable by this user)" : "");
		return -1;
	}
	return fd;
}

static int
open_listener(const struct config *cfg)
{
	int accepting = 0;
	socklen_t len = sizeof(accepting);
	struct stat st;
	int fd;

	/* Handed a listening socket on fd 0 (spawn-fcgi, systemd, inetd)? */
	if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 && accepting) {
		log_info("serving the socket handed in on fd 0");
		return 0;
	}
	if (!cfg->server.socket || !*cfg->server.socket) {
		log_error("no listening socket: set server.socket or pass one on fd 0");
		return -1;
	}
	if (stat(cfg->server.socket, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(cfg->server.socket);   /* left by a previous run */
	/* Mode 0770: for this user and its primary group (nginx's), not the
	 * world. Not libfcgi's FCGX_OpenSocket: it exits on a bind error,
	 * saying neither the path nor, often, why. */
	umask(007);
	fd = listen_unix(cfg->server.socket, cfg->server.backlog);
	if (fd >= 0 && !(listen_path = strdup(cfg->server.socket)))
		die("out of memory");
	return fd;
}

/* Is the schema as new as this binary? Serving an old one would fail late. */
static bool
schema_current(struct db *db)
{
	static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
	struct db_result res;
	struct arena a;
	bool ok;

	arena_init(&a, 0);
	ok = db_exec(db, &a, &res, sql, 0, NULL) == DB_OK && res.nrows == 1 &&
	    db_ll(&res, 0, 0) >= migrations[nmigrations - 1].version;
	arena_free(&a);
	return ok;
}

/* The settings read once, at start: threads, socket and connections are
 * made then, and the translations bound. The rest applies at a reload. */
enum restart_kind { RESTART_STR, RESTART_INT, RESTART_UINT };
static const struct restart_key {
	const char *key;
	size_t offset;
	enum restart_kind kind;
} restart_keys[] = {
	{ "server.socket", offsetof(struct config, server.socket), RESTART_STR },
	{ "server.threads", offsetof(struct config, server.threads), RESTART_INT },
	{ "server.backlog", offsetof(struct config, server.backlog), RESTART_INT },
	{ "database.socket", offsetof(struct config, database.socket), RESTART_STR },
	{ "database.host", offsetof(struct config, database.host), RESTART_STR },
	{ "database.port", offsetof(struct config, database.port), RESTART_UINT },
	{ "database.name", offsetof(struct config, database.name), RESTART_STR },
	{ "database.user", offsetof(struct config, database.user), RESTART_STR },
	{ "database.password", offsetof(struct config, database.password), RESTART_STR },
	{ "database.replica.socket", offsetof(struct config, database.replica.socket), RESTART_STR },
	{ "database.replica.host", offsetof(struct config, database.replica.host), RESTART_STR },
	{ "database.replica.port", offsetof(struct config, database.replica.port), RESTART_UINT },
	{ "database.replica.user", offsetof(struct config, database.replica.user), RESTART_STR },
	{ "database.replica.password", offsetof(struct config, database.replica.password), RESTART_STR },
	{ "database.replica.max_lag_seconds", offsetof(struct config, database.replica.max_lag_seconds),
	  RESTART_INT },
	{ "paths.locale", offsetof(struct config, paths.locale), RESTART_STR },
};

/* Names every restart-only setting that differs between a and b. */
static void
log_restart_only(const struct config *a, const struct config *b)
{
	size_t i;

	for (i = 0; i < sizeof(restart_keys) / sizeof(restart_keys[0]); i++) {
		const struct restart_key *k = &restart_keys[i];
		const char *pa = (const char *)a + k->offset, *pb = (const char *)b + k->offset;
		bool same;

		switch (k->kind) {
		case RESTART_STR: {
			const char *x = *(char *const *)(const void *)pa;
			const char *y = *(char *const *)(const void *)pb;

			same = (!x && !y) || (x && y && strcmp(x, y) == 0);
			break;
		}
		case RESTART_INT:
			same = *(const int *)(const void *)pa == *(const int *)(const void *)pb;
			break;
		default:
			same = *(const unsigned *)(const void *)pa == *(const unsigned *)(const void *)pb;
			break;
		}
		if (!same)
			log_warn("reload: %s changed: takes effect at restart", k->key);
	}
}

/* The plugins are loaded once, at start. */
static bool
plugins_same(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->plugins.nload != b->plugins.nload || strcmp(a->plugins.dir, b->plugins.dir) != 0)
		return false;
	for (i = 0; i < a->plugins.nload; i++)
		if (strcmp(a->plugins.load[i], b->plugins.load[i]) != 0)
			return false;
	return true;
}

static void
reload(const char *path, struct db *db)
{
	struct runtime *rt = runtime_load(path, db, NULL);

	if (!rt) {
		log_error("reload failed: keeping the configuration in force");
		return;
	}
	log_restart_only(rt_current->cfg, rt->cfg);
	if (!plugins_same(rt_current->cfg, rt->cfg))
		log_warn("reload: plugins changed: takes effect at restart");
	/* A new secret would void every API key and device cookie at once,
	 * in this process only: like the other restart-only keys, it waits. */
	if (sodium_memcmp(rt_current->cfg->security.key, rt->cfg->security.key,
	    sizeof(rt->cfg->security.key)) != 0) {
		log_warn("reload: the secret of security.key_file changed: takes effect at restart");
		memcpy(rt->cfg->security.key, rt_current->cfg->security.key, sizeof(rt->cfg->security.key));
	}
	rt_publish(rt);
	log_info("reloaded: %zu shops", rt->cfg->nshops);
}

int
server_run(const char *config_path)
{
	struct worker *workers;
	struct timespec deadline;
	pthread_barrier_t ready;
	struct runtime *rt;
	struct db *db;
	struct buf err;
	struct config *cfg;
	sigset_t sigs;
	int i, nthreads, sig, status = 1;

	buf_init(&err, 64 * 1024);
	if (config_load(config_path, &cfg, &err) != 0 || config_check_paths(cfg, &err) != 0) {
		fprintf(stderr, "%s", buf_str(&err));
		buf_free(&err);
		config_free(cfg);
		return 1;
	}
	buf_free(&err);
	if (sodium_init() < 0)
		die("libsodium cannot start");
	if (mysql_library_init(0, NULL, NULL))
		die("MariaDB client library cannot start");
	i18n_init(cfg->paths.locale);
	if (staff_init() != 0)
		die("cannot prepare password hashing");
	db = db_open(cfg);
	if (!db) {
		config_free(cfg);
		goto out_lib;
	}
	if (!schema_current(db)) {
		log_error("the database schema is not current: run `comptoir migrate` first");
		config_free(cfg);
		goto out_db;
	}
	/* Before any thread: a refused plugin is logged and the rest starts. */
	if (plugins_load(cfg) != 0) {
		config_free(cfg);
		goto out_db;
	}
	/* The configuration just read is the first in force: with 10,000
	 * shop files, reading them twice doubles the start. */
	rt = runtime_load(config_path, db, cfg);
	if (!rt)
		goto out_db;
	rt_publish(rt);
	replica_watch_start(rt->cfg);   /* on failure, reads stay on the primary */
	read_cache_init((size_t)rt->cfg->database.read_cache_mb << 20);   /* at start only, not on SIGHUP */

	FCGX_Init();
	listen_fd = open_listener(rt->cfg);
	if (listen_fd < 0)
		goto out_rt;

	/* Signals go to this thread only, through sigwait below: libfcgi's
	 * own handlers would just set a flag nobody looks at while blocked. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	nthreads = rt->cfg->server.threads;
	workers = calloc((size_t)nthreads, sizeof(*workers));
	if (!workers)
		die("out of memory");
	pthread_barrier_init(&ready, NULL, (unsigned)nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		workers[i].index = i;
		workers[i].ready = &ready;
		if (pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) != 0)
			die("cannot start thread %d", i);
	}
	pthread_barrier_wait(&ready);
	metrics_set_threads(nthreads);
	status = 0;
	for (i = 0; i < nthreads; i++)
		if (!workers[i].ok)
			status = 1;
	if (status) {
		log_error("not every thread could connect to the database; stopping");
		atomic_store(&stopping, true);
	} else {
		log_info("serving %zu shops with %d threads", rt_current->cfg->nshops, nthreads);
	}

	while (!atomic_load(&stopping)) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(config_path, db);
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_info("stopping: finishing the requests in flight");
			break;
		}
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	drain_backlog(&deadline);
	/* Wake the threads blocked in accept: libfcgi checks this flag when
	 * accept fails, and shutdown() makes it fail. */
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	for (i = 0; i < nthreads; i++) {
		if (pthread_timedjoin_np(workers[i].tid, NULL, &deadline) != 0) {
			log_warn("a request is still running after 2 s; exiting anyway");
			_exit(status);
		}
	}
	pthread_barrier_destroy(&ready);
	free(workers);
	if (listen_fd != 0)
		close(listen_fd);
	free(listen_path);
	listen_path = NULL;
	log_info("stopped");
out_rt:
	replica_watch_stop();
	rt_release(rt_current);
	rt_current = NULL;
out_db:
	plugins_unload();
	db_close(db);
out_lib:
	i18n_done();
	mysql_library_end();
	return status;
}
