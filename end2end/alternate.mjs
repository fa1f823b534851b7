// A front for two server processes of one installation: each request goes to the next
// one in turn, so that the end-to-end journeys run with requests alternating between
// them (a session made on one is used on the other, a sign-out on one is honoured by the
// other, a form posted to one is read back from the other).
//
//   node alternate.mjs <listen port> <upstream port> <upstream port>
import http from 'node:http';

const [listen, ...upstreams] = process.argv.slice(2).map(Number);
if (!listen || upstreams.length < 2) {
  console.error('usage: node alternate.mjs <listen port> <upstream port> <upstream port>');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let next = 0;
const served = upstreams.map(() => 0);

const front = http.createServer((req, res) => {
  const i = next;
  next = (next + 1) % upstreams.length;
  served[i] += 1;
  const upstream = http.request(
    { host: '127.0.0.1', port: upstreams[i], method: req.method, path: req.url, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`upstream ${upstreams[i]}: ${e.message}\n`);
  });
  // A browser that leaves a page mid-answer (a new navigation, a closed tab) stops reading:
  // the upstream answer would then hold its pooled connection for ever, and once every
  // connection is held the front answers nothing more. Drop it instead.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
});

front.listen(listen, '127.0.0.1', () => {
  console.log(`alternating 127.0.0.1:${listen} between ${upstreams.join(' and ')}`);
});
const report = () => {
  console.log(`requests served: ${upstreams.map((p, i) => `${p}: ${served[i]}`).join(', ')}`);
  process.exit(0);
};
process.on('SIGTERM', report);
process.on('SIGINT', report);
