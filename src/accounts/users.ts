/**
 * Creating users and setting their passwords: the password is checked against the policy and hashed
 * here, and only the hash reaches the records store.
 * @module
 */
import { textIssue, ValidationError } from '../error.js';
import type { RecordsStore } from '../records/database.js';
import {
  createUser,
  setPasswordHash,
  type UserFields,
  type UserInfo,
  type UserRequest,
} from '../records/user-repository.js';
import { hashPassword, MAX_PASSWORD, MIN_PASSWORD, passwordProblem } from './passwords.js';

function checkPassword(password: string, field: string): void {
  const problem = passwordProblem(password);
  if (!problem) return;
  throw new ValidationError([textIssue(field, problem, { min: MIN_PASSWORD, max: MAX_PASSWORD })]);
}

/** Creates a user with `password` (checked against the policy, then hashed). */
export async function createAccount(
  store: RecordsStore,
  request: UserRequest,
  password: string,
  actor: string,
  fields: UserFields & { password: string },
  now?: () => Date,
): Promise<UserInfo> {
  checkPassword(password, fields.password);
  return createUser(store, request, await hashPassword(password), actor, fields, now);
}

/** Sets a user's password; their open sessions end. */
export async function changePassword(
  store: RecordsStore,
  id: number,
  password: string,
  actor: string,
  field: string,
  now?: () => Date,
): Promise<UserInfo> {
  checkPassword(password, field);
  return setPasswordHash(store, id, await hashPassword(password), actor, now);
}
