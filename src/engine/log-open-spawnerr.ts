// The spawnerr of a spawn whose log files could not be opened, in supervisor's words (process.py spawn:
// its dispatchers open the logs, between the command check and the fork).

/** `too many open files to spawn 'NAME'` for EMFILE, else `unknown error making dispatchers for 'NAME': CODE`. */
export function logOpenSpawnerr(name: string, code: string): string {
  if (code === 'EMFILE') return `too many open files to spawn '${name}'`;
  return `unknown error making dispatchers for '${name}': ${code}`;
}
