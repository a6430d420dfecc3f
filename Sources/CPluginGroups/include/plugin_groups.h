#ifndef HANDOFF_PLUGIN_GROUPS_H
#define HANDOFF_PLUGIN_GROUPS_H

#include <sys/types.h>

/// The process groups of the running outside plugins, kept where a signal handler can reach them:
/// a signal that ends Handoff (SIGTERM, SIGINT, SIGHUP) ends these groups first, so no plugin (nor
/// a child of one) outlives Handoff.

/// How many plugins can run at once, each recorded here.
enum { HANDOFF_PLUGIN_GROUP_SLOTS = 256 };

/// Records a plugin's process group (its server's pid); 0 when all the slots are taken.
int handoff_plugin_group_add(pid_t group);

/// Forgets a process group Handoff has ended itself.
void handoff_plugin_group_remove(pid_t group);

/// For each of SIGTERM, SIGINT and SIGHUP that would end Handoff as things stand (its action is
/// the default), installs a handler that ends the recorded groups and then ends Handoff by the
/// same signal. A signal that is ignored, or handled already (Ctrl-C at the interactive prompt
/// clears the line), is left as it is. Calling it again changes nothing.
void handoff_plugin_groups_end_with_handoff(void);

#endif
