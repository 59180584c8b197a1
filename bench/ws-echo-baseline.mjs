// The control-socket baseline: a bare `ws` server that answers each frame with a `res` frame
// carrying the request's id, measured with the same client as the gateway. `node bench/ws-echo-baseline.mjs <port>`
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ port: Number(process.argv[2]), host: '127.0.0.1' }, () =>
  console.log('listening'),
);
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { id } = JSON.parse(data.toString());
    socket.send(JSON.stringify({ type: 'res', id, ok: true, payload: { ok: true } }));
  });
});
process.on('SIGTERM', () => process.exit(0));
