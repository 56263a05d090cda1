/**
 * The columns of a user that audit entries and listings hold: all but the password hash.
 * @module
 */
export const USER_AUDITED_COLUMNS = [
  'id',
  'user_name',
  'display_name',
  'country',
  'agency',
  'roles',
  'password_changed_at',
  'created_at',
  'created_by',
  'disabled_at',
  'disabled_by',
  'failed_sign_ins',
  'locked_until',
  'email',
  'language',
  'email_notifications',
] as const;
