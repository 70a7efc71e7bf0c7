// A local server speaking Turnstile's siteverify protocol (form-encoded POST → JSON), recording calls.
import { createServer } from 'node:http';

// `foreign-token` is valid, but was solved on another site's page (its hostname says so).
export async function startSiteverify({ valid = ['good-token', 'foreign-token'] } = {}) {
  const calls = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      calls.push({ path: req.url, contentType: req.headers['content-type'], ...params });
      const success = req.url === '/turnstile/v0/siteverify' && params.secret === 'test-secret' && valid.includes(params.response);
      res.writeHead(200, { 'content-type': 'application/json' });
      const hostname = params.response === 'foreign-token' ? 'attacker.example' : 'localhost';
      res.end(JSON.stringify(success ? { success: true, hostname } : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/turnstile/v0/siteverify`,
    calls,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
