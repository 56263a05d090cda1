/**
 * Marco's structured log: JSON lines on standard error through pino (standard output is a command's
 * answer). `MARCO_LOG_LEVEL` sets the level (`info` by default; `silent` for none). Whatever could hold
 * a secret (authorization headers, cookies, passwords, tokens) is censored by path before it is written.
 * @module
 */
import { destination, pino, stdSerializers, stdTimeFunctions, type Logger } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Paths in a logged object whose values are replaced by `[redacted]`. */
export const REDACTED_PATHS = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** A URL's password (`scheme://user:password@host`), hidden in error messages and stacks. */
export const withoutPasswords = (text: string) => text.replace(/(\/\/[^:/@\s]+:)[^@\s]*@/g, '$1***@');

/** pino's error serializer, with passwords in URLs hidden (an SMTP or database URL in a message). */
function errorWithoutPasswords(error: Error) {
  const plain = stdSerializers.err(error);
  return {
    ...plain,
    message: withoutPasswords(plain.message),
    ...(plain.stack ? { stack: withoutPasswords(plain.stack) } : {}),
  };
}

/** A logger writing to `destination` (standard error by default), at the environment's level. */
export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; name?: string } = {},
): Logger {
  const wanted = options.level ?? process.env.MARCO_LOG_LEVEL ?? 'info';
  const level = (LEVELS as readonly string[]).includes(wanted) ? wanted : 'info';
  return pino(
    {
      level,
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: errorWithoutPasswords },
      timestamp: stdTimeFunctions.isoTime,
    },
    options.destination ?? destination({ dest: 2, sync: true }),
  );
}

/** The process's log. */
export const log: Logger = createLogger();
