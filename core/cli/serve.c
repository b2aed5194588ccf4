#include "cli/cli.h"
#include "http/server.h"

int
cmd_serve(struct cli *c)
{
	return server_run(c->config_path);
}
