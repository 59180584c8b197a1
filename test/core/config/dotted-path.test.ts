import { describe, expect, it } from 'vitest';
import {
  formatDottedPath,
  getAtPath,
  parseDottedPath,
  setAtPath,
  unsetAtPath,
} from '../../../src/core/config/dotted-path';

describe('dotted paths', () => {
  it('parses keys, indices and quoted keys', () => {
    expect(parseDottedPath('agents.list[0].id')).toEqual(['agents', 'list', 0, 'id']);
    expect(parseDottedPath('channels.discord.guilds["1.2"].requireMention')).toEqual([
      'channels',
      'discord',
      'guilds',
      '1.2',
      'requireMention',
    ]);
    expect(parseDottedPath('plugins.entries.voice-call.enabled')).toEqual([
      'plugins',
      'entries',
      'voice-call',
      'enabled',
    ]);
    expect(formatDottedPath(['agents', 'list', 0, 'id'])).toBe('agents.list[0].id');
    expect(formatDottedPath(['guilds', '1.2'])).toBe('guilds["1.2"]');
  });

  it('prints what config problems, `config set` and the Control UI form all name the same way', () => {
    const paths: Array<Array<string | number>> = [
      ['channels', 'discord', 'guilds', '123', 'channels', '#general'],
      ['channels', 'whatsapp', 'groups', '120363@g.us', 'allow'],
      ['gateway', 'evil\nkey'],
      ['x', 'a b', 'line\u2028sep', ''],
      ['agents', 'list', 0, 'model'],
    ];
    expect(paths.map((path) => formatDottedPath(path))).toEqual([
      'channels.discord.guilds.123.channels.#general',
      'channels.whatsapp.groups["120363@g.us"].allow',
      'gateway["evil\\nkey"]',
      'x["a b"]["line\\u2028sep"][""]',
      'agents.list[0].model',
    ]);
    for (const path of paths) {
      // Plain keys and quoted ones read back (a quoted key keeps JSON escapes as written).
      if (path.every((part) => typeof part === 'number' || /^[^\s"]+$/.test(part)))
        expect(parseDottedPath(formatDottedPath(path))).toEqual(path);
    }
  });

  it.each(['', 'a.', 'a..b', 'a[x]', 'a[0', 'a[0]b', '__proto__.x', 'a.constructor'])(
    'rejects %j',
    (text) => {
      expect(() => parseDottedPath(text)).toThrow(/bad path/);
    },
  );

  it('gets values, telling a missing key from a present null', () => {
    const doc = { a: { b: null, list: [{ id: 'x' }] } };
    expect(getAtPath(doc, ['a', 'b'])).toEqual({ found: true, value: null });
    expect(getAtPath(doc, ['a', 'list', 0, 'id'])).toEqual({ found: true, value: 'x' });
    expect(getAtPath(doc, ['a', 'list', '0', 'id'])).toEqual({ found: true, value: 'x' });
    expect(getAtPath(doc, ['a', 'c']).found).toBe(false);
    expect(getAtPath(doc, ['a', 'b', 'c']).found).toBe(false);
    expect(getAtPath(doc, ['a', 'toString']).found).toBe(false);
  });

  it('sets without touching anything else, creating objects and arrays on the way', () => {
    const doc = { keep: { deep: [1, 2] }, gateway: { bind: 'lan' } };
    const next = setAtPath(doc, ['gateway', 'port'], 3000);
    expect(next).toEqual({ keep: { deep: [1, 2] }, gateway: { bind: 'lan', port: 3000 } });
    expect(doc.gateway).toEqual({ bind: 'lan' });
    expect(next.keep).toBe(doc.keep);
    expect(setAtPath({}, ['agents', 'list', 0, 'id'], 'main')).toEqual({
      agents: { list: [{ id: 'main' }] },
    });
    expect(() => setAtPath({ a: 'text' }, ['a', 'b'], 1)).toThrow(/not an object/);
    expect(() => setAtPath({ a: [] }, ['a', 3], 1)).toThrow(/gap/);
    expect(() => setAtPath({ a: [] }, ['a', 'x'], 1)).toThrow(/expected an index/);
  });

  it('unsets keys and array items', () => {
    const doc = { a: { b: 1, c: 2 }, list: ['x', 'y', 'z'] };
    expect(unsetAtPath(doc, ['a', 'b'])).toEqual({
      value: { a: { c: 2 }, list: ['x', 'y', 'z'] },
      removed: true,
    });
    expect(unsetAtPath(doc, ['list', 1]).value.list).toEqual(['x', 'z']);
    expect(unsetAtPath(doc, ['a', 'nope'])).toEqual({ value: doc, removed: false });
    expect(doc.a).toEqual({ b: 1, c: 2 });
  });
});
