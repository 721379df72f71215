import { runInNewContext } from 'node:vm';
import { LogCapture } from './helpers/log-capture';
import { scrub } from '../src/logger';

describe('the logger', () => {
  it('redacts personal fields and secrets at every depth', () => {
    const logs = new LogCapture();
    logs.logger.info(
      {
        email: 'a@example.org',
        user: { phone: '+46701234567', person: { firstName: 'Mara' } },
        deep: { er: { token: 'eyJhbGciOi.x.y' } },
        headers: { authorization: 'Bearer abc' },
      },
      'hello',
    );
    const text = logs.text();

    for (const secret of ['a@example.org', '+46701234567', 'Mara', 'eyJhbGciOi', 'Bearer abc']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('masks bearer tokens and JWTs inside error messages', () => {
    const logs = new LogCapture();
    logs.logger.error({ err: new Error('call failed with Bearer eyJhbGciOiJFUzUxMiJ9.eyJhIjoxfQ.sig') }, 'oops');
    const [entry] = logs.entries();

    expect(JSON.stringify(entry)).not.toMatch(/eyJ/);
    expect((entry.err as { message: string }).message).toBe('call failed with Bearer [redacted]');
  });

  it('logs the DOMException of an aborted request without throwing', () => {
    const logs = new LogCapture();
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

    expect(() => logs.logger.warn({ err: abort }, 'timed out')).not.toThrow();
    expect(logs.entries()[0].err).toMatchObject({ type: 'TimeoutError' });
  });

  it('logs an error made in another realm by its message and stack', () => {
    const logs = new LogCapture();
    const foreign = runInNewContext('new TypeError("from elsewhere")') as unknown;
    logs.logger.error({ err: foreign }, 'foreign');

    expect(logs.entries()[0].err).toMatchObject({ type: 'TypeError', message: 'from elsewhere' });
  });
});

describe('scrub', () => {
  it('masks e-mail addresses and phone numbers in free text, and keeps the rest', () => {
    const text = scrub('applicant mara.lindqvist@example.org (+46 70-123 45 67) failed at 10.20.30.40:5432');

    expect(text).toBe('applicant [email redacted] ([phone redacted]) failed at 10.20.30.40:5432');
  });
});
