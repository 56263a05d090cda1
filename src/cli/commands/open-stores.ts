/**
 * Opens the stores a command needs from the configuration, and always closes them.
 * @module
 */
import type { Config } from '../../config.js';
import { openRecords, type RecordsStore } from '../../records/database.js';

export async function withRecords<T>(config: Config, work: (store: RecordsStore) => Promise<T>): Promise<T> {
  const store = await openRecords({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Prints JSON with a trailing newline. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
