// supervisor.* methods over the configuration: reloadConfig, add/removeProcessGroup, getAllConfigInfo
// (spec §4.5, §5.5). They work against the daemon's last loaded config; running groups change only through
// add and remove. Each is a small function the reconciler can call or replace.
import { AlreadyAddedError, BadNameError, CantRereadError } from '../engine/errors.js';
import type { ProcessSpec } from '../model/config.js';
import type { RpcMethod } from './dispatcher.js';
import { groupNameArg } from './supervisor-args.js';
import { allConfigInfo, type ConfigInfo } from './supervisor-config-info.js';
import type { SupervisorHost } from './supervisor-host.js';
import { diffGroups, type GroupChanges } from './supervisor-reread.js';

/** reloadConfig: re-read the config source; it becomes the last loaded config. Throws CANT_REREAD. */
export function reloadConfig(host: SupervisorHost): GroupChanges {
  const outcome = host.config.reread();
  if (!outcome.ok) throw new CantRereadError(outcome.message);
  // `removed` lists the active groups in the order they became active, as supervisord's dict of groups.
  const specs = new Map(host.engine.groupSpecs().map((g) => [g.name, g]));
  const active = host.engine.activeGroupNames().flatMap((name) => specs.get(name) ?? []);
  return diffGroups(active, outcome.config.groups);
}

/** addProcessGroup: activate a group of the last loaded config (BAD_NAME if absent, ALREADY_ADDED if active). */
export function addProcessGroup(host: SupervisorHost, name: string): true {
  const spec = host.config.get().groups.find((g) => g.name === name);
  if (!spec) throw new BadNameError(name);
  if (host.engine.groupSpecs().some((g) => g.name === name)) throw new AlreadyAddedError(name);
  host.engine.addGroup(spec);
  return true;
}

/** removeProcessGroup: BAD_NAME if not active, STILL_RUNNING unless every process is stopped. */
export function removeProcessGroup(host: SupervisorHost, name: string): true {
  host.engine.removeGroup(name);
  return true;
}

function configInfos(host: SupervisorHost): ConfigInfo[] {
  const running = new Map<ProcessSpec, { stdout: string; stderr: string }>();
  for (const { spec, info } of host.engine.snapshot())
    running.set(spec, { stdout: info.stdout_logfile, stderr: info.stderr_logfile });
  return allConfigInfo(host.config.get().groups, {
    active: new Set(host.engine.groupSpecs().map((g) => g.name)),
    logPaths: (spec) => running.get(spec),
    uidOf: host.uidOf,
  });
}

/** supervisor.reloadConfig, addProcessGroup, removeProcessGroup and getAllConfigInfo over `host`. */
export function configMethods(host: SupervisorHost): Record<string, RpcMethod> {
  return {
    reloadConfig: {
      help: `Read the configuration again, without applying it. Groups are compared with the
active ones; add, remove or update them afterwards.

@return array result  [[added, changed, removed]]: three arrays of group names.`,
      call: () => {
        const { added, changed, removed } = reloadConfig(host);
        return [[[...added], [...changed], [...removed]]];
      },
    },
    addProcessGroup: {
      help: `Activate a group of the last loaded configuration; its autostart processes start.

@param string name  The group name.
@return boolean result  True when the group was added.`,
      call: ([name]) => addProcessGroup(host, groupNameArg(name, true)),
    },
    removeProcessGroup: {
      help: `Remove a group whose processes are all stopped.

@param string name  The group name.
@return boolean result  True when the group was removed.`,
      call: ([name]) => removeProcessGroup(host, groupNameArg(name)),
    },
    getAllConfigInfo: {
      help: `Get the configuration of every process of the last loaded configuration,
sorted by process name; inuse tells whether its group is active.

@return array result  One struct per configured process.`,
      call: () => configInfos(host).map((info) => ({ ...info })),
    },
  };
}
