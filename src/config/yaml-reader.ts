// Pure: reads a YAML config document (the schema's shape) into the same positioned sections as INI.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Diagnostic } from '../model/diagnostics.js';
import type { SourceLocation } from '../model/diagnostics.js';
import { namedSectionKeys, type RawFile, type RawSection, type RawValue } from './raw-section.js';
import { suggest } from './did-you-mean.js';
import { definitionOfKind, sectionInfo } from './schema-info.js';

// Loaded on the first YAML file: the library costs ~50-90 ms to load, and most configs are INI only.
let loaded: typeof Yaml | null = null;
const yaml = (): typeof Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
const isMap = (node: unknown): node is Yaml.YAMLMap => yaml().isMap(node);
const isScalar = (node: unknown): node is Yaml.Scalar => yaml().isScalar(node);
const isSeq = (node: unknown): node is Yaml.YAMLSeq => yaml().isSeq(node);
const isAlias = (node: unknown): node is Yaml.Alias => yaml().isAlias(node);

/**
 * The values every alias of one file may stand for together: a few anchors of anchors of lists (a "billion laughs")
 * would expand into billions, where real configs reuse an environment or a command a few times.
 */
export const MAX_ALIASED_VALUES = 10_000;

class AliasBudgetExceeded extends Error {
  readonly node: Node;
  constructor(node: Node) {
    super(`YAML: aliases expand to more than ${MAX_ALIASED_VALUES} values`);
    this.node = node;
  }
}

const singletonKeys = ['supervisord', 'supervisorctl', 'unix_http_server', 'inet_http_server', 'include'];
const namedKeys = new Map<string, string>(Object.entries(namedSectionKeys).map(([kind, key]) => [key, kind]));

/**
 * Reads one YAML file into positioned sections shaped as INI's (`programs.web` becomes [program:web]).
 * Never throws: syntax errors, duplicate keys, unknown top-level keys and alias bombs are diagnostics.
 */
export function parseYaml(text: string, file: string): { file: RawFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined): SourceLocation => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  let aliasedValues = 0;
  /** The alias being expanded where the document names it: where a budget error points. */
  let aliasUse: Node | null = null;
  // What each alias stands for, found in one pass: the library's Alias.resolve(doc) walks the whole document at
  // every call, so a file of n aliases cost O(n^2) (2,000 aliases: seconds of CPU; a chain of 4,000 merge keys:
  // minutes, on the daemon's one thread at a SIGHUP). The same rule as the library's: the last node anchored
  // under that name before the alias, in document order.
  let aliasTargets: Map<Yaml.Alias, Node | undefined> | null = null;
  const resolveAlias = (alias: Yaml.Alias): Node | undefined => {
    if (aliasTargets === null) {
      const targets = new Map<Yaml.Alias, Node | undefined>();
      const anchors = new Map<string, Node>();
      yaml().visit(doc, {
        Node(_, node) {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if ((node as { anchor?: string }).anchor)
            anchors.set((node as { anchor: string }).anchor, node);
        },
      });
      aliasTargets = targets;
    }
    return aliasTargets.get(alias);
  };
  /** The node an alias stands for (null for an unknown anchor); any other node itself. */
  const target = (node: Node | null | undefined): Node | null =>
    (isAlias(node) ? resolveAlias(node) : node) ?? null;
  /** The node's value as plain data (strings, numbers, booleans, arrays, objects, null), aliases resolved. */
  const plain = (node: Node | null | undefined, viaAlias = false): unknown => {
    if (!viaAlias && isAlias(node)) aliasUse = node;
    const inAlias = viaAlias || isAlias(node);
    const n = target(node);
    if (inAlias) count();
    if (n === null) return null;
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((item) => plain(item as Node, inAlias));
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      for (const pair of n.items as Pair<Node, Node>[])
        out[keyText(target(pair.key))] = plain(pair.value, inAlias);
      return out;
    }
    return n.toJSON();
  };
  const count = (): void => {
    if (++aliasedValues > MAX_ALIASED_VALUES) throw new AliasBudgetExceeded(aliasUse as Node);
  };
  const sections: RawSection[] = [];
  const result = () => ({
    file: { path: file, format: 'yaml' as const, sections, defaults: new Map<string, RawValue>() },
    diagnostics,
  });

  // The library reports running out of stack once per level it unwinds: one error says it.
  const tooDeep = (error: Yaml.YAMLError): boolean => /Maximum call stack/.test(error.message);
  const firstTooDeep = doc.errors.find(tooDeep);
  for (const error of doc.errors) {
    if (tooDeep(error) && error !== firstTooDeep) continue;
    const pos = lineCounter.linePos(error.pos[0]);
    const twice = error.code === 'DUPLICATE_KEY' ? duplicateKey(text, error.pos[0]) : undefined;
    diagnostics.push({
      severity: 'error',
      code: 'SVD-CONF-SYNTAX',
      message:
        error.code === 'MULTIPLE_DOCS'
          ? 'YAML: a config file holds one document; this one has another after a ---'
          : twice !== undefined
            ? `YAML: '${twice}' is written twice in one mapping (keys must be unique)`
            : tooDeep(error)
              ? 'YAML: nested too deeply to read (thousands of levels of [ or {)'
              : `YAML: ${error.message.split('\n')[0] ?? error.code}`,
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  if (doc.errors.length > 0) return result();
  // An alias naming no anchor (a typo, or an anchor written after it) stands for nothing: the library says so only
  // when converting to plain data, and the checks after would blame its null ("'<<' must name a mapping").
  if (text.includes('*')) {
    yaml().visit(doc, {
      Alias(_, node) {
        if (resolveAlias(node) !== undefined) return;
        diagnostics.push({
          severity: 'error',
          code: 'SVD-CONF-SYNTAX',
          message: `YAML: alias *${node.source} names no anchor: &${node.source} must be defined before it`,
          ...at(node),
        });
      },
    });
    if (diagnostics.length > 0) return result();
  }
  try {
    readRoot();
  } catch (error) {
    if (!(error instanceof AliasBudgetExceeded)) throw error;
    sections.length = 0;
    diagnostics.push({
      severity: 'error',
      code: 'SVD-CONF-SYNTAX',
      message: error.message,
      ...at(error.node),
    });
  }
  return result();

  function readRoot(): void {
    const root = target(doc.contents);
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return;
    if (!isMap(root)) {
      diagnostics.push(
        mistake(
          at(root as Node),
          'the document must be a mapping of sections (programs:, supervisord:, ...)',
        ),
      );
      return;
    }

    const readOptions = (node: Node, sectionName: string): Map<string, RawValue> | null => {
      const options = new Map<string, RawValue>();
      const map = target(node) ?? node;
      if (isScalar(map) && map.value === null) return options;
      if (!isMap(map)) {
        diagnostics.push(mistake(at(map), `[${sectionName}] must be a mapping of options`, sectionName));
        return null;
      }
      const octal = octalOptions(sectionName);
      for (const { pair, merged } of mergedPairs(map, sectionName)) {
        const key = keyText(target(pair.key));
        const digits = octal.has(key) ? writtenDigits(target(pair.value)) : undefined;
        const environment = key === 'environment' ? environmentAsWritten(pair.value, sectionName) : undefined;
        options.set(key, {
          value: digits ?? environment?.values ?? plain(pair.value, merged || map !== node),
          location: at(pair.value ?? pair.key),
          keyLocation: at(pair.key),
          ...(environment && { entryLocations: environment.locations }),
        });
      }
      return options;
    };

    /**
     * An environment mapping as its variables are meant: merge keys applied (a shared `<<: *env`), and a number
     * or boolean kept as written, since a variable is text and YAML's value is not what was typed (`3.10` reads
     * as 3.1, `0123` as 123, `1e3` as 1000, `True` as true), with where each value is written. Undefined when it
     * is not a mapping: the type check then says so.
     */
    const environmentAsWritten = (
      node: Node | null,
      sectionName: string,
    ): { values: Record<string, unknown>; locations: Map<string, SourceLocation> } | undefined => {
      const map = target(node);
      if (!isMap(map)) return undefined;
      const out: Record<string, unknown> = {};
      const locations = new Map<string, SourceLocation>();
      for (const { pair, merged } of mergedPairs(map, sectionName)) {
        const value = target(pair.value);
        const name = keyText(target(pair.key));
        locations.set(name, at(pair.value ?? pair.key));
        out[name] =
          isScalar(value) &&
          typeof value.value !== 'string' &&
          value.value !== null &&
          value.source !== undefined
            ? value.source
            : plain(pair.value, merged || map !== node);
      }
      return { values: out, locations };
    };

    /**
     * The pairs of `map` with YAML's merge keys applied: its own, then those of each mapping a `<<` names (and
     * of theirs), the first pair of each key winning. A merged pair keeps the place it is written.
     */
    const mergedPairs = (
      map: Yaml.YAMLMap,
      sectionName?: string,
    ): { readonly pair: Pair<Node, Node>; readonly merged: boolean }[] => {
      const pairs: { pair: Pair<Node, Node>; merged: boolean }[] = [];
      const keys = new Set<string>();
      const seen = new Set<Node>();
      // Depth first, in the order written, with a stack of its own rather than recursion: a chain of a few
      // thousand anchors each merging the one before (`&m2 {<<: *m1}`) overflowed the call stack.
      type Task = { readonly walk: Yaml.YAMLMap; readonly merged: boolean } | { readonly notAMap: Node };
      const tasks: Task[] = [{ walk: map, merged: false }];
      while (tasks.length > 0) {
        const task = tasks.pop() as Task;
        if ('notAMap' in task) {
          diagnostics.push(
            mistake(
              at(task.notAMap),
              "'<<' must name a mapping, or a list of mappings, to merge",
              sectionName,
            ),
          );
          continue;
        }
        const m = task.walk;
        if (seen.has(m)) continue;
        seen.add(m);
        const merges: Node[] = [];
        for (const pair of m.items as Pair<Node, Node>[]) {
          if (isMergeKey(pair.key)) {
            merges.push(pair.value as Node);
            continue;
          }
          const key = keyText(target(pair.key));
          if (keys.has(key)) continue;
          keys.add(key);
          pairs.push({ pair, merged: task.merged });
        }
        const next: Task[] = [];
        for (const merge of merges) {
          const named = target(merge);
          const sources = isSeq(named) ? (named.items as Node[]).map((item) => target(item)) : [named];
          for (const source of sources)
            next.push(isMap(source) ? { walk: source, merged: true } : { notAMap: merge });
        }
        for (let i = next.length - 1; i >= 0; i--) tasks.push(next[i] as Task);
      }
      return pairs;
    };

    for (const pair of root.items as Pair<Node, Node>[]) {
      const key = keyText(target(pair.key));
      if (singletonKeys.includes(key)) {
        const options = readOptions(pair.value as Node, key);
        if (options) sections.push({ name: key, format: 'yaml', location: at(pair.key), options });
        continue;
      }
      const kind = namedKeys.get(key);
      if (kind === undefined && key.startsWith('x-')) continue;
      if (kind === undefined) {
        const guess = suggest(key, [...singletonKeys, ...namedKeys.keys()]);
        diagnostics.push({
          severity: 'warning',
          code: 'SVD-CONF-UNKNOWN-SECTION',
          message: `unknown top-level key '${key}' is ignored`,
          ...at(pair.key),
          hint: guess ? `did you mean '${guess}'?` : undefined,
        });
        continue;
      }
      const named = target(pair.value);
      if (isScalar(named) && named.value === null) continue;
      if (!isMap(named)) {
        diagnostics.push(mistake(at(named as Node), `'${key}' must map names to their options`));
        continue;
      }
      for (const { pair: entry } of mergedPairs(named)) {
        const name = keyText(target(entry.key));
        const sectionName = `${kind}:${name}`;
        const options = readOptions(entry.value as Node, sectionName);
        if (options) sections.push({ name: sectionName, format: 'yaml', location: at(entry.key), options });
      }
    }
  }
}

/** The key written at `offset` (plain or quoted on one line), for a duplicate-key message; undefined if unsure. */
function duplicateKey(text: string, offset: number): string | undefined {
  const line = text.slice(offset).split(/\r?\n/, 1)[0] ?? '';
  const m = /^(?:"([^"\\]*)"|'([^']*)'|([^\s"'#:][^:#]*?))\s*:(?:\s|$)/.exec(line);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function keyText(node: unknown): string {
  if (isScalar(node)) return String(node.value);
  return String(node);
}

/** `<<` as a plain key: a merge key (a quoted '<<' is an ordinary key). */
function isMergeKey(node: unknown): boolean {
  return isScalar(node) && node.value === '<<' && node.type === 'PLAIN';
}

/** The options of each section kind that hold octal digits (umask, chmod), read from the schema once. */
const octalOptionsByKind = new Map<string, ReadonlySet<string>>();

function octalOptions(sectionName: string): ReadonlySet<string> {
  const kind = sectionName.split(':')[0] ?? '';
  let names = octalOptionsByKind.get(kind);
  if (names === undefined) {
    const found = new Set<string>();
    const definition = (definitionOfKind as Record<string, string | undefined>)[kind];
    if (definition !== undefined) {
      for (const option of sectionInfo(definition).options.values()) {
        if (option.kind === 'octal' || option.kind === 'nullable-octal') found.add(option.name);
      }
    }
    octalOptionsByKind.set(kind, found);
    names = found;
  }
  return names;
}

/**
 * An octal option given as a YAML number: the digits it was written with, since YAML reads `022` as 22 and
 * `0o22` as 18, and only the written digits say which octal number was meant. Undefined for anything else.
 */
function writtenDigits(node: Node | null): string | undefined {
  return isScalar(node) && typeof node.value === 'number' && node.source !== undefined
    ? node.source
    : undefined;
}

function mistake(location: SourceLocation, message: string, section?: string): Diagnostic {
  return { severity: 'error', code: 'SVD-CONF-SHAPE', message, ...location, section };
}
