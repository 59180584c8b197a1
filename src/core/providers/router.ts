import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import { GatewayError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock } from '../runtime/clock';
import { resolveSecret } from '../secrets';
import type { Store } from '../storage/store';
import { runAttempt } from './attempt';
import { ALL_MODELS, type CooldownBook, createCooldownBook } from './cooldowns';
import { type Credential, keyFingerprint, parseModelRef, resolveCredentials } from './credentials';
import { FAILURE_POLICY, failureLabel, type ProviderFailure } from './failure';
import { PROVIDERS } from './index';
import { providerTable } from './table';
import type {
  FailoverRecord,
  ModelRouter,
  ModelsStatus,
  ProviderDef,
  RoutedEvent,
  RoutedRequest,
} from './types';
import { takesImages, withoutImages } from './vision';

export const DEFAULT_TIMEOUT_SECONDS = 120;
const RECENT_FAILOVERS = 20;

export interface ModelRouterDeps {
  config(): KrabConfig;
  env: EnvRecord;
  store: Store;
  clock: Clock;
  log: Logger;
  /** The built-in providers; `PROVIDERS` unless a test or plugin adds one (presets and `models.providers` are added to it). */
  providers?: Record<string, ProviderDef>;
}

interface Candidate {
  ref: string;
  def: ProviderDef;
  model: string;
  credential: Credential;
}

/**
 * The gateway's model router (`ctx.models`): tries the request's models in order, each with the
 * provider's keys in round-robin order, skipping (key, model) pairs in cooldown, and fails over
 * as `FAILURE_POLICY` says, but only before the first event reaches the caller.
 */
export function createModelRouter(deps: ModelRouterDeps): ModelRouter & { status(): ModelsStatus } {
  const builtIns = deps.providers ?? PROVIDERS;
  const log = deps.log.scope('agent');
  const book: CooldownBook = createCooldownBook(deps.store, (error) =>
    log.warn(`cooldowns could not be read or saved: ${String(error)}`),
  );
  void book.load();
  const rotation = new Map<string, number>();
  const fingerprints = new Map<string, Promise<string>>();
  const failovers: FailoverRecord[] = [];
  const fingerprint = (key: string) => {
    const known = fingerprints.get(key) ?? keyFingerprint(key);
    fingerprints.set(key, known);
    return known;
  };

  async function plan(
    refs: string[],
    config: KrabConfig,
  ): Promise<{ candidates: Candidate[]; keyless: ProviderDef[] }> {
    const providers = providerTable(config, builtIns);
    const parsed = refs.map((ref) => {
      const parts = parseModelRef(ref);
      if (!parts)
        throw new GatewayError(
          'BAD_REQUEST',
          `invalid model ref ${JSON.stringify(ref)}: expected "provider/model", e.g. "anthropic/claude-opus-4-5"`,
        );
      const def = providers[parts.provider];
      if (!def)
        throw new GatewayError(
          'BAD_REQUEST',
          `unknown model provider "${parts.provider}" in "${ref}": use one of ${Object.keys(providers).join(', ')}, or add models.providers.${parts.provider} ({api, baseUrl})`,
        );
      return { ref, def, model: parts.model };
    });
    const keys = new Map<string, Credential[]>();
    for (const def of new Set(parsed.map((entry) => entry.def))) {
      const credentials = await resolveCredentials(def, config, deps.env, fingerprint, (name) =>
        resolveSecret(deps, name),
      );
      const start = rotation.get(def.id) ?? 0;
      rotation.set(def.id, start + 1);
      const offset = credentials.length > 0 ? start % credentials.length : 0;
      keys.set(def.id, [...credentials.slice(offset), ...credentials.slice(0, offset)]);
    }
    const candidates = parsed.flatMap((entry) =>
      (keys.get(entry.def.id) ?? []).map((credential) => ({ ...entry, credential })),
    );
    const keyless = [...new Set(parsed.map((entry) => entry.def))].filter(
      (def) => (keys.get(def.id) ?? []).length === 0,
    );
    return { candidates, keyless };
  }

  function noteFailover(from: Candidate, reason: string, to: Candidate): void {
    const sameModel = from.ref === to.ref;
    log.warn(
      `${from.ref} ${reason}, falling back to ${to.ref}${sameModel ? ` with key ${to.credential.label}` : ''}`,
    );
    failovers.push({
      at: new Date(deps.clock.now()).toISOString(),
      from: from.ref,
      to: sameModel ? `${to.ref} (${to.credential.label})` : to.ref,
      reason,
    });
    if (failovers.length > RECENT_FAILOVERS) failovers.shift();
  }

  async function cool(candidate: Candidate, failure: ProviderFailure, reason: string): Promise<void> {
    const scope = FAILURE_POLICY[failure.kind].cooldown;
    if (scope === 'none') return;
    const wholeKey = scope === 'key';
    await book.fail(
      {
        credentialId: candidate.credential.id,
        label: candidate.credential.label,
        ref: wholeKey ? `${candidate.def.id}/*` : candidate.ref,
        model: wholeKey ? ALL_MODELS : candidate.model,
        reason,
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      },
      deps.clock.now(),
    );
  }

  async function* stream(request: RoutedRequest): AsyncGenerator<RoutedEvent> {
    const config = deps.config();
    const refs = [...new Set(request.models)];
    if (refs.length === 0)
      throw new GatewayError(
        'UNAVAILABLE',
        'no model configured: set agents.defaults.model.primary (e.g. "anthropic/claude-opus-4-5")',
      );
    await book.load();
    const { candidates, keyless } = await plan(refs, config);
    const keyHint =
      keyless.length > 0
        ? `no API key for ${keyless.map((def) => def.id).join(', ')}: set ${keyless.map((def) => def.keyEnv[0]).join(' or ')}`
        : '';
    if (candidates.length === 0) {
      log.error(keyHint);
      throw new GatewayError('UNAVAILABLE', keyHint);
    }
    const timeoutMs =
      request.timeoutMs ?? (config.agents?.defaults?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const outcomes: string[] = [];
    const skipped: Array<{ candidate: Candidate; until: number }> = [];
    let previous: { candidate: Candidate; reason: string } | undefined;
    let attempted = 0;

    for (let index = 0; index < candidates.length || (attempted === 0 && skipped.length > 0); index++) {
      let candidate = candidates[index];
      if (!candidate) {
        // Everything is cooling down: rather than fail outright, try the pair that recovers first.
        const soonest = skipped.sort((a, b) => a.until - b.until)[0]!;
        skipped.length = 0;
        candidate = soonest.candidate;
        log.warn(
          `every model is cooling down; trying ${candidate.ref} (cooldown ends in ${Math.ceil((soonest.until - deps.clock.now()) / 1000)} s)`,
        );
      } else {
        const until = book.coolingUntil(candidate.credential.id, candidate.model, deps.clock.now());
        if (until !== undefined) {
          log.debug(`${candidate.ref} (${candidate.credential.label}) is cooling down, skipped`);
          skipped.push({ candidate, until });
          outcomes.push(`${candidate.ref} cooling down`);
          continue;
        }
      }
      attempted++;
      if (previous) noteFailover(previous.candidate, previous.reason, candidate);
      previous = undefined;
      let started = false;
      const attempt = runAttempt({
        provider: candidate.def,
        request: {
          model: candidate.model,
          messages: takesImages(config, candidate.def.id, candidate.model)
            ? request.messages
            : withoutImages(request.messages),
          apiKey: candidate.credential.apiKey,
          baseUrl: candidate.credential.baseUrl,
          ...(request.system === undefined ? {} : { system: request.system }),
          ...(request.tools === undefined ? {} : { tools: request.tools }),
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          ...(request.reasoning && candidate.def.reasons?.(candidate.model)
            ? { reasoning: request.reasoning }
            : {}),
        },
        clock: deps.clock,
        timeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      for await (const step of attempt) {
        if (step.type === 'event') {
          if (!started) yield { type: 'model', ref: candidate.ref };
          started = true;
          // Cleared before `done` is handed over: a caller that stops reading at `done` still records the success.
          if (step.event.type === 'done') await book.succeed(candidate.credential.id, candidate.model);
          yield step.event;
          if (step.event.type === 'done') return;
          continue;
        }
        const { failure } = step;
        const reason = failureLabel(failure);
        await cool(candidate, failure, reason);
        if (started) {
          log.error(`${candidate.ref} failed mid-answer: ${reason}`);
          throw new GatewayError('PROVIDER_ERROR', `${candidate.ref} failed mid-answer (${reason})`, {
            retryable: true,
            cause: step.error,
          });
        }
        if (!FAILURE_POLICY[failure.kind].failover) {
          log.error(`${candidate.ref} rejected the request (${reason}): ${failure.message}`);
          throw new GatewayError(
            'PROVIDER_ERROR',
            `${candidate.ref} rejected the request (${reason}): ${failure.message}`,
            { details: { status: failure.status } },
          );
        }
        outcomes.push(`${candidate.ref} ${reason}`);
        previous = { candidate, reason };
      }
    }
    if (previous) log.error(`${previous.candidate.ref} ${previous.reason}, no fallback left`);
    const now = deps.clock.now();
    const nextFree = Math.min(
      ...candidates.map((c) => book.coolingUntil(c.credential.id, c.model, now) ?? now),
    );
    const summary = [outcomes.join(', '), keyHint].filter(Boolean).join('; ');
    throw new GatewayError('UNAVAILABLE', `no model could answer: ${summary}`, {
      retryable: true,
      ...(nextFree > now ? { retryAfterMs: nextFree - now } : {}),
    });
  }

  return {
    stream,
    status: () => ({ cooldowns: book.list(deps.clock.now()), recentFailovers: [...failovers] }),
  };
}
