/**
 * `--json` on every command (clig.dev), read off the command tree itself through the generated bash
 * completion: every command that ends a path takes it, except those whose output is already the data
 * (`export`, `results export` with `--format json`, `openapi`, `completion`, `report`) and `serve`, which runs
 * until stopped. `token create` and `events add`, which lacked it, answer JSON a script can read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/error.js';
import { runMarco as marco } from '../fixtures/run-marco.js';

const DATA_OUTPUT = ['serve', 'export', 'openapi', 'results export', 'funding export', 'completion'];

describe('--json everywhere', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marco-json-'));
    expect((await marco(dir, 'init', '--empty')).code).toBe(EXIT.ok);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is an option of every command but those whose output is the data', async () => {
    const script = (await marco(dir, 'completion', 'bash')).stdout;
    const leaves = [...script.matchAll(/^ {4}'([^']+)'\) words='([^']*)' ;;$/gm)]
      .map(([, command, words]) => ({ command: command!, words: words!.split(' ') }))
      .filter((c) => c.words.every((w) => w.startsWith('-')));
    expect(leaves.length).toBeGreaterThan(30);
    expect(leaves.filter((c) => !c.words.includes('--json')).map((c) => c.command)).toEqual(DATA_OUTPUT);
  });

  it('answers JSON from token create and events add', async () => {
    const token = await marco(
      dir,
      'token',
      'create',
      '--user',
      'lucia',
      '--country',
      'MX',
      '--agency',
      'SSPC',
      '--roles',
      'reporter',
      '--json',
    );
    expect(token.code, token.stderr).toBe(EXIT.ok);
    expect(JSON.parse(token.stdout)).toMatchObject({
      user: 'lucia',
      roles: ['reporter'],
      token: expect.stringMatching(/^marco_/),
    });
    const event = await marco(
      dir,
      'events',
      'add',
      '--id',
      'op-json',
      '--type',
      'military_operation',
      '--name',
      'JSON test',
      '--date',
      '2010-01-01',
      '--level',
      'state',
      '--places',
      '08',
      '--source',
      'test',
      '--country',
      'MX',
      '--agency',
      'SSPC',
      '--json',
    );
    expect(event.code, event.stderr).toBe(EXIT.ok);
    expect(JSON.parse(event.stdout)).toEqual({ added: ['op-json'] });
  });
});
