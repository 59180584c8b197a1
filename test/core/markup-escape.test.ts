import { describe, expect, it } from 'vitest';
import { escapeMarkup, escapeXml } from '../../src/core/markup-escape';

describe('markup escaping', () => {
  it('escapes &, < and > in content and leaves quotes as written', () => {
    expect(escapeMarkup(`a & b <x> "q" it's`)).toBe(`a &amp; b &lt;x&gt; "q" it's`);
  });

  it('escapes quotes too where text may be an attribute value', () => {
    expect(escapeXml(`a & b <x> "q" it's`)).toBe('a &amp; b &lt;x&gt; &quot;q&quot; it&apos;s');
  });
});
