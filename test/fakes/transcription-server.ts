import type { ServerResponse } from 'node:http';
import { type FakeEndpoint, startFakeEndpoint } from './openai-endpoint';

/** Magic bytes of the formats the fake "decodes"; anything else is refused as OpenAI does. */
const MAGIC: Array<[format: string, bytes: string]> = [
  ['ogg', 'OggS'],
  ['mp3', 'ID3'],
  ['wav', 'RIFF'],
  ['flac', 'fLaC'],
];

export interface TranscriptionRequest {
  model: string;
  language?: string;
  fileName: string;
  fileType: string;
  bytes: number;
  authorization?: string;
}

/** `baseUrl` goes to the SDK as `OPENAI_BASE_URL` or `GROQ_BASE_URL`. */
export interface FakeTranscription extends FakeEndpoint {
  requests: TranscriptionRequest[];
}

/** A sound file the fake transcribes to `speech`: a format's magic bytes, then the "spoken" text. */
export function fakeAudio(speech: string, format: 'ogg' | 'mp3' | 'wav' | 'flac' = 'ogg'): Uint8Array {
  const magic = MAGIC.find(([name]) => name === format)![1];
  return new TextEncoder().encode(`${magic}${speech}`);
}

/**
 * A fake OpenAI-compatible `POST /v1/audio/transcriptions` on 127.0.0.1. The multipart body is
 * parsed for real (undici's `formData()`), the file's format is checked by its magic bytes
 * (unknown: 400 as OpenAI answers), and the transcript is the text after the magic bytes.
 */
export async function startFakeTranscription(): Promise<FakeTranscription> {
  const requests: TranscriptionRequest[] = [];
  const answer = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const endpoint = await startFakeEndpoint(async (req, body, res, failing) => {
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') return answer(res, 404, {});
    let form: FormData;
    try {
      form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']) },
        body,
      }).formData();
    } catch {
      return answer(res, 400, { error: { message: 'expected multipart/form-data' } });
    }
    const file = form.get('file');
    const model = form.get('model');
    if (!(file instanceof File) || typeof model !== 'string')
      return answer(res, 400, { error: { message: "missing 'file' or 'model'" } });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const language = form.get('language');
    requests.push({
      model,
      fileName: file.name,
      fileType: file.type,
      bytes: bytes.length,
      ...(typeof language === 'string' ? { language } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (failing)
      return answer(res, failing, { error: { message: `fake failure ${failing}`, type: 'server_error' } });
    const text = new TextDecoder().decode(bytes);
    const magic = MAGIC.find(([, prefix]) => text.startsWith(prefix));
    if (!magic)
      return answer(res, 400, {
        error: {
          message:
            'Invalid file format. Supported formats: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm',
          type: 'invalid_request_error',
        },
      });
    return answer(res, 200, { text: text.slice(magic[1].length) });
  });
  return { ...endpoint, requests };
}
