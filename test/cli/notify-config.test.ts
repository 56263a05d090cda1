/**
 * The notice settings of `marco serve`, read from the environment: each wrong value is refused with the
 * variable named (the SMTP password hidden), in English and Spanish; right values are read as given.
 */
import { describe, expect, it } from 'vitest';
import { notifyConfig } from '../../src/config.js';
import { CliError } from '../../src/error.js';

const refusal = (env: NodeJS.ProcessEnv, locale: 'en' | 'es' = 'en') => {
  try {
    notifyConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).messageIn(locale);
  }
  throw new Error('not refused');
};

describe('notifyConfig', () => {
  it('reads e-mail, the public address and the round', () => {
    expect(
      notifyConfig({
        MARCO_SMTP_URL: 'smtps://u:p@mail.agency.gov:465',
        MARCO_MAIL_FROM: 'Marco <marco@agency.gov>',
        MARCO_PUBLIC_URL: 'https://marco.agency.gov/',
        MARCO_NOTICE_SECONDS: '30',
      }),
    ).toEqual({
      mail: { smtpUrl: 'smtps://u:p@mail.agency.gov:465', from: 'Marco <marco@agency.gov>' },
      publicUrl: 'https://marco.agency.gov',
      roundSeconds: 30,
    });
    expect(notifyConfig({})).toEqual({ mail: null, publicUrl: null, roundSeconds: 10 });
  });

  it('refuses each wrong value, naming it', () => {
    expect(refusal({ MARCO_SMTP_URL: 'smtp://mail.agency.gov' })).toContain(
      'MARCO_SMTP_URL and MARCO_MAIL_FROM go together',
    );
    expect(refusal({ MARCO_SMTP_URL: 'smtp://mail.agency.gov', MARCO_MAIL_FROM: 'nobody' })).toContain(
      'MARCO_MAIL_FROM="nobody"',
    );
    expect(refusal({ MARCO_PUBLIC_URL: 'marco.agency.gov' })).toContain(
      'MARCO_PUBLIC_URL="marco.agency.gov"',
    );
    expect(refusal({ MARCO_NOTICE_SECONDS: '0' })).toContain('MARCO_NOTICE_SECONDS="0"');
    expect(refusal({ MARCO_NOTICE_SECONDS: 'ten' }, 'es')).toContain(
      'se esperaba un número entero de segundos',
    );
    const smtp = refusal({ MARCO_SMTP_URL: 'ftp://u:hunter2@mail', MARCO_MAIL_FROM: 'm@x.gov' });
    expect(smtp).toContain('MARCO_SMTP_URL=ftp://u:***@mail');
    expect(smtp).not.toContain('hunter2');
  });
});
