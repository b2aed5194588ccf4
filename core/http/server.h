/*
 * server: `comptoir serve`, the FastCGI server. A fixed pool of threads,
 * each with its own database connection and arena, each serving one
 * request at a time from FCGX_Accept_r.
 */
#ifndef CPT_SERVER_H
#define CPT_SERVER_H

struct request;

/* Runs until SIGTERM or SIGINT; returns the process exit status. */
int server_run(const char *config_path);

/* The request pipeline (http/dispatch.c): shop, limits, session, route. */
void dispatch(struct request *r);

#endif
