// Pure: how a value that %(...)s expansion refused is reported: one message quoting the text around the fault,
// and a hint that fits the section (where a missing ENV_ name can be set depends on it).
import type { Diagnostic } from '../model/diagnostics.js';
import { suggest } from './did-you-mean.js';
import { lookupName, namesOf, type ExpandResult, type Expansions } from './interpolate.js';
import { isSecretOption, quotedExcerpt } from './quoted-value.js';

/** The hint for a missing %(ENV_<variable>)s: where the variable could be set for the option that names it. */
export type EnvHint = (variable: string) => string;

/**
 * Where supervisor's %(ENV_X)s names come from, section by section (options.py of 4.2.5): the environment
 * supervisord starts in for every section, and [supervisord] environment= for the sections read after
 * [supervisord] (programs, event listeners, fcgi-programs, groups, the servers, rpcinterfaces), not for
 * [supervisord]'s own options, environment= among them, nor [include] files=, which are expanded before it.
 */
export const envHints = {
  /** Program, group, server and rpcinterface sections: the start's environment and [supervisord] environment=. */
  global: (variable: string) =>
    `set ${variable} in the environment svd starts in, or in [supervisord] environment=`,
  supervisord: (variable: string) =>
    `set ${variable} in the environment svd starts in; [supervisord] environment= applies to program and server sections, not to [supervisord]'s own options`,
  include: (variable: string) =>
    `set ${variable} in the environment svd starts in; [include] files= is expanded before [supervisord] environment= is read`,
  /** A program's options expanded after its own environment=, whose names they see too. */
  program:
    (section: string): EnvHint =>
    (variable) =>
      `set ${variable} in the environment svd starts in, in [supervisord] environment=, or in [${section}] environment=`,
  /** supervisord never reads [supervisorctl]: supervisorctl (and svd ctl) expand it in their own environment. */
  supervisorctl: (variable: string) => `set ${variable} in the environment supervisorctl and svd ctl run in`,
} as const;

/** The available names for an expansion error: every key but the ENV_ ones, which are summarised. */
function availableNames(expansions: Expansions): string {
  const names = namesOf(expansions).filter((k) => !k.startsWith('ENV_'));
  return [...names.sort(), 'ENV_<NAME>'].join(', ');
}

/**
 * The code, message and hint for a value %(...)s expansion refused, INI text or one value of a YAML mapping
 * alike; `label` is the option, or `option.KEY` for a mapping's value. The message keeps Python's words for a
 * format error (users search for them) and quotes the text around the fault; a credential is never quoted,
 * nor is a hint that would repeat part of it.
 */
export function expansionFailure(
  label: string,
  option: string,
  text: string,
  failure: Extract<ExpandResult, { ok: false }>,
  expansions: Expansions,
  envHint: EnvHint = envHints.global,
): Pick<Diagnostic, 'code' | 'message' | 'hint'> {
  const secret = isSecretOption(option);
  const quoted = quotedExcerpt(option, text, failure.at);
  if (failure.kind === 'bad-format') {
    if (secret)
      return {
        code: 'SVD-CONF-EXPAND-FORMAT',
        message: `${label}: ${quoted} is badly formatted`,
        hint: 'write %% for a literal %',
      };
    // Python looks a name up before its conversion: %(ENV_HOST)-x with HOST unset is its KeyError. Say both.
    const { name } = failure;
    const unknown = name !== undefined && lookupName(expansions, name) === undefined;
    return {
      code: 'SVD-CONF-EXPAND-FORMAT',
      message: `${label}: ${quoted} is badly formatted: ${failure.message}`,
      hint: unknown ? `${failure.hint}; ${unknownNameHint(name, expansions, envHint)}` : failure.hint,
    };
  }
  const { name } = failure;
  return {
    code: 'SVD-CONF-EXPAND-NAME',
    message: `${label}: %(${name}) cannot be expanded in ${quoted}; available names: ${availableNames(expansions)}`,
    hint: name.startsWith('ENV_') ? envHint(name.slice(4)) : guessName(name, expansions),
  };
}

/** `did you mean %(program_name)s?` for a misspelt name other than an ENV_ one. */
function guessName(name: string, expansions: Expansions): string | undefined {
  const guess = suggest(
    name,
    namesOf(expansions).filter((k) => !k.startsWith('ENV_')),
  );
  return guess === undefined ? undefined : `did you mean %(${guess})s?`;
}

/** What to do about `name` once its conversion is there too: set it, or spell it as a known name. */
function unknownNameHint(name: string, expansions: Expansions, envHint: EnvHint): string {
  if (name.startsWith('ENV_')) return `${name.slice(4)} is not set either: ${envHint(name.slice(4))}`;
  const guess = guessName(name, expansions);
  return `%(${name}) is unknown too${guess === undefined ? '' : `: ${guess}`}`;
}
