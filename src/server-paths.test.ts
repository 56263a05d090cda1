import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './package.js';
import { detailsWithoutServerPaths, withoutServerPaths } from './server-paths.js';

describe('server paths in answers', () => {
  const upload = path.join(os.tmpdir(), 'marco-upload-AbC123', 'states.csv');
  it('names a file under the temporary directory or the package by its file name', () => {
    expect(withoutServerPaths(`${upload}:3: bad row`)).toBe('states.csv:3: bad row');
    expect(withoutServerPaths(`cannot read "${path.join(PACKAGE_ROOT, 'frameworks', 'x.yaml')}"`)).toBe(
      'cannot read "x.yaml"',
    );
    expect(withoutServerPaths(`the store in ${os.tmpdir()} is locked`)).toBe(
      `the store in ${path.basename(os.tmpdir())} is locked`,
    );
  });
  it('leaves other text, and URLs, alone', () => {
    expect(withoutServerPaths('f.csv:1: the header does not match')).toBe(
      'f.csv:1: the header does not match',
    );
    expect(withoutServerPaths('see /api/v1/openapi.json')).toBe('see /api/v1/openapi.json');
  });
  it('scrubs every string of an error’s details', () => {
    expect(
      detailsWithoutServerPaths({ issues: [{ path: 'x', location: `${upload}:2:1` }], source: upload }),
    ).toEqual({ issues: [{ path: 'x', location: 'states.csv:2:1' }], source: 'states.csv' });
    expect(detailsWithoutServerPaths(undefined)).toBeUndefined();
  });
});
