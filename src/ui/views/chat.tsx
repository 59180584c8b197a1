import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatEvent, ChatSendResult } from '../../core/protocol/payloads/chat';
import type {
  AgentsList,
  SessionSummary,
  SessionsHistory,
  SessionsList,
} from '../../core/protocol/payloads/sessions';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { Transcript } from '../components/transcript';
import { useApp } from '../lib/app-context';
import { applyChatEvent, type ChatItem, isTerminal, itemKey, toChatItems } from '../lib/chat-model';
import type { RequestError } from '../lib/client';
import { useRequest } from '../lib/use-request';

/** A reply may stream for minutes (tools, slow models); the gateway's own timeout ends it first. */
const SEND_TIMEOUT_MS = 15 * 60_000;

interface Run {
  runId?: string;
  key: string;
}

/** Chat with an agent: pick an agent or an existing session, send, watch the reply stream, abort. */
export function ChatView() {
  const { client, generation } = useApp();
  const agents = useRequest<AgentsList>('agents.list');
  const sessions = useRequest<SessionsList>('sessions.list');
  const [agentId, setAgentId] = useState('');
  const [sessionKey, setSessionKey] = useState('');
  const [items, setItems] = useState<ChatItem[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<RequestError>();
  const run = useRef<Run | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const finishRef = useRef(() => {});

  const agentList = agents.data?.agents ?? [];
  const sessionList = sessions.data?.sessions ?? [];

  // The gateway streams `chat` events to the connection that sent the message, so they are ours.
  useEffect(
    () =>
      client.subscribe((event, payload) => {
        const current = run.current;
        if (event !== 'chat' || !current) return;
        const e = payload as ChatEvent;
        if (current.runId && e.runId !== current.runId) return;
        current.runId ??= e.runId;
        setItems((list) => list.map((item) => (item.key === current.key ? applyChatEvent(item, e) : item)));
        if (isTerminal(e)) finishRef.current();
      }),
    [client],
  );

  // A picked session shows its transcript.
  useEffect(() => {
    if (!sessionKey || !client.has('sessions.history') || run.current) return;
    let live = true;
    client.request<SessionsHistory>('sessions.history', { sessionKey }).then(
      (res) => live && setItems(toChatItems(res.messages)),
      (err: RequestError) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [sessionKey, generation]);

  if (!client.has('chat.send')) return <Unavailable title="Chat" what="Chat" methods={['chat.send']} />;

  async function send(event?: Event) {
    event?.preventDefault();
    const message = draft.trim();
    if (!message || running) return;
    setError(undefined);
    const reply: ChatItem = { key: itemKey(), role: 'assistant', text: '', tools: [], streaming: true };
    run.current = { key: reply.key };
    setRunning(true);
    setDraft('');
    setItems((list) => [...list, { key: itemKey(), role: 'user', text: message, tools: [] }, reply]);
    const params = {
      message,
      ...(sessionKey ? { sessionKey } : {}),
      ...(!sessionKey && agentId ? { agentId } : {}),
    };
    try {
      // chat.send answers at once with the run's ids; the reply comes as `chat` events.
      const res = await client.request<ChatSendResult>('chat.send', params, SEND_TIMEOUT_MS);
      if (run.current?.key === reply.key) run.current.runId ??= res.runId;
      if (res.sessionKey !== sessionKey) {
        setSessionKey(res.sessionKey);
        sessions.reload();
      }
    } catch (err) {
      const e = err as RequestError;
      setItems((list) =>
        list.map((item) =>
          item.key === reply.key && item.streaming
            ? applyChatEvent(
                item,
                e.code === 'ABORTED'
                  ? { state: 'aborted' }
                  : { state: 'error', code: e.code, message: e.message },
              )
            : item,
        ),
      );
      if (e.code !== 'ABORTED') setError(e);
      finish();
    }
  }

  function finish() {
    run.current = undefined;
    setRunning(false);
    sessions.reload();
    input.current?.focus();
  }
  finishRef.current = finish;

  async function abort() {
    const current = run.current;
    if (!current) return;
    try {
      if (current.runId) await client.request('chat.abort', { runId: current.runId });
    } catch (err) {
      setError(err as RequestError);
    }
    setItems((list) =>
      list.map((item) =>
        item.key === current.key && item.streaming ? applyChatEvent(item, { state: 'aborted' }) : item,
      ),
    );
    finish();
  }

  function pickSession(key: string) {
    setSessionKey(key);
    setItems([]);
    setError(undefined);
  }

  return (
    <section class="chat">
      <ViewHeader title="Chat" />
      <div class="toolbar">
        <label>
          Agent
          <select
            value={sessionKey ? (sessionKey.split(':')[1] ?? '') : agentId}
            disabled={!agents.available || Boolean(sessionKey)}
            onChange={(e) => setAgentId((e.target as HTMLSelectElement).value)}
          >
            <option value="">Default agent</option>
            {agentList.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name ?? a.id}
                {a.default ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Session
          <select
            value={sessionKey}
            disabled={!sessions.available || running}
            onChange={(e) => pickSession((e.target as HTMLSelectElement).value)}
          >
            <option value="">New conversation</option>
            {sessionKey && !sessionList.some((s) => s.sessionKey === sessionKey) && (
              <option value={sessionKey}>{sessionKey}</option>
            )}
            {sessionList.map((s) => (
              <option key={s.sessionKey} value={s.sessionKey}>
                {describeSession(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error ?? agents.error} />
      {items.length === 0 ? (
        <p class="muted empty-chat">Say something to {agentId || 'the default agent'}.</p>
      ) : (
        <Transcript items={items} />
      )}
      <form class="composer" onSubmit={send}>
        <label for="chat-input" class="sr-only">
          Message
        </label>
        <textarea
          id="chat-input"
          ref={input}
          rows={2}
          placeholder="Message (Enter sends, Shift+Enter for a new line)"
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) void send(e);
          }}
        />
        {running ? (
          <button
            type="button"
            class="danger"
            onClick={() => void abort()}
            disabled={!client.has('chat.abort')}
          >
            Stop
          </button>
        ) : (
          <button type="submit" class="primary" disabled={!draft.trim()}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}

export function describeSession({ channel, peer, agentId }: SessionSummary): string {
  return `${channel}${peer ? ` · ${peer}` : ''}${agentId ? ` (${agentId})` : ''}`;
}
