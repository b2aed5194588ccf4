/*
 * log: one line per event on stderr, with time, level and thread.
 * die() is for the impossible at start-up; elsewhere return an error.
 *
 * Every message is escaped once, here (log_escape): whatever a request put
 * in it, one event stays one line of well-formed UTF-8.
 */
#ifndef CPT_LOG_H
#define CPT_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Writes `msg` into `out` (size bytes, NUL-terminated) with line feeds,
 * carriage returns and tabs as \n, \r, \t, the other C0 and C1 controls,
 * DEL, U+2028, U+2029 and every ill-formed UTF-8 byte as \xNN, and '\' as
 * "\\". Stops before an escape that would not fit; returns the length.
 */
size_t log_escape(char *out, size_t size, const char *msg);
_Noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
