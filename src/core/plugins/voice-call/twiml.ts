/** TwiML builders: the XML Twilio runs for a call. https://www.twilio.com/docs/voice/twiml */

import { escapeXml } from '../../markup-escape';

export interface SpeechOptions {
  voice?: string;
  language?: string;
}

function attributes(attrs: Record<string, string | number | undefined>): string {
  return Object.entries(attrs)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** A whole TwiML document from verbs. */
export function twiml(...verbs: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.join('')}</Response>`;
}

export function say(text: string, options: SpeechOptions = {}): string {
  return `<Say${attributes({ voice: options.voice, language: options.language })}>${escapeXml(text)}</Say>`;
}

/**
 * Listens for speech and posts it to `action` (relative: Twilio resolves it against the URL it
 * called, so it stays on the tunnel's public URL). `actionOnEmptyResult` posts silence too.
 */
export function gatherSpeech(
  action: string,
  prompt: string | undefined,
  options: SpeechOptions = {},
): string {
  const attrs = attributes({
    input: 'speech',
    action,
    method: 'POST',
    speechTimeout: 'auto',
    language: options.language,
    actionOnEmptyResult: 'true',
  });
  return `<Gather${attrs}>${prompt ? say(prompt, options) : ''}</Gather>`;
}

export function pause(seconds: number): string {
  return `<Pause length="${Math.max(1, Math.round(seconds))}"/>`;
}

export function redirect(url: string): string {
  return `<Redirect method="POST">${escapeXml(url)}</Redirect>`;
}

export function hangup(): string {
  return '<Hangup/>';
}

/** Refuses the call before it is answered (the caller hears busy/rejected; nothing is billed). */
export function reject(): string {
  return '<Reject reason="rejected"/>';
}

export function twimlResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}
