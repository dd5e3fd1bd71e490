/**
 * The yardstick: a bare node:http server answering a small JSON body, with nothing else in the process. Every
 * request figure of the benchmark is also given as a ratio of this server's, measured in the same run on the same
 * machine with the same kind of requests, so that the ratios mean something on any machine.
 */
import { createServer, type ServerResponse } from 'node:http';

const body = JSON.stringify({ status: 'ok' });
const answer = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
// A request with a body is read to its end first, as any server taking a POST must.
const server = createServer((req, res) => {
  if (req.method === 'GET') answer(res);
  else req.on('data', () => undefined).on('end', () => answer(res));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'ready', port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
