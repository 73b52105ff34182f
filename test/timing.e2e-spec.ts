import { createTestApp, TestApp } from './utils/create-test-app';
import { register, uniqueName } from './utils/auth';

const TRIES = 20;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/**
 * A login for an unknown username costs one bcrypt comparison (against a real
 * dummy hash), like a wrong password: response time does not tell which
 * usernames exist. Interleaved tries and medians keep the comparison fair on a
 * shared machine; bcrypt (~50 ms at cost 10) dominates both.
 */
describe('Login timing does not reveal which usernames exist (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The production minimum, so that bcrypt, not noise, dominates both timings.
    t = await createTestApp({ LOGIN_MAX_FAILURES: '1000', BCRYPT_COST: '10' });
  });
  afterAll(() => t.close());

  it(`unknown-user and wrong-password medians are within 25% over ${TRIES} tries each`, async () => {
    const { username } = await register(t);
    const time = async (name: string) => {
      const start = process.hrtime.bigint();
      await t.http().post('/api/login').send({ username: name, password: 'not-the-right-password' }).expect(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    for (let i = 0; i < 3; i++) await Promise.all([time(username), time(uniqueName('warm'))]);
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      // Alternate which goes first, so drift on the machine falls on both alike.
      if (i % 2) {
        wrong.push(await time(username));
        unknown.push(await time(uniqueName('ghost')));
      } else {
        unknown.push(await time(uniqueName('ghost')));
        wrong.push(await time(username));
      }
    }
    const [a, b] = [median(wrong), median(unknown)];
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.25);
  });
});
