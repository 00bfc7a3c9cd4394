// Resolves -c / -f options into loadConfig options, with supervisord's default search path.
import { dirname } from 'node:path';
import { findDefaultConfig, type LoadOptions } from '../../config/load.js';
import { ExitError, type CliIo } from '../io.js';

/** -c FILE, -f PATH (repeatable) and --strict, as commander gives them. */
export interface SourceFlags {
  readonly configuration?: string | undefined;
  readonly file?: readonly string[] | undefined;
  readonly strict?: boolean | undefined;
}

/**
 * loadConfig's options for the flags: -f paths, else the -c file, else the first file of supervisord's
 * search path. Writes an error and throws ExitError(1) for -c with -f, or when no file is found.
 */
export function loadOptionsFrom(flags: SourceFlags, io: CliIo): LoadOptions {
  if (flags.configuration !== undefined && flags.file?.length) {
    io.stderr.write('Error: use either -c FILE or -f PATH, not both\n');
    throw new ExitError(1);
  }
  if (flags.file?.length) return { paths: flags.file, strict: flags.strict };
  if (flags.configuration !== undefined) return { configFile: flags.configuration, strict: flags.strict };
  const found = findDefaultConfig(process.cwd(), dirname(process.argv[1] ?? '.'));
  if (!found) {
    io.stderr.write('Error: no config file found in the default places; use -c FILE or -f PATH\n');
    throw new ExitError(1);
  }
  return { configFile: found, strict: flags.strict };
}
