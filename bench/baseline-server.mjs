// The baseline: a bare node:http server answering /health, measured beside the gateway in the same run.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
