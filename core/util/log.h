/*
 * log: one line per event on stderr, with time, level and thread.
 * die() is for the impossible at start-up; elsewhere return an error.
 */
#ifndef CPT_LOG_H
#define CPT_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
