import { checkClaims } from 'src/auth/token-claims';

const base = {
  sub: '7',
  jti: '0b5d9a51-3c2e-4f6b-9a1d-2e3f4a5b6c7d',
  sid: '9c8b7a65-4d3e-4f2a-8b1c-0d9e8f7a6b5c',
  iat: 1_700_000_000,
  exp: 1_700_000_900,
};
const access = { ...base, type: 'access', role: 'user', fresh: true };
const refresh = { ...base, type: 'refresh' };
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'ok';
};

describe('checkClaims', () => {
  it('accepts well-formed access and refresh claims', () => {
    expect(checkClaims(access, 'access')).toEqual(access);
    expect(checkClaims(refresh, 'refresh')).toEqual(refresh);
  });

  it('says which token type is needed when a well-formed token of the other type comes', () => {
    expect(message(() => checkClaims(refresh, 'access'))).toBe('Only access tokens are allowed');
    expect(message(() => checkClaims(access, 'refresh'))).toBe('Only refresh tokens are allowed');
  });

  it.each([
    ['sub missing', { sub: undefined }],
    ['sub a number', { sub: 7 }],
    ['sub zero', { sub: '0' }],
    ['sub past 2^31-1', { sub: '2147483648' }],
    ['jti not a uuid', { jti: 'x' }],
    ['sid missing', { sid: undefined }],
    ['iat a string', { iat: '1' }],
    ['exp missing', { exp: undefined }],
    ['type unknown', { type: 'id' }],
    ['role unknown', { role: 'root' }],
    ['fresh missing', { fresh: undefined }],
  ])('an access token with %s is Invalid token', (_label, change) => {
    expect(message(() => checkClaims({ ...access, ...change }, 'access'))).toBe('Invalid token');
  });

  it('a malformed token is Invalid token before its type is judged', () => {
    expect(message(() => checkClaims({ ...refresh, sub: 1 }, 'access'))).toBe('Invalid token');
  });

  it('a missing payload is Invalid token', () => {
    expect(message(() => checkClaims(null, 'access'))).toBe('Invalid token');
    expect(message(() => checkClaims('text', 'access'))).toBe('Invalid token');
  });
});
