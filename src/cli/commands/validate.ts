// `svd validate`: lint a configuration. Exit 0 when valid, 1 when not.
import { loadConfig } from '../../config/load.js';
import { formatDiagnostic } from '../../model/diagnostics.js';
import { plural } from '../../plan/render-plan.js';
import { ExitError, type CliIo } from '../io.js';
import { loadOptionsFrom, type SourceFlags } from './config-source.js';

/** `svd validate`'s flags. */
export interface ValidateFlags extends SourceFlags {
  readonly json?: boolean | undefined;
}

/**
 * `svd validate`: every diagnostic, then a `valid: ...` or `invalid: ...` summary line (or one JSON object
 * with --json), all on stdout. Throws ExitError(1) when the configuration is invalid.
 */
export function runValidate(flags: ValidateFlags, io: CliIo): void {
  const result = loadConfig(loadOptionsFrom(flags, io));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  if (flags.json) {
    io.stdout.write(
      JSON.stringify(
        {
          valid: result.config !== null,
          errors,
          warnings,
          diagnostics: result.diagnostics,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const d of result.diagnostics) io.stdout.write(formatDiagnostic(d) + '\n');
    if (result.config) {
      const processes = result.config.groups.reduce((n, g) => n + g.processes.length, 0);
      const files = result.config.files.length;
      const groups = result.config.groups.length;
      io.stdout.write(
        `valid: ${plural(files, 'file')}, ${plural(groups, 'group')}, ${plural(processes, 'process', 'processes')}` +
          (warnings ? `, ${plural(warnings, 'warning')}` : '') +
          '\n',
      );
    } else {
      io.stdout.write(
        `invalid: ${plural(errors, 'error')}` + (warnings ? `, ${plural(warnings, 'warning')}` : '') + '\n',
      );
    }
  }
  if (!result.config) throw new ExitError(1);
}
