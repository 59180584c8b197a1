// A stand-in for Baileys in a gateway process (WhatsApp's servers are out of reach here). Without a
// registered session a socket shows a QR code ('fake-qr-1', then a new one every $FAKE_WA_QR_MS, as
// WhatsApp rotates them) until $FAKE_WA_SCAN_FILE exists (the phone scanned): then the session is
// registered and the socket closes with 515 (restart required), as WhatsApp does. With a registered
// session a socket opens at once as that number.
import { existsSync } from 'node:fs';

export const FAKE_WA_ID = '15550100777:3@s.whatsapp.net';

export const BufferJSON = { replacer: (_k, v) => v, reviver: (_k, v) => v };
export const initAuthCreds = () => ({ registered: false });
export const proto = { Message: { AppStateSyncKeyData: { fromObject: (v) => v } } };
export const Browsers = { ubuntu: (name) => ['Ubuntu', name, '22.04'] };
export const downloadMediaMessage = async () => Buffer.alloc(0);

export function makeWASocket({ auth }) {
  const listeners = new Map();
  const timers = [];
  let ended = false;
  const emit = (event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  const close = (statusCode) => {
    for (const timer of timers) clearInterval(timer);
    emit('connection.update', { connection: 'close', lastDisconnect: { error: { output: { statusCode } } } });
  };
  const sock = {
    user: undefined,
    ev: {
      on(event, listener) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      },
    },
    async sendMessage() {},
    async sendPresenceUpdate() {},
    async readMessages() {},
    end() {
      if (ended) return;
      ended = true;
      close(428);
    },
  };
  setTimeout(() => {
    if (ended) return;
    if (auth.creds.registered) {
      sock.user = { id: auth.creds.me.id };
      emit('connection.update', { connection: 'open' });
      return;
    }
    let shown = 0;
    const showQr = () => emit('connection.update', { qr: `fake-qr-${++shown}` });
    showQr();
    timers.push(setInterval(showQr, Number(process.env.FAKE_WA_QR_MS ?? 20_000)));
    timers.push(
      setInterval(() => {
        const file = process.env.FAKE_WA_SCAN_FILE;
        if (!file || !existsSync(file)) return;
        auth.creds.me = { id: FAKE_WA_ID };
        auth.creds.registered = true;
        emit('creds.update', {});
        ended = true;
        for (const timer of timers) clearInterval(timer);
        // Once the session file is written, WhatsApp asks the new device to reconnect.
        setTimeout(() => close(515), 200);
      }, 50),
    );
  }, 20);
  return sock;
}
