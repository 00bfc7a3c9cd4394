// Pure: what the JSON Schema says about each section's options: their kinds, defaults and names.
import { createRequire } from 'node:module';
import type { ValueKind } from './coerce.js';

interface PropertySchema {
  type?: string | string[];
  default?: unknown;
  'x-svd-kind'?: string;
  'x-svd-reload'?: 'restart' | 'in-place';
  description?: string;
  enum?: unknown[];
  maximum?: number;
}
interface ObjectSchema {
  properties: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties?: unknown;
}
/** The parts of schema/svd.schema.json svd reads at run time. */
export interface SvdSchema {
  definitions: Record<string, ObjectSchema>;
  properties: Record<string, unknown>;
}

/** The schema document itself (schema/svd.schema.json, copied next to the build). */
export const svdSchema: SvdSchema = createRequire(import.meta.url)(
  '../../schema/svd.schema.json',
) as SvdSchema;

/** One option as the schema defines it; `reload` is its x-svd-reload class, when it has one. */
export interface OptionInfo {
  readonly name: string;
  readonly kind: ValueKind;
  readonly default: unknown;
  readonly reload: 'restart' | 'in-place' | undefined;
}

/** One schema definition (`ProgramOptions`, ...) as the loader uses it. */
export interface SectionInfo {
  readonly definition: string;
  readonly options: ReadonlyMap<string, OptionInfo>;
  readonly required: readonly string[];
  /** True when options beyond the listed ones are allowed (rpcinterface extras). */
  readonly open: boolean;
}

function kindOf(p: PropertySchema): ValueKind {
  const declared = p['x-svd-kind'];
  const types = Array.isArray(p.type) ? p.type : p.type ? [p.type] : [];
  const nullable = types.includes('null');
  if (declared === 'octal') return nullable ? 'nullable-octal' : 'octal';
  if (declared) return declared as ValueKind;
  if (types.includes('integer')) return nullable ? 'nullable-integer' : 'integer';
  if (types.includes('boolean')) return 'boolean';
  return nullable ? 'nullable-string' : 'string';
}

const cache = new Map<string, SectionInfo>();

/** The schema's view of one definition, computed once and cached; throws for a name the schema lacks. */
export function sectionInfo(definition: string): SectionInfo {
  const cached = cache.get(definition);
  if (cached) return cached;
  const def = svdSchema.definitions[definition];
  if (!def) throw new Error(`schema has no definition ${definition}`);
  const options = new Map<string, OptionInfo>();
  for (const [name, p] of Object.entries(def.properties)) {
    options.set(name, { name, kind: kindOf(p), default: p.default, reload: p['x-svd-reload'] });
  }
  const info: SectionInfo = {
    definition,
    options,
    required: def.required ?? [],
    open: typeof def.additionalProperties === 'object',
  };
  cache.set(definition, info);
  return info;
}

/** The schema definition that describes each kind of section. */
export const definitionOfKind = {
  supervisord: 'SupervisordOptions',
  supervisorctl: 'SupervisorctlOptions',
  unix_http_server: 'UnixHttpServerOptions',
  inet_http_server: 'InetHttpServerOptions',
  include: 'IncludeOptions',
  program: 'ProgramOptions',
  group: 'GroupOptions',
  eventlistener: 'EventListenerOptions',
  'fcgi-program': 'FcgiProgramOptions',
  rpcinterface: 'RpcInterfaceOptions',
} as const;
