// The `svd.*` XML-RPC namespace: the reconciler's plan and apply as API methods, so a tool needs no
// client-side `update` algorithm (supervisor's #792). Results are JSON text (plans hold nulls, which
// XML-RPC cannot carry); their shape is documented in docs/api.md (GET /api/plan, POST /api/apply).
import {
  clientSourceProblem,
  describeSource,
  sourceFromValue,
  type ConfigSource,
} from '../config/config-source.js';
import type { ApplyOutcome, PlanOutcome, ReconcileLoop, ReconcileOptions } from '../engine/reconcile-loop.js';
import type { LoadResult } from '../config/load.js';
import { untrustedSourceProblem } from '../config/source-trust.js';
import type { EffectiveConfig } from '../model/config.js';
import { ShutdownStateError } from '../engine/errors.js';
import { BadArgumentsError } from './faults.js';
import { planToJson, renderPlan } from '../plan/render-plan.js';
import { controlServerLoss, restartOnlyWarning } from '../plan/apply-checks.js';
import type { RpcNamespace } from './dispatcher.js';
import type { XmlRpcValue } from './xmlrpc-value.js';

/** What svd.* needs of the daemon: its reconciler, its configuration source, and whether it runs. */
export interface SvdMethodsDeps {
  readonly loop: ReconcileLoop<EffectiveConfig>;
  /** The daemon's current source. */
  source(): ConfigSource;
  load(source: ConfigSource): LoadResult;
  /** Makes a successfully applied source the daemon's source. */
  adopt(source: ConfigSource, config: EffectiveConfig): void;
  /** The active groups' names in the order they became active (supervisord's dict order). */
  activeGroups?(): readonly string[];
  /** Whether the daemon is RUNNING, neither shutting down nor restarting. */
  running(): boolean;
  /** The configuration its run started from, whose [supervisord] and servers are in effect. */
  startedWith?(): EffectiveConfig;
}

/**
 * The order supervisorctl's update reports groups in: the new configuration's groups as supervisor sorts them
 * (priority, then name), then the removed ones in the order they were active. The plan itself is by name.
 */
function supervisorGroupOrder(active: readonly string[], config: EffectiveConfig): string[] {
  const desired = config.groups.map((g) => g.name);
  const kept = new Set(desired);
  return [...desired, ...active.filter((name) => !kept.has(name))];
}

function optionsFrom(value: XmlRpcValue | undefined): ReconcileOptions {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const v = value as Record<string, XmlRpcValue>;
  const restart = v.restartGroups;
  const only = v.onlyGroups;
  return {
    restartGroups:
      restart === true || restart === 'all'
        ? 'all'
        : Array.isArray(restart)
          ? new Set(restart.map(String))
          : undefined,
    onlyGroups: Array.isArray(only) && only.length > 0 ? new Set(only.map(String)) : undefined,
  };
}

function sourceArg(value: XmlRpcValue | undefined, deps: SvdMethodsDeps): ConfigSource {
  if (
    value === undefined ||
    value === '' ||
    (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
  )
    return deps.source();
  const source = sourceFromValue(value);
  if (!source) throw new BadArgumentsError('source must be {configFile: PATH} or {paths: [PATH, ...]}');
  // The daemon's own source was chosen by whoever started it, or passed this check when a client named it.
  if (isOwnSource(source, deps)) return source;
  const problem = clientSourceProblem(source) ?? untrustedSourceProblem(pathsOf(source), daemonUid());
  if (problem) throw new BadArgumentsError(problem);
  return source;
}

const pathsOf = (source: ConfigSource): readonly string[] =>
  source.configFile !== undefined ? [source.configFile] : source.paths;

const daemonUid = (): number => process.geteuid?.() ?? 0;

function isOwnSource(source: ConfigSource, deps: SvdMethodsDeps): boolean {
  return describeSource(source) === describeSource(deps.source());
}

function planJson(outcome: PlanOutcome | ApplyOutcome, source: ConfigSource): Record<string, unknown> {
  const base = { ok: outcome.ok, source: describeSource(source), diagnostics: outcome.diagnostics };
  if (!outcome.ok) return base;
  return { ...base, plan: planToJson(outcome.plan), text: renderPlan(outcome.plan) };
}

/**
 * svd.getConfigSource, svd.plan and svd.apply, answering JSON text. A source a client names (and the files it
 * includes) must be config files or folders that only root or the daemon's user can change (BAD_ARGUMENTS,
 * or an error diagnostic); a configuration without the daemon's control server is refused; apply makes the
 * applied source the daemon's.
 */
export function svdMethods(deps: SvdMethodsDeps): RpcNamespace {
  const loader = (source: ConfigSource) => () => {
    const r = deps.load(source);
    // The files its [include] sections brought in, checked as the named ones were.
    const untrusted =
      r.config && !isOwnSource(source, deps) ? untrustedSourceProblem(r.config.files, daemonUid()) : null;
    if (untrusted)
      return {
        desired: null,
        diagnostics: [
          ...r.diagnostics,
          {
            severity: 'error' as const,
            code: 'SVD-APPLY-UNTRUSTED-FILE',
            message: untrusted,
            file: r.config?.files[0] ?? describeSource(source),
            line: 0,
            column: 0,
          },
        ],
      };
    const startedWith = deps.startedWith?.();
    if (!r.config || !startedWith) return { desired: r.config, diagnostics: r.diagnostics };
    const loss = controlServerLoss(startedWith, r.config);
    if (loss) return { desired: null, diagnostics: [...r.diagnostics, loss] };
    const pending = restartOnlyWarning(startedWith, r.config);
    return { desired: r.config, diagnostics: pending ? [...r.diagnostics, pending] : r.diagnostics };
  };
  return {
    getConfigSource: {
      help: 'Return the daemon\'s configuration source as JSON text: {"configFile": ...} or {"paths": [...]}.\n@return string',
      call: () => JSON.stringify(deps.source()),
    },
    plan: {
      help:
        'Plan the minimal update from the running processes to a configuration, without applying it.\n' +
        "@param struct source {configFile: PATH} or {paths: [PATH, ...]}; empty for the daemon's source\n" +
        '@param struct options {restartGroups: true | [group, ...], onlyGroups: [group, ...]}\n' +
        '@return string JSON: {ok, source, diagnostics, plan, text}',
      minArgs: 0,
      call: async ([source, options]) => {
        const s = sourceArg(source, deps);
        return JSON.stringify(planJson(await deps.loop.plan(loader(s), optionsFrom(options)), s));
      },
    },
    apply: {
      help:
        "Apply the minimal update to a configuration; a valid configuration becomes the daemon's source.\n" +
        "@param struct source {configFile: PATH} or {paths: [PATH, ...]}; empty for the daemon's source\n" +
        '@param struct options {restartGroups: true | [group, ...], onlyGroups: [group, ...]}\n' +
        '@return string JSON: {ok, source, diagnostics, plan, text, report, group_order}',
      minArgs: 0,
      call: async ([source, options]) => {
        // As supervisor's reloadConfig, which update starts with: SHUTDOWN_STATE once a shutdown or restart
        // began, even when there would be nothing to do (supervisorctl's `update NAME` says so).
        if (!deps.running()) throw new ShutdownStateError('');
        const s = sourceArg(source, deps);
        const active = deps.activeGroups?.() ?? [];
        const outcome = await deps.loop.apply(loader(s), optionsFrom(options));
        if (!outcome.ok) return JSON.stringify(planJson(outcome, s));
        const desired = outcome.desired;
        deps.adopt(s, desired);
        const group_order = supervisorGroupOrder(active, desired);
        return JSON.stringify({ ...planJson(outcome, s), report: outcome.report, group_order });
      },
    },
  };
}
