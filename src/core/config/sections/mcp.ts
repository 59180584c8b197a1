import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `mcp.servers.<name>`: Model Context Protocol servers whose tools the agents may call. */
export const mcpSection = lazySchema(() => {
  /** A server name becomes the prefix of its tools' names (`<server>__<tool>`), which providers limit to `[A-Za-z0-9_-]`. */
  const serverName = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'a server name is up to 32 letters, digits, "-" or "_"')
    .refine(
      (name) => !name.includes('__'),
      'a server name cannot contain "__" (it separates server and tool)',
    );

  const mcpServer = z
    .strictObject({
      /** stdio (Node only): the program to start, its arguments, extra env (secrets as `${VAR}`) and working directory. */
      command: z.string().min(1).optional(),
      args: z.array(z.string()).optional(),
      env: z.record(z.string(), z.string()).optional(),
      cwd: z.string().min(1).optional(),
      /** Streamable HTTP (falls back to SSE): the endpoint and extra headers (secrets as `${VAR}`). */
      url: z.url({ protocol: /^https?$/ }).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      enabled: z.boolean().optional(),
      /** Which of the server's tools the model sees: `include` (default all), then minus `exclude`. */
      tools: z
        .strictObject({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() })
        .optional(),
      /** Connect, initialize and each tool call (default 30 s). */
      timeoutSeconds: z.number().positive().max(3600).optional(),
      /** MCP tools are owner-session tools; true offers this server's tools to guest sessions too. */
      allowGuests: z.boolean().optional(),
    })
    .superRefine((server, ctx) => {
      if (Boolean(server.command) === Boolean(server.url))
        ctx.addIssue({
          code: 'custom',
          message: 'set either command (a stdio server) or url (a Streamable HTTP server)',
        });
      const misplaced = server.url
        ? (['args', 'env', 'cwd'] as const).filter((key) => server[key] !== undefined)
        : server.headers
          ? ['headers']
          : [];
      for (const key of misplaced)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is for ${server.url ? 'stdio servers (command)' : 'HTTP servers (url)'}`,
        });
    });

  return z.strictObject({
    servers: z.record(serverName, mcpServer).optional(),
  });
});

export type McpServerConfig = NonNullable<z.infer<typeof mcpSection>['servers']>[string];
