/*
 * comptoir check-config [FILE]: validates the YAML files, and the templates
 * they point to, without starting anything: what a reload would refuse.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "tpl/tpl.h"

int
cmd_check_config(struct cli *c)
{
	const char *path = c->argc > 0 ? c->argv[0] : c->config_path;
	struct config *cfg = cli_load_config(path);
	struct tpl_set *tpl = NULL;
	struct buf err;
	int rc = 0;

	if (!cfg)
		return 1;
	buf_init(&err, 64 * 1024);
	if (tpl_set_load(cfg->paths.templates, &tpl, &err) != 0) {
		fprintf(stderr, "%s%s", buf_str(&err),
		    err.len && err.data[err.len - 1] != '\n' ? "\n" : "");
		rc = 1;
	} else {
		printf("%s: ok, %zu shop%s, %zu host name%s, templates in %s\n", path,
		    cfg->nshops, cfg->nshops == 1 ? "" : "s",
		    cfg->nhosts, cfg->nhosts == 1 ? "" : "s", cfg->paths.templates);
	}
	tpl_set_free(tpl);
	buf_free(&err);
	config_free(cfg);
	return rc;
}
