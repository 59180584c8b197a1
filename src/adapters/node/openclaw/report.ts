/** What an import did, for the owner to read: never a secret value, only paths and env var names. */
export interface ImportReport {
  /** Where each secret found in OpenClaw's files should go instead: an env var (or `krabkrab secrets set`). */
  secrets: Array<{ env: string; from: string }>;
  notMapped: Array<{ path: string; reason: string }>;
  notes: string[];
}

export function createReport(): ImportReport & {
  skip(path: string, reason: string): void;
  secret(env: string, from: string): void;
  note(text: string): void;
} {
  const report: ImportReport = { secrets: [], notMapped: [], notes: [] };
  return {
    ...report,
    skip(path, reason) {
      if (!report.notMapped.some((entry) => entry.path === path)) report.notMapped.push({ path, reason });
    },
    secret(env, from) {
      if (!report.secrets.some((entry) => entry.env === env && entry.from === from))
        report.secrets.push({ env, from });
    },
    note(text) {
      report.notes.push(text);
    },
  };
}

export type Reporter = ReturnType<typeof createReport>;
