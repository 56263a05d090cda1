/**
 * What a user may post about their notifications, and what an admin may post to add a webhook: one
 * schema for the web form and any API body, each refusal a catalog key with the field it concerns.
 * @module
 */
import { z } from 'zod';
import { Place } from './common-schema.js';

export const NOTIFICATION_EVENTS = [
  'submitted',
  'returned',
  'approved',
  'locked',
  'anomaly',
  'threshold',
] as const;

const Email = z
  .string()
  .trim()
  .max(254, { message: 'validation.schema.notifyEmail' })
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'validation.schema.notifyEmail' });

/** A user's notification settings, as the settings form posts them. */
export const NotificationSettingsForm = z
  .object({
    email: z.union([z.literal(''), Email]).optional(),
    language: z.enum(['en', 'es'], { message: 'validation.schema.notifyLanguage' }),
    email_notifications: z.literal('on').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.email_notifications && !v.email?.trim())
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'validation.schema.notifyEmailNeeded' });
  })
  .transform((v) => ({
    email: v.email?.trim() ? v.email.trim() : null,
    language: v.language,
    emailNotifications: v.email_notifications === 'on',
  }));

/** A place to follow or stop following. */
export const FollowForm = z.object({
  place: z.string().trim().toUpperCase().pipe(Place),
  follow: z.enum(['1', '0']),
});

/** A new webhook: where to send, and which events. */
export const WebhookForm = z.object({
  url: z
    .string()
    .trim()
    .max(500, { message: 'validation.schema.webhookUrl' })
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        // Credentials in the address would be stored and shown: the signature is the credential.
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      },
      { message: 'validation.schema.webhookUrl' },
    ),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1, { message: 'validation.schema.webhookEvents' }),
});
