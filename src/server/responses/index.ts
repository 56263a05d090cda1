/**
 * The response schemas of every API route, by area. Each route names its own (`response`); the OpenAPI
 * document publishes them and `test/server/contract.test.ts` checks real answers against them.
 * @module
 */
export * from './admin.js';
export * from './funding.js';
export * from './records.js';
export * from './statistics.js';
export * from './jobs.js';
export * from './networks.js';
export * from './incidents.js';
