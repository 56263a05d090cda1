/**
 * A real HTTP server on loopback that mirrors the fetch catalogue's paths with the files of
 * ../shared/data (`inegi/…`, `geo/…`), for the tests of fetching: `damaged(path)` may ask for a file to
 * be served with one byte changed.
 * @module
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SHARED_DATA } from './shared-data.js';

export interface SharedMirror {
  /** The mirror's base address, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

export async function startSharedMirror(
  damaged: (relative: string) => boolean = () => false,
): Promise<SharedMirror> {
  const server = createServer((req, res) => {
    const relative = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\//, '');
    const file = path.join(SHARED_DATA, relative);
    if (relative.includes('..') || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    if (damaged(relative))
      return void readFile(file).then((bytes) => {
        bytes[1000 % bytes.length] = bytes[1000 % bytes.length]! ^ 1;
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': bytes.length });
        res.end(bytes);
      });
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
