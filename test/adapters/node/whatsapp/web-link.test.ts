import { afterEach, describe, expect, it } from 'vitest';
import { linkWhatsAppWeb } from '../../../../src/adapters/node/whatsapp/web-link';
import type { OpenWebSocket, WebSocketLike } from '../../../../src/adapters/node/whatsapp/web-socket';
import { createLogHub } from '../../../../src/core/log/logger';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';

/** Stands in for WhatsApp's servers: the socket refuses the new device as logged out (401) once listened to. */
const refusingOpen: OpenWebSocket = async () => {
  const sock: WebSocketLike = {
    user: undefined,
    ev: {
      on: (event, listener) => {
        if (event === 'connection.update')
          queueMicrotask(() =>
            listener({ connection: 'close', lastDisconnect: { error: { output: { statusCode: 401 } } } }),
          );
      },
    },
    sendMessage: async () => undefined,
    sendPresenceUpdate: async () => {},
    readMessages: async () => {},
    end: () => {},
  };
  return { sock, downloadMedia: async () => Buffer.alloc(0) };
};

let stateDir: string;
afterEach(() => removeDir(stateDir));

describe('linkWhatsAppWeb', () => {
  it("ends a refusal with the caller's way to start over (the shell's, or the page's by default)", async () => {
    stateDir = tempStateDir('krab-walink-');
    const log = createLogHub({ write: () => {}, now: Date.now }).logger;
    const link = (again?: string) =>
      linkWhatsAppWeb({ stateDir, env: {}, log, onQr: () => {}, open: refusingOpen, again });
    await expect(link('run the command again')).rejects.toThrow(
      /^WhatsApp refused the link \(logged out\); run the command again$/,
    );
    await expect(link()).rejects.toThrow(/^WhatsApp refused the link \(logged out\); start again$/);
  });
});
