/** Env values that look like secrets (by name), so the log redactor masks them wherever they appear. */
export function envSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /TOKEN|SECRET|PASSWORD|API_KEY|API_KEYS|AUTH|PRIVATE/i.test(name))
    .flatMap(([, value]) => value!.split(',').map((part) => part.trim()));
}
