import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withoutPasswords } from './log.js';

describe('the operations log', () => {
  it('never writes a password, token, cookie or a URL’s password', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLogger({ level: 'info', destination: sink });
    log.error(
      {
        err: new Error('connect to smtp://mark:s3cret-mail@mail.example:587 failed'),
        password: 'p4ssw0rd-plain',
        token: 'mk_token-value',
        headers: { authorization: 'Bearer abc-secret', cookie: 'marco_session=xyz-cookie' },
      },
      'sending failed',
    );
    const line = JSON.parse(out) as { err: { message: string; stack: string }; msg: string };
    expect(line.msg).toBe('sending failed');
    expect(line.err.message).toBe('connect to smtp://mark:***@mail.example:587 failed');
    for (const secret of ['s3cret-mail', 'p4ssw0rd-plain', 'mk_token-value', 'abc-secret', 'xyz-cookie'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(withoutPasswords('postgres://marco:pw@db:5432/marco')).toBe('postgres://marco:***@db:5432/marco');
  });
});
