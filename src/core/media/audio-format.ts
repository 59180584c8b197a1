/**
 * The audio formats OpenAI's and Groq's transcription endpoints take, by MIME type and by file
 * extension (https://platform.openai.com/docs/guides/speech-to-text). The API reads the format from
 * the file name, so the name sent carries the right extension.
 */
const BY_MIME: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mpga': 'mpga',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

const EXTENSIONS = new Set([
  'ogg',
  'oga',
  'opus',
  'mp3',
  'mpga',
  'mpeg',
  'mp4',
  'm4a',
  'aac',
  'wav',
  'webm',
  'flac',
]);

/** The extension to send this audio under, or undefined for a format no provider takes. */
export function audioExtension(mimeType: string | undefined, name: string | undefined): string | undefined {
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase();
  const byMime = mime ? BY_MIME[mime] : undefined;
  if (byMime) return byMime;
  const ext = name?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  return ext && EXTENSIONS.has(ext) ? ext : undefined;
}
