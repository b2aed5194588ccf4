#include "cli/cli.h"
#include "http/server.h"

static const struct cli_spec spec = {
	.name = "serve",
	.usage = "usage: comptoir [--config FILE] serve\n"
	    "Runs the FastCGI server on server.socket (or on the socket handed in on fd 0).\n"
	    "SIGHUP reloads the configuration, SIGTERM stops after the requests in flight.\n",
};

int
cmd_serve(struct cli *c)
{
	int status;

	if (cli_parse(c, &spec, &status) != 0)
		return status;
	return server_run(c->config_path);
}
