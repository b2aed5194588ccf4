/*
 * fcgi_out: a whole answer written to nginx in one writev.
 *
 * libfcgi frames what FCGX_PutStr is given into records of at most 8 KB,
 * one write() each, and each wakes nginx: a 50 KB list page was seven.
 * fcgi_stdout_write frames the parts (the head, then the body) into
 * FCGI_STDOUT records of up to 65,528 bytes (padded to 8, as libfcgi
 * does) and writes them all with writev. libfcgi's stream for the request
 * must hold nothing unwritten; FCGX_Finish_r then adds the end-of-stream
 * and end-of-request records as usual, after these.
 */
#ifndef CPT_FCGI_OUT_H
#define CPT_FCGI_OUT_H

#include <stddef.h>
#include <sys/uio.h>

#define FCGI_OUT_RECORD_MAX 65528    /* content bytes per record: 65535 rounded down to 8 */
#define FCGI_OUT_PARTS_MAX 4

/* Writes the bytes of parts[0..nparts) (nparts at most FCGI_OUT_PARTS_MAX),
 * in order, as FCGI_STDOUT records of request request_id on fd. Returns
 * 0, or -1 with errno (EINVAL: too many parts; else the peer gone). */
int fcgi_stdout_write(int fd, int request_id, const struct iovec *parts, size_t nparts);

#endif
