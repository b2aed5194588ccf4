/* Unit tests of fcgi_out (core/http/fcgi_out.h): the bytes written come
 * back, in order, as well-formed FCGI_STDOUT records of the request,
 * whatever the sizes: empty parts, a record's exact size and one byte
 * more, a head and body in one record, more records than one writev. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "http/fcgi_out.h"
#include "tap.h"

struct sink {
	int fd;
	unsigned char *data;
	size_t len, cap;
};

static void *
drain(void *p)
{
	struct sink *s = p;
	ssize_t n;

	for (;;) {
		if (s->len + 65536 > s->cap) {
			s->cap = 2 * s->cap + 65536;
			s->data = realloc(s->data, s->cap);
		}
		n = read(s->fd, s->data + s->len, 65536);
		if (n <= 0)
			break;
		s->len += (size_t)n;
	}
	return NULL;
}

/* Writes parts through a socket pair and checks what the peer reads:
 * records of version 1, type STDOUT, request id `id`, at most
 * FCGI_OUT_RECORD_MAX bytes, padded to 8 with zeros, whose content is
 * the parts' bytes; *records their count. */
static bool
round_trip(const struct iovec *parts, size_t nparts, int id, size_t *records, const char *what)
{
	struct sink s = { 0 };
	unsigned char *want;
	size_t total = 0, i, at = 0, got = 0;
	pthread_t t;
	int fds[2], rc;
	bool good = true;

	for (i = 0; i < nparts; i++)
		total += parts[i].iov_len;
	want = malloc(total + 1);
	for (i = 0; i < nparts; i++) {
		memcpy(want + at, parts[i].iov_base, parts[i].iov_len);
		at += parts[i].iov_len;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
		return ok(false, "%s: socketpair", what);
	s.fd = fds[1];
	pthread_create(&t, NULL, drain, &s);
	rc = fcgi_stdout_write(fds[0], id, parts, nparts);
	close(fds[0]);
	pthread_join(t, NULL);
	close(fds[1]);
	*records = 0;
	for (at = 0; good && at < s.len;) {
		unsigned char *h = s.data + at;
		size_t len, pad;

		if (s.len - at < 8) {
			diag("%s: a header cut short at %zu", what, at);
			good = false;
			break;
		}
		len = (size_t)h[4] << 8 | h[5];
		pad = h[6];
		if (h[0] != 1 || h[1] != 6 || ((int)h[2] << 8 | h[3]) != id || len == 0 ||
		    len > FCGI_OUT_RECORD_MAX || pad != (8 - len % 8) % 8 || at + 8 + len + pad > s.len) {
			diag("%s: record %zu at %zu: version %d type %d id %d length %zu padding %zu", what,
			    *records, at, h[0], h[1], (int)h[2] << 8 | h[3], len, pad);
			good = false;
			break;
		}
		if (got + len > total || memcmp(s.data + at + 8, want + got, len) != 0) {
			diag("%s: record %zu holds other bytes", what, *records);
			good = false;
		}
		for (i = 0; i < pad; i++)
			good = good && s.data[at + 8 + len + i] == 0;
		got += len;
		at += 8 + len + pad;
		(*records)++;
	}
	free(want);
	free(s.data);
	return ok(rc == 0 && good && got == total, "%s: %zu bytes in %zu records", what, total, *records);
}

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 7, 8, FCGI_OUT_RECORD_MAX - 100, FCGI_OUT_RECORD_MAX,
		FCGI_OUT_RECORD_MAX + 1, 200000, 3 * 1024 * 1024 + 5 };
	char head[100], what[80];
	unsigned char *body = malloc(sizes[8]);
	struct iovec parts[FCGI_OUT_PARTS_MAX + 1];
	size_t i, records;

	memset(head, 'h', sizeof(head));
	for (i = 0; i < sizes[8]; i++)
		body[i] = (unsigned char)(i * 7 + i / 251);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t total = sizeof(head) + sizes[i];

		parts[0].iov_base = head;
		parts[0].iov_len = sizeof(head);
		parts[1].iov_base = body;
		parts[1].iov_len = sizes[i];
		snprintf(what, sizeof(what), "head and a body of %zu", sizes[i]);
		round_trip(parts, 2, 1, &records, what);
		is_int((long long)records, (long long)((total + FCGI_OUT_RECORD_MAX - 1) / FCGI_OUT_RECORD_MAX),
		    "%s: as few records as fit", what);
	}
	/* More records than one writev takes (32), and the request id's two bytes. */
	parts[0].iov_base = body;
	parts[0].iov_len = 40 * (size_t)FCGI_OUT_RECORD_MAX + 3;
	round_trip(parts, 1, 0x1234, &records, "41 records");
	is_int((long long)records, 41, "41 records: all of them");
	/* Empty parts between others; nothing at all writes nothing. */
	parts[0].iov_base = head;
	parts[0].iov_len = 0;
	parts[1].iov_base = head;
	parts[1].iov_len = 3;
	parts[2].iov_base = body;
	parts[2].iov_len = 0;
	parts[3].iov_base = body;
	parts[3].iov_len = 5;
	round_trip(parts, 4, 2, &records, "empty parts among others");
	round_trip(parts, 1, 2, &records, "nothing");
	is_int((long long)records, 0, "nothing: no record");
	errno = 0;
	ok(fcgi_stdout_write(-1, 1, parts, FCGI_OUT_PARTS_MAX + 1) == -1 && errno == EINVAL,
	    "more parts than FCGI_OUT_PARTS_MAX: refused");
	free(body);
	return done_testing();
}
