/* Unit tests of replica_judge (core/db/replica.h): when the reads that may
 * lag go to the replica, from one SHOW SLAVE STATUS row. */
#include "db/replica.h"
#include "tap.h"

int
main(void)
{
	long long lag;

	is_int(replica_judge("Yes", "0", 5, &lag), REPLICA_IN_STEP, "in step: 0 s behind");
	is_int(lag, 0, "its lag: 0");
	is_int(replica_judge("Yes", "5", 5, &lag), REPLICA_IN_STEP, "at the bound: still in use");
	is_int(replica_judge("Yes", "6", 5, &lag), REPLICA_BEHIND, "past the bound: the primary");
	is_int(lag, 6, "its lag: 6");
	is_int(replica_judge("Yes", NULL, 5, &lag), REPLICA_BEHIND,
	    "Seconds_Behind_Master NULL (the I/O thread away): taken as too far behind");
	is_int(lag, -1, "its lag: unknown");
	is_int(replica_judge("No", "0", 5, &lag), REPLICA_STOPPED, "SQL thread stopped: the primary");
	is_int(replica_judge(NULL, NULL, 5, &lag), REPLICA_STOPPED, "no Slave_SQL_Running column: the primary");
	is_int(replica_judge("Yes", "12x", 5, &lag), REPLICA_BEHIND, "a lag that is no number: the primary");
	is_int(replica_judge("Yes", "-1", 5, &lag), REPLICA_BEHIND, "a negative lag: the primary");
	return done_testing();
}
