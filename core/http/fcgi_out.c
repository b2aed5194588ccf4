#include "http/fcgi_out.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

/* Records per writev, each a header, its pieces of content (one per part
 * it spans) and its padding. */
#define RECORDS_PER_CALL 32
#define IOV_PER_RECORD (2 + FCGI_OUT_PARTS_MAX)

static const unsigned char zeros[8];

/* writev until every byte of iov[0..n) is written; iov is consumed. */
static int
write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static void
record_header(unsigned char h[8], int request_id, size_t len, size_t pad)
{
	h[0] = 1;                               /* FCGI_VERSION_1 */
	h[1] = 6;                               /* FCGI_STDOUT */
	h[2] = (unsigned char)(request_id >> 8);
	h[3] = (unsigned char)request_id;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)len;
	h[6] = (unsigned char)pad;
	h[7] = 0;
}

int
fcgi_stdout_write(int fd, int request_id, const struct iovec *parts, size_t nparts)
{
	unsigned char headers[RECORDS_PER_CALL][8];
	struct iovec iov[RECORDS_PER_CALL * IOV_PER_RECORD];
	size_t part = 0, at = 0, total = 0, i;

	if (nparts > FCGI_OUT_PARTS_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nparts; i++)
		total += parts[i].iov_len;
	while (total > 0) {
		int n = 0, records;

		for (records = 0; records < RECORDS_PER_CALL && total > 0; records++) {
			size_t len = total < FCGI_OUT_RECORD_MAX ? total : FCGI_OUT_RECORD_MAX, left = len;
			size_t pad = (8 - len % 8) % 8;

			record_header(headers[records], request_id, len, pad);
			iov[n].iov_base = headers[records];
			iov[n++].iov_len = 8;
			while (left > 0) {   /* the parts it spans, empty ones skipped */
				size_t take = parts[part].iov_len - at;

				if (take > left)
					take = left;
				if (take) {
					iov[n].iov_base = (char *)parts[part].iov_base + at;
					iov[n++].iov_len = take;
				}
				left -= take;
				at += take;
				if (at == parts[part].iov_len) {
					part++;
					at = 0;
				}
			}
			if (pad) {
				iov[n].iov_base = (void *)zeros;
				iov[n++].iov_len = pad;
			}
			total -= len;
		}
		if (write_all(fd, iov, n) != 0)
			return -1;
	}
	return 0;
}
