import { dictionary } from '@zxcvbn-ts/language-common';
import { containsUsername, isCommonPassword, normalizePassword, passwordProblems } from 'src/common/password-policy';

describe('password policy', () => {
  it('accepts a long uncommon password', () => {
    expect(passwordProblems('correct-horse-battery-staple')).toEqual([]);
  });

  it('needs at least 8 characters, counted as characters not bytes', () => {
    expect(passwordProblems('Zq9!x7a')).toEqual(['password must be at least 8 characters']);
    expect(passwordProblems('€€€€€€€€')).toEqual([]); // 8 characters, 24 bytes
  });

  it('allows at most 72 bytes of UTF-8, the most bcrypt reads', () => {
    expect(passwordProblems('Zq9x'.repeat(18))).toEqual([]);
    expect(passwordProblems('Zq9x'.repeat(18) + 'a')).toEqual(['password must be at most 72 bytes in UTF-8']);
    // 24 characters of 3 bytes each = 72 bytes; one more is 75.
    expect(passwordProblems('€'.repeat(24))).toEqual([]);
    expect(passwordProblems('€'.repeat(25))).toEqual(['password must be at most 72 bytes in UTF-8']);
  });

  it('refuses the most common passwords, whatever their case', () => {
    for (const p of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'Password1', 'PASSWORD123', 'trustno1']) {
      expect(isCommonPassword(p)).toBe(true);
    }
    expect(passwordProblems('Password123')).toEqual(['password is too common']);
  });

  it('refuses every one of the 10,000 most common passwords', () => {
    const ranked = dictionary['passwords-common'];
    expect(ranked.length).toBeGreaterThanOrEqual(10_000);
    expect(ranked.slice(0, 10_000).filter((p) => !isCommonPassword(p))).toEqual([]);
  });

  it('names the field it checked', () => {
    expect(passwordProblems('Zq9!x', 'new_password')).toEqual(['new_password must be at least 8 characters']);
  });

  it('checks the NFKC form, the one that is hashed', () => {
    expect(normalizePassword('cafe\u0301-horse-battery')).toBe('caf\u00e9-horse-battery');
    expect(normalizePassword('ｃｏｒｒｅｃｔ')).toBe('correct');
    // Full-width letters are the common password once normalised.
    expect(passwordProblems('ｐａｓｓｗｏｒｄ')).toEqual(['password is too common']);
    // U+FDFA is 3 bytes, but 33 once normalised: the byte limit counts the form bcrypt gets.
    expect(Buffer.byteLength('Zq9x'.repeat(16) + '\ufdfa')).toBe(67);
    expect(passwordProblems('Zq9x'.repeat(16) + '\ufdfa')).toEqual(['password must be at most 72 bytes in UTF-8']);
  });

  it('refuses a password equal to or containing the username, whatever the case', () => {
    expect(containsUsername('alice', 'alice')).toBe(true);
    expect(containsUsername('my-ALICE-horse-battery', 'Alice')).toBe(true);
    expect(containsUsername('ａｌｉｃｅ-horse-battery', 'alice')).toBe(true);
    expect(containsUsername('correct-horse-battery', 'alice')).toBe(false);
    expect(passwordProblems('Bob.Smith-horse', 'new_password', 'bob.smith')).toEqual([
      'new_password must not contain the username',
    ]);
    expect(passwordProblems('correct-horse-battery', 'password', 'bob.smith')).toEqual([]);
  });
});
