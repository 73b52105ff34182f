// The benchmark's baseline: a plain node:http server doing the service's work for
// the benchmarked routes with the same libraries and no framework. Verify with
// jsonwebtoken and a KeyObject (HS256, issuer and audience pinned), the same
// session-and-user query, the same task queries through the same driver (sqlite3
// or pg), bcrypt on its async API. It is a yardstick, not a product: no
// validation beyond what the benchmark sends, no cookies, no rate limits.
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { createHash, createSecretKey, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { openDatabase } from '../lib/database.mjs';

const env = process.env;
const key = createSecretKey(Buffer.from(env.JWT_SECRET, 'utf8'));
const issuer = env.JWT_ISSUER ?? 'task-api';
const audience = env.JWT_AUDIENCE ?? 'task-api';
const accessTtl = Number(env.JWT_ACCESS_TTL ?? 900);
const refreshTtl = Number(env.JWT_REFRESH_TTL ?? 2592000);
const cost = Number(env.BCRYPT_COST ?? 12);
const db = await openDatabase(env.DATABASE_URL);
const dummyHash = await bcrypt.hash(randomUUID(), cost);
const verifyOptions = { algorithms: ['HS256'], issuer, audience };

const SESSION_AND_USER =
  'SELECT s.id AS sid, s.revoked_at, s.expires_at, s.last_used_at, u.id, u.username, u.role, u.created_at ' +
  'FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ? LIMIT 1';
const TASK_COLUMNS = 'id, title, description, done, user_id, created_at, updated_at';

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function send(res, status, body, headers = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 65536) reject(new HttpError(413, 'Payload too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'Malformed JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function authenticate(req) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) throw new HttpError(401, 'Missing token');
  let claims;
  try {
    claims = jwt.verify(header.slice(7), key, verifyOptions);
  } catch {
    throw new HttpError(401, 'Invalid token');
  }
  if (claims.type !== 'access') throw new HttpError(401, 'Invalid token');
  const row = await db.get(SESSION_AND_USER, [claims.sid, Number(claims.sub)]);
  const now = Date.now();
  if (!row || row.revoked_at !== null || db.date(row.expires_at).getTime() <= now) {
    throw new HttpError(401, 'Token has been revoked');
  }
  if (now - db.date(row.last_used_at).getTime() >= 60_000) {
    db.run('UPDATE sessions SET last_used_at = ? WHERE id = ?', [db.timestamp(new Date(now)), row.sid]).catch(() => {});
  }
  return row;
}

const user = (u) => ({ id: u.id, username: u.username, role: u.role, created_at: db.date(u.created_at).toISOString() });
const task = (t) => ({
  id: t.id,
  title: t.title,
  description: t.description,
  done: Boolean(t.done),
  user_id: t.user_id,
  created_at: db.date(t.created_at).toISOString(),
  updated_at: db.date(t.updated_at).toISOString(),
});

async function me(req, res) {
  send(res, 200, user(await authenticate(req)));
}

async function listTasks(req, res, query) {
  const u = await authenticate(req);
  const limit = Number(query.get('limit') ?? 20);
  const offset = Number(query.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(offset) || offset < 0) {
    throw new HttpError(400, 'Bad pagination');
  }
  const rows = await db.all(`SELECT ${TASK_COLUMNS} FROM tasks WHERE user_id = ? ORDER BY id ASC LIMIT ? OFFSET ?`, [
    u.id,
    limit,
    offset,
  ]);
  const { total } = await db.get('SELECT COUNT(*) AS total FROM tasks WHERE user_id = ?', [u.id]);
  const headers = { 'x-total-count': String(total) };
  if (offset + limit < Number(total)) {
    headers.link = `</api/tasks?limit=${limit}&offset=${offset + limit}>; rel="next"`;
  }
  send(res, 200, rows.map(task), headers);
}

async function createTask(req, res) {
  const u = await authenticate(req);
  const body = await readJson(req);
  if (typeof body?.title !== 'string' || body.title.length < 1 || body.title.length > 200) {
    throw new HttpError(400, 'title must be 1 to 200 characters');
  }
  const now = db.timestamp(new Date());
  const row = await db.get(
    `INSERT INTO tasks (title, description, done, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${TASK_COLUMNS}`,
    [body.title, body.description ?? null, db.bool(body.done ?? false), u.id, now, now],
  );
  send(res, 201, task(row));
}

async function login(req, res) {
  const body = await readJson(req);
  if (typeof body?.username !== 'string' || typeof body?.password !== 'string') {
    throw new HttpError(400, 'username and password are required');
  }
  const found = await db.get('SELECT id, role, password_hash FROM users WHERE username_key = ?', [
    body.username.toLowerCase(),
  ]);
  const ok = await bcrypt.compare(body.password, found?.password_hash ?? dummyHash);
  if (!found || !ok) throw new HttpError(401, 'Invalid credentials');
  const sid = randomUUID();
  const refreshJti = randomUUID();
  const now = new Date();
  await db.run(
    'INSERT INTO sessions (id, user_id, refresh_jti_hash, created_at, last_used_at, expires_at, revoked_at, ip, user_agent) ' +
      'VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)',
    [
      sid,
      found.id,
      createHash('sha256').update(refreshJti).digest('hex'),
      db.timestamp(now),
      db.timestamp(now),
      db.timestamp(new Date(now.getTime() + refreshTtl * 1000)),
      req.socket.remoteAddress ?? '',
      String(req.headers['user-agent'] ?? '').slice(0, 512),
    ],
  );
  const sub = String(found.id);
  const signOptions = { algorithm: 'HS256', issuer, audience };
  send(res, 200, {
    access_token: jwt.sign({ sub, role: found.role, type: 'access', jti: randomUUID(), sid, fresh: true }, key, {
      ...signOptions,
      expiresIn: accessTtl,
    }),
    refresh_token: jwt.sign({ sub, type: 'refresh', jti: refreshJti, sid }, key, {
      ...signOptions,
      expiresIn: refreshTtl,
    }),
    token_type: 'Bearer',
    expires_in: accessTtl,
  });
}

const server = createServer((req, res) => {
  const [path, search = ''] = req.url.split('?', 2);
  const route = `${req.method} ${path}`;
  let handler;
  if (route === 'GET /api/me') handler = me;
  else if (route === 'GET /api/tasks') handler = listTasks;
  else if (route === 'POST /api/tasks') handler = createTask;
  else if (route === 'POST /api/login') handler = login;
  else if (route === 'GET /api/health') handler = async (_req, r) => send(r, 200, { status: 'ok' });
  else return send(res, 404, { statusCode: 404, message: 'Not found' });
  handler(req, res, new URLSearchParams(search)).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(error);
    send(res, status, { statusCode: status, message: status === 500 ? 'Internal server error' : error.message });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(env.PORT), env.HOST ?? '127.0.0.1', () => {
  console.log(`baseline listening on ${env.HOST ?? '127.0.0.1'}:${env.PORT}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    db.close().finally(() => process.exit(0));
  });
}
