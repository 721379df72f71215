import { generateKeyPairSync } from 'node:crypto';
import { ErrorCode, FacadeError } from '../../src/errors';
import { validateLevel } from '../../src/kraken/levels';
import { LinkSigner } from '../../src/kraken/link-signer';
import { headerOf, signatureBytes, verifyEs512 } from '../helpers/jwt';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const signer = new LinkSigner({ baseUrl: 'https://kraken.example.test', clientId: 'client-1', privateKey });

function badInputOf(run: () => unknown): FacadeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FacadeError);
    expect((error as FacadeError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return error as FacadeError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('validateLevel', () => {
  it.each(['basic', 'basic+liveness', 'basic+liveness+idos', 'plus+liveness+phoneNumber+email+idos', 'uniqueness'])(
    'accepts %s',
    (level) => {
      expect(validateLevel(level)).toBe(level);
    },
  );

  it('names the base levels when the base is unknown', () => {
    expect(badInputOf(() => validateLevel('gold+liveness')).message).toMatch(/uniqueness, basic, plus/);
  });

  it('names the add-on it does not know', () => {
    expect(badInputOf(() => validateLevel('basic+telepathy')).message).toMatch(/"telepathy"/);
  });

  it('refuses an add-on given twice', () => {
    expect(badInputOf(() => validateLevel('basic+liveness+liveness')).message).toMatch(/twice/);
  });

  it('refuses an empty level and an empty add-on', () => {
    badInputOf(() => validateLevel(''));
    badInputOf(() => validateLevel('basic+'));
  });
});

describe('LinkSigner', () => {
  it('signs {clientId, kyc: true, level, state, externalUserId} with ES512 into a /kyc?token= URL', async () => {
    const link = await signer.sign({ level: 'basic+liveness', state: 's-1', externalUserId: 'app-user-7' });
    const url = new URL(link.url);
    const claims = await verifyEs512(link.token, privateKey);

    expect(url.origin + url.pathname).toBe('https://kraken.example.test/kyc');
    expect(url.searchParams.get('token')).toBe(link.token);
    expect(headerOf(link.token).alg).toBe('ES512');
    expect(signatureBytes(link.token)).toBe(132);
    expect(claims).toMatchObject({
      clientId: 'client-1',
      kyc: true,
      level: 'basic+liveness',
      state: 's-1',
      externalUserId: 'app-user-7',
    });
    expect(claims.exp).toBeUndefined();
    expect(link).toMatchObject({ level: 'basic+liveness', state: 's-1' });
  });

  it('leaves out state and externalUserId when not given', async () => {
    const link = await signer.sign({ level: 'basic' });
    const claims = await verifyEs512(link.token, privateKey);

    expect(claims).not.toHaveProperty('state');
    expect(claims).not.toHaveProperty('externalUserId');
    expect(link.state).toBeUndefined();
  });

  it('refuses an unknown level before signing anything', async () => {
    await expect(signer.sign({ level: 'basic+nope' })).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
  });

  it('refuses a state longer than 512 characters or with control characters', async () => {
    await expect(signer.sign({ level: 'basic', state: 'x'.repeat(513) })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
    });
    await expect(signer.sign({ level: 'basic', state: 'a\nb' })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
    });
  });
});
