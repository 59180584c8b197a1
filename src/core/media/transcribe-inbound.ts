import { base64ToBytes } from '../base64';
import type { InboundAttachment, InboundMessage } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import { GatewayError } from '../errors';
import type { Logger } from '../log/logger';
import { audioExtension } from './audio-format';
import { formatBytes, formatDuration } from './format';
import { mediaSettings } from './settings';
import { createTranscriber, type Transcriber } from './transcriber';

export interface TranscribeDeps {
  config: KrabConfig;
  env: EnvRecord;
  log: Logger;
  /** A key stored with `krabkrab secrets set`. */
  stored?: (name: string) => Promise<string | undefined>;
}

export interface TranscribedMessage {
  message: InboundMessage;
  /** Set when the message is nothing but audio over a cap: the reply that says so (no model turn). */
  notice?: string;
}

const transcribers = new WeakMap<KrabConfig, Transcriber | undefined>();

/**
 * Turns the message's downloaded audio into text before the turn (after the policies let the
 * sender in, so a stranger's voice note costs nothing). Audio over a cap, empty, in a format no
 * provider takes, or that the provider refuses (429, 500, ...) keeps a description instead, with
 * one log line; this never throws. The audio bytes never go further than here.
 */
export async function transcribeInbound(
  message: InboundMessage,
  deps: TranscribeDeps,
): Promise<TranscribedMessage> {
  if (!message.attachments?.some((a) => a.kind === 'audio')) return { message };
  const settings = mediaSettings(deps.config).transcription;
  const log = deps.log.scope('media');
  if (!transcribers.has(deps.config))
    transcribers.set(deps.config, createTranscriber(deps.config, deps.env, deps.stored));
  const transcriber = transcribers.get(deps.config);
  const overCap: string[] = [];
  const attachments = await Promise.all(
    message.attachments.map(async (original): Promise<InboundAttachment> => {
      if (original.kind !== 'audio') return original;
      const { dataBase64, ...attachment } = original;
      if (!transcriber) return attachment;
      const what = attachment.voice ? 'voice note' : 'audio file';
      // Over a cap: the platform's size and length first, then the size actually downloaded.
      const overCapped = (over: InboundAttachment): InboundAttachment | undefined => {
        const cap = capPassed(over);
        if (!cap) return undefined;
        overCap.push(`Your ${what} is too ${cap.word} for me to transcribe (${cap.detail})`);
        return { ...over, description: `not transcribed: too ${cap.word} (${cap.detail})` };
      };
      const declared = overCapped(attachment);
      if (declared) return declared;
      if (dataBase64 === undefined) return attachment;
      const bytes = base64ToBytes(dataBase64) ?? new Uint8Array();
      const where = `${message.channel} message ${message.messageId}`;
      if (bytes.length === 0) {
        log.warn(`the ${what} in ${where} is empty (0 bytes); the model gets a description`);
        return { ...attachment, size: 0, description: 'empty (0 bytes), nothing to transcribe' };
      }
      const sized = { ...attachment, size: bytes.length };
      const downloaded = overCapped(sized);
      if (downloaded) return downloaded;
      const extension = audioExtension(attachment.mimeType, attachment.name);
      if (!extension) {
        log.warn(
          `the ${what} in ${where} is in a format transcription does not take (${attachment.mimeType ?? 'no type'}); the model gets a description`,
        );
        return { ...sized, description: 'in an audio format that cannot be transcribed' };
      }
      try {
        const text = await transcriber.transcribe({
          bytes,
          name: `${attachment.voice ? 'voice' : 'audio'}.${extension}`,
          ...(attachment.mimeType ? { mimeType: attachment.mimeType } : {}),
        });
        return text ? { ...sized, transcript: text } : { ...sized, description: 'no speech recognized' };
      } catch (error) {
        log.warn(
          `transcribing the ${what} in ${where} with ${transcriber.id} failed (${reasonOf(error)}); the model gets a description`,
        );
        return { ...sized, description: 'could not be transcribed' };
      }
    }),
  );
  const next = { ...message, attachments };
  const onlyAudio = message.text.trim() === '' && attachments.every((a) => a.kind === 'audio');
  if (onlyAudio && overCap.length === attachments.length)
    return { message: next, notice: `${overCap.join('. ')}.` };
  return { message: next };

  function capPassed(attachment: InboundAttachment): { word: string; detail: string } | undefined {
    const seconds = attachment.durationSeconds ?? 0;
    if (seconds > settings.maxSeconds)
      return {
        word: 'long',
        detail: `${formatDuration(seconds)}; the limit is ${formatDuration(settings.maxSeconds)}`,
      };
    const size = attachment.size ?? 0;
    if (size > settings.maxBytes)
      return {
        word: 'large',
        detail: `${formatBytes(size)}; the limit is ${formatBytes(settings.maxBytes)}`,
      };
    return undefined;
  }
}

/** A short, secret-free reason: the HTTP status when the provider answered one, else the message. */
function reasonOf(error: unknown): string {
  if (error instanceof GatewayError) return error.message;
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number') return `HTTP ${status}`;
  return (error as Error)?.message?.slice(0, 200) ?? String(error);
}
