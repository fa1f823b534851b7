// A response written in more than one piece must not wait for the phone's delayed ACK (about
// 40 ms each time, when the server leaves Nagle's algorithm on). Asked of one server
// process directly, not through the test front, over one kept-alive connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

const DIRECT = process.env.DIRECT_URL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000';

function get(agent, path) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(DIRECT + path, { agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => resolve({
        status: res.statusCode,
        bytes,
        reused: req.reusedSocket,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      }));
    });
    req.on('error', reject);
  });
}

// The stylesheet's address as the sign-in page links it (its name carries a hash).
export async function stylesheet() {
  const html = await (await fetch(DIRECT + '/signin')).text();
  const href = html.match(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<link[^>]*href="([^"]+\.css)"/);
  assert.ok(href, 'the sign-in page links no stylesheet');
  return href[1] ?? href[2];
}

test('the stylesheet comes back twenty times over one connection without a delayed-ACK stall', async () => {
  const css = await stylesheet();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answers = [];
  for (let i = 0; i < 21; i += 1) answers.push(await get(agent, css));
  agent.destroy();
  // The first request opens the connection; the twenty after it reuse it.
  const measured = answers.slice(1);
  for (const a of measured) {
    assert.equal(a.status, 200);
    assert.ok(a.bytes > 16 * 1024, `the stylesheet is ${a.bytes} bytes: too small to be written in pieces`);
    assert.ok(a.reused, 'the connection was not kept alive');
  }
  const ms = measured.map((a) => a.ms).sort((x, y) => x - y);
  const median = (ms[9] + ms[10]) / 2;
  assert.ok(median < 30, `median ${median.toFixed(1)} ms over ${ms.length} requests (all: ${ms.map((m) => m.toFixed(1)).join(', ')})`);
});
