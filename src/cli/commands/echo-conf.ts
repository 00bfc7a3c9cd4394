// `svd echo-conf` (alias echo_supervisord_conf): print a commented sample configuration.
import { sampleIni, sampleYaml } from '../../config/sample-config.js';
import { ExitError, type CliIo } from '../io.js';

/** `svd echo-conf`: the sample configuration on stdout; ExitError(1) for a format but ini or yaml. */
export function runEchoConf(flags: { format?: string | undefined }, io: CliIo): void {
  const format = flags.format ?? 'ini';
  if (format !== 'ini' && format !== 'yaml') {
    io.stderr.write(`Error: --format must be ini or yaml, not '${format}'\n`);
    throw new ExitError(1);
  }
  io.stdout.write(format === 'ini' ? sampleIni() : sampleYaml());
}
