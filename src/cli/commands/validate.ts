// `svd validate`: lint a configuration. Exit 0 when valid, 1 when not.
import { loadConfig } from '../../config/load.js';
import { formatDiagnostic } from '../../model/diagnostics.js';
import { ExitError, type CliIo } from '../io.js';
import { loadOptionsFrom, type SourceFlags } from './config-source.js';

export interface ValidateFlags extends SourceFlags {
  readonly json?: boolean | undefined;
}

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
        `valid: ${counted(files, 'file')}, ${counted(groups, 'group')}, ${counted(processes, 'process', 'processes')}` +
          (warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '') +
          '\n',
      );
    } else {
      io.stdout.write(
        `invalid: ${errors} error${errors === 1 ? '' : 's'}` +
          (warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '') +
          '\n',
      );
    }
  }
  if (!result.config) throw new ExitError(1);
}

function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
