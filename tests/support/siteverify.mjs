// A local server speaking Turnstile's siteverify protocol (form-encoded POST → JSON), recording calls.
import { createServer } from 'node:http';

export async function startSiteverify({ valid = ['good-token'] } = {}) {
  const calls = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      calls.push({ path: req.url, contentType: req.headers['content-type'], ...params });
      const success = req.url === '/turnstile/v0/siteverify' && params.secret === 'test-secret' && valid.includes(params.response);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(success ? { success: true, hostname: 'localhost' } : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/turnstile/v0/siteverify`,
    calls,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
