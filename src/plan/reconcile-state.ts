// Pure: the two inputs of a plan, as plain data. Imports model/ only.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import type { ProcessStateName } from '../model/states.js';

/** What should run: the groups of an EffectiveConfig (an EffectiveConfig is a DesiredState). */
export interface DesiredState {
  readonly groups: readonly GroupSpec[];
}

/** One process as it runs now: the spec it was last given, its state and its pid (0 when none). */
export interface ActualProcess {
  readonly spec: ProcessSpec;
  readonly state: ProcessStateName;
  readonly pid: number;
}

/** One active group: its applied settings (a GroupSpec without its processes) and its processes. */
export interface ActualGroup extends Omit<GroupSpec, 'processes'> {
  readonly processes: readonly ActualProcess[];
}

/** What runs now, as the engine reports it. */
export interface ActualState {
  readonly groups: readonly ActualGroup[];
}

/** An active group built from a spec, every process in `state` (STOPPED by default), as a fresh engine holds it. */
export function actualGroupOf(
  spec: GroupSpec,
  stateOf: (p: ProcessSpec) => { state: ProcessStateName; pid: number } = () => ({
    state: 'STOPPED',
    pid: 0,
  }),
): ActualGroup {
  return activeGroup(
    spec,
    spec.processes.map((p) => {
      const { state, pid } = stateOf(p);
      return { spec: p, state, pid };
    }),
  );
}

/**
 * A group's applied settings with its processes as they run. One literal, every field always present: a spread
 * of the spec made objects of many shapes, and each read of them in a plan of 10,000 groups went the slow way.
 */
export function activeGroup(spec: GroupSpec, processes: readonly ActualProcess[]): ActualGroup {
  return {
    name: spec.name,
    kind: spec.kind,
    priority: spec.priority,
    eventlistener: spec.eventlistener,
    fcgi: spec.fcgi,
    source: spec.source,
    processes,
  };
}

/** `proc` when the group has the process's name, else `group:proc`, as supervisor writes namespecs. */
export function namespecOf(group: string, name: string): string {
  return group === name ? name : `${group}:${name}`;
}
