// Pure: the commented sample configuration that `svd echo-conf` prints. The commented option lists
// are written from the schema, so they always show every option with its real default.
import { parseDocument, stringify } from 'yaml';
import { svdSchema } from './schema-info.js';

interface Prop {
  default?: unknown;
  description?: string;
}

function iniDefault(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return '';
  return String(value);
}

/**
 * `;option=default ; description` for every option of a definition; with `beyond`, only the options that
 * definition does not have (an event listener's or an fcgi program's own, beyond a program's).
 */
function commentedOptions(
  definition: string,
  overrides: Record<string, string> = {},
  beyond?: string,
): string[] {
  const props = svdSchema.definitions[definition]?.properties ?? {};
  const inherited = new Set(Object.keys(beyond ? (svdSchema.definitions[beyond]?.properties ?? {}) : {}));
  const own = Object.entries(props as Record<string, Prop>).filter(([name]) => !inherited.has(name));
  return own.map(([name, p]) => {
    const value = overrides[name] ?? iniDefault(p.default);
    const description = (p.description ?? '').replace(/ Reload: .*$/, '').split('. ')[0];
    return `;${name}=${value}`.padEnd(40) + ` ; ${description}`;
  });
}

/**
 * `svd echo-conf`: a commented supervisord.conf that validates as it is (a unix socket, files in /tmp). Every
 * program, eventlistener and fcgi-program option is listed commented out, with its schema default or an
 * example value; each of those blocks validates once uncommented.
 */
export function sampleIni(): string {
  return [
    '; svd / supervisord configuration sample.',
    ';',
    '; Values may use %(ENV_NAME)s for environment variables and %(here)s for the folder of this file.',
    '; A comment starts with ; at the start of a line, or with " ;" (a space first) after a value.',
    '; Quotes mean something only in environment= values. `svd validate -c FILE` checks this file.',
    '',
    '[unix_http_server]',
    'file=/tmp/supervisor.sock       ; the control socket (svd ctl and supervisorctl connect here)',
    ';chmod=0700                     ; socket file mode',
    ';chown=nobody:nogroup           ; socket file owner',
    ';username=user                  ; Basic auth (set both username and password)',
    ';password=123                   ; clear text or {SHA} followed by the hex SHA-1',
    '',
    '; The TCP server carries the web page, the JSON API and XML-RPC. Keep it on loopback',
    '; unless you have set a username and password.',
    ';[inet_http_server]',
    ';port=127.0.0.1:9001',
    ';username=user',
    ';password=123',
    '',
    '[supervisord]',
    'logfile=/tmp/supervisord.log    ; the daemon log',
    'logfile_maxbytes=50MB           ; rotate at this size; 0 never rotates',
    'logfile_backups=10              ; rotated copies to keep',
    'loglevel=info                   ; critical, error, warn, info, debug, trace, blather',
    'pidfile=/tmp/supervisord.pid',
    'nodaemon=false                  ; true keeps the daemon in the foreground',
    'silent=false                    ; true: in the foreground, do not echo the log',
    'minfds=1024                     ; minimum open files to have, or refuse to start',
    'minprocs=200                    ; minimum processes to be allowed, or refuse to start',
    ';umask=022',
    ';user=supervisord               ; drop to this user at start (root only)',
    ';identifier=supervisor',
    ';directory=/tmp                 ; chdir here when detaching',
    ';nocleanup=true                 ; keep old AUTO child logs',
    ';childlogdir=/tmp               ; where AUTO child logs go',
    ';environment=KEY="value"        ; added to every process environment',
    ';strip_ansi=false',
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    'serverurl=unix:///tmp/supervisor.sock ; or http://127.0.0.1:9001',
    ';username=user',
    ';password=123',
    ';prompt=mysupervisor',
    ';history_file=~/.sc_history',
    '',
    '; A program. Every option is shown with its default.',
    ';[program:theprogramname]',
    ...commentedOptions('ProgramOptions', {
      command: '/bin/cat',
      killasgroup: 'false',
      user: 'nobody',
      umask: '022',
    }),
    '',
    '; An event listener pool: every program option, plus these.',
    ';[eventlistener:theeventlistenername]',
    ';command=/bin/eventlistener',
    ...commentedOptions('EventListenerOptions', { events: 'PROCESS_STATE,TICK_60' }, 'ProgramOptions'),
    ';priority=-1'.padEnd(40) + ' ; listeners start first and stop last',
    '',
    '; An fcgi program: every program option, plus these. The daemon owns the socket; each process',
    '; gets it as its stdin (fd 0).',
    ';[fcgi-program:thefcgiprogramname]',
    ';command=/usr/bin/php-cgi',
    ...commentedOptions(
      'FcgiProgramOptions',
      { socket: 'unix:///tmp/%(program_name)s.sock', socket_backlog: '128', socket_owner: 'nobody' },
      'ProgramOptions',
    ),
    '',
    '; A group of programs defined elsewhere.',
    ';[group:thegroupname]',
    ';programs=progname1,progname2',
    ';priority=999',
    '',
    "; More files: globs relative to this file's folder, INI or YAML.",
    ';[include]',
    ';files = relative/directory/*.ini relative/directory/*.yaml',
    '',
  ].join('\n');
}

/** `text` as YAML reads it back once uncommented: as is when it parses, else quoted (`%(program_name)s`). */
function yamlScalar(text: string): string {
  const doc = parseDocument(text, { logLevel: 'silent' });
  return doc.errors.length === 0 && doc.warnings.length === 0 ? text : stringify(text).trimEnd();
}

/** `svd echo-conf --format yaml`: the sample as YAML, validating as it is; program options commented out. */
export function sampleYaml(): string {
  const body = stringify(
    {
      unix_http_server: { file: '/tmp/supervisor.sock' },
      supervisord: {
        logfile: '/tmp/supervisord.log',
        logfile_maxbytes: 52428800,
        logfile_backups: 10,
        loglevel: 'info',
        pidfile: '/tmp/supervisord.pid',
        nodaemon: false,
        minfds: 1024,
        minprocs: 200,
      },
      rpcinterfaces: {
        supervisor: { 'supervisor.rpcinterface_factory': 'supervisor.rpcinterface:make_main_rpcinterface' },
      },
      supervisorctl: { serverurl: 'unix:///tmp/supervisor.sock' },
    },
    { lineWidth: 0 },
  );
  const program = commentedOptions('ProgramOptions', { command: '/bin/cat', killasgroup: 'false' }).map(
    (line) => {
      const [assignment, comment] = line.split(' ; ');
      const [name, value] = (assignment ?? '').slice(1).trim().split(/=(.*)/s);
      return `#     ${name}: ${yamlScalar(value ?? '')}`.padEnd(44) + `# ${comment ?? ''}`;
    },
  );
  return [
    '# svd configuration sample (YAML). Each INI section has a key: [program:web] is programs.web,',
    '# [group:g] is groups.g, [eventlistener:e] is eventlisteners.e. Values are YAML-native: lists for',
    '# exitcodes and events, a mapping for environment, numbers, booleans. `svd validate -f FILE` checks it.',
    '',
    body.trimEnd(),
    '',
    '# A program. Every option is shown with its default.',
    '# programs:',
    '#   theprogramname:',
    ...program,
    '',
  ].join('\n');
}
