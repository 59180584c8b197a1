import type { KrabConfig } from '../../config/schema';
import { type VoiceCallConfig, voiceCallConfig } from './config';

export const VOICE_PLUGIN = 'voice-call';

const parsed = new WeakMap<object, VoiceCallConfig>();

/** The voice-call plugin's config when its entry exists and is not `enabled: false`; else undefined. */
export function voiceCallConfigOf(config: KrabConfig): VoiceCallConfig | undefined {
  const entry = config.plugins?.entries?.[VOICE_PLUGIN];
  if (!entry || entry.enabled === false) return undefined;
  const raw = entry.config ?? {};
  let value = parsed.get(raw);
  if (!value) {
    // Already checked when the config loaded; parsing again only applies the schema's types.
    value = voiceCallConfig.parse(raw);
    parsed.set(raw, value);
  }
  return value;
}
