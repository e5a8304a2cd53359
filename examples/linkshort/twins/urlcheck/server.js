// Twin of the URL-safety service (spec/contracts/urlcheck.md): the product's test infrastructure,
// started for factory runs and for every validation trial (`twins:` in .github/factory.yml). It
// listens on $PORT. Unsafe: hosts under *.malware.test and *.phishing.test, and hosts added with
// POST /v1/blocklist {"host", "reason"?} (scenarios seed it through `setup:`). State is in memory:
// every instance starts with an empty blocklist.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const blocked = new Map();

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function verdictFor(url) {
  let host;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return { verdict: 'safe' };
  }
  if (blocked.has(host)) return { verdict: 'unsafe', reason: blocked.get(host) };
  if (host.endsWith('.malware.test')) return { verdict: 'unsafe', reason: 'malware' };
  if (host.endsWith('.phishing.test')) return { verdict: 'unsafe', reason: 'phishing' };
  return { verdict: 'safe' };
}

createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const { pathname } = new URL(request.url, 'http://localhost');
    if (pathname === '/healthz') return send(response, 200, { status: 'ok' });
    let body = null;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
    } catch {
      // Answered as a missing field below.
    }
    if (request.method === 'POST' && pathname === '/v1/check') {
      if (typeof body?.url !== 'string') return send(response, 400, { error: { code: 'invalid_request', message: 'send {"url": "<absolute URL>"}' } });
      return send(response, 200, { id: `chk_${randomUUID().slice(0, 12)}`, url: body.url, ...verdictFor(body.url), checked_at: new Date().toISOString() });
    }
    if (request.method === 'POST' && pathname === '/v1/blocklist') {
      if (typeof body?.host !== 'string' || body.host === '') return send(response, 400, { error: { code: 'invalid_request', message: 'send {"host": "<host name>"}' } });
      blocked.set(body.host.toLowerCase(), body.reason ?? 'phishing');
      return send(response, 201, { host: body.host.toLowerCase(), reason: blocked.get(body.host.toLowerCase()) });
    }
    return send(response, 404, { error: { code: 'not_found', message: `${request.method} ${pathname}` } });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
