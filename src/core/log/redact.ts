/** Masks every known secret value inside a text. Secrets shorter than 6 chars are not masked (too many false hits) and not accepted as secrets elsewhere either. */
export class SecretRedactor {
  #secrets = new Set<string>();

  add(...values: Array<string | undefined>): void {
    for (const value of values) if (value && value.length >= 6) this.#secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join('***');
    return out;
  }
}
