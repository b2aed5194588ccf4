/*
 * wf_conf: the workflow schema (see conf/workflow.yaml), for conf.c.
 * Internal to core/conf/.
 */
#ifndef CPT_WF_CONF_H
#define CPT_WF_CONF_H

#include "conf/wf_def.h"
#include "conf/yaml_walk.h"

/* Reads and checks mapping `map` (statuses, transitions) of f; `section`
 * names it in messages (NULL at a file's top). NULL when it has problems
 * (reported to f's errors). */
struct wf_def *wf_conf_walk(struct yw_file *f, const yaml_node_t *map, const char *section);
/* The same for a whole file, conf/workflow.yaml. */
struct wf_def *wf_conf_load(struct yw_errors *errs, const char *path);

#endif
