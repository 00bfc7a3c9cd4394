// `svd config`: print the effective configuration (includes resolved, expansions done, defaults
// filled, numprocs expanded) as INI, YAML or JSON. Doubles as the INI <-> YAML converter.
import { effectiveDocument } from '../../config/effective-document.js';
import { loadConfig } from '../../config/load.js';
import { renderConfig, type ConfigFormat } from '../../config/render-config.js';
import { formatDiagnostic } from '../../model/diagnostics.js';
import { ExitError, type CliIo } from '../io.js';
import { loadOptionsFrom, type SourceFlags } from './config-source.js';

/** `svd config`'s flags; `format` is checked by runConfig (yaml when absent). */
export interface ConfigFlags extends SourceFlags {
  readonly format?: string | undefined;
}

/**
 * `svd config`: prints the effective configuration as YAML, JSON or INI on stdout, with diagnostics and
 * what the output could not hold exactly (a pool's value no %(process_num) template gives, a value INI cannot
 * hold) on stderr. Throws ExitError(1) for another format or an invalid config.
 */
export function runConfig(flags: ConfigFlags, io: CliIo): void {
  const format = (flags.format ?? 'yaml') as ConfigFormat;
  if (!['ini', 'yaml', 'json'].includes(format)) {
    io.stderr.write(`Error: --format must be ini, yaml or json, not '${format}'\n`);
    throw new ExitError(1);
  }
  const result = loadConfig(loadOptionsFrom(flags, io));
  for (const d of result.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
  if (!result.config) throw new ExitError(1);
  const warnings: string[] = [];
  const rendered = renderConfig(effectiveDocument(result.config, warnings), format);
  for (const w of [...warnings, ...rendered.warnings]) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(rendered.text);
}
