import { useState } from 'preact/hooks';
import { zeroCounts } from '../../core/usage/counts';
import { formatUsd } from '../../core/usage/format';
import type { CostedCounts, UsageSummary } from '../../core/usage/types';
import { ErrorNote, Unavailable, ViewHeader } from '../components/notices';
import { lastDates, UsageChart } from '../components/usage-chart';
import { useRequest } from '../lib/use-request';

const SPANS = [7, 30, 90] as const;
const EMPTY: CostedCounts = { ...zeroCounts(), costUsd: 0 };

const number = (n: number) => n.toLocaleString('en-US');

/** Estimated USD; "unknown" for a model without a price (never shown as $0). */
const costText = (costUsd: number | null) => (costUsd === null ? 'unknown' : formatUsd(costUsd));

/** Tokens and estimated cost per day and per model (`usage.summary`), with a chart of the total. */
export function UsageView() {
  const [span, setSpan] = useState<number>(7);
  const usage = useRequest<UsageSummary>('usage.summary', { days: span }, [span]);

  if (!usage.available) return <Unavailable title="Usage" what="Usage" methods={['usage.summary']} />;
  const days = usage.data?.days ?? [];
  const total = usage.data?.total ?? EMPTY;
  // With an unpriced model the total is unknown; what the priced ones cost is still worth showing.
  const priced = days.flatMap((day) => day.models).reduce((sum, m) => sum + (m.costUsd ?? 0), 0);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section class="usage">
      <ViewHeader title="Usage">
        <label>
          Range{' '}
          <select
            value={String(span)}
            onChange={(e) => setSpan(Number((e.target as HTMLSelectElement).value))}
          >
            {SPANS.map((n) => (
              <option key={n} value={String(n)}>
                Last {n} days
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={usage.reload}>
          Refresh
        </button>
      </ViewHeader>
      <ErrorNote error={usage.error} />
      <p data-testid="usage-total">
        Estimated cost <strong>{costText(total.costUsd)}</strong>
        {total.costUsd === null ? ` (${formatUsd(priced)} for the priced models)` : ''} ·{' '}
        {number(total.requests)} call(s) · {number(total.inputTokens)} tokens in ·{' '}
        {number(total.outputTokens)} out
        {total.cacheReadTokens ? ` · ${number(total.cacheReadTokens)} read from cache` : ''}
      </p>
      <UsageChart days={days} dates={lastDates(today, span)} />
      {days.length === 0 && !usage.loading ? (
        <p class="muted">No model calls in this range yet.</p>
      ) : (
        <section class="table-scroll" aria-label="Usage per day and model">
          <table class="usage-table" data-testid="usage-table">
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Model</th>
                <th scope="col" class="num">
                  Calls
                </th>
                <th scope="col" class="num">
                  Input
                </th>
                <th scope="col" class="num">
                  Cache read / write
                </th>
                <th scope="col" class="num">
                  Output
                </th>
                <th scope="col" class="num">
                  Est. cost
                </th>
              </tr>
            </thead>
            <tbody>
              {days.flatMap((day) =>
                day.models.map((m, i) => (
                  <tr key={`${day.date} ${m.model}`} data-model={m.model}>
                    {i === 0 ? (
                      <th scope="rowgroup" rowSpan={day.models.length}>
                        {day.date}
                        <span class="muted small block">{costText(day.total.costUsd)}</span>
                      </th>
                    ) : null}
                    <td>{m.model}</td>
                    <td class="num">{number(m.requests)}</td>
                    <td class="num">{number(m.inputTokens)}</td>
                    <td class="num">
                      {number(m.cacheReadTokens)} / {number(m.cacheWriteTokens)}
                    </td>
                    <td class="num">{number(m.outputTokens)}</td>
                    <td class="num">{costText(m.costUsd)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
      )}
      <p class="help">
        Estimates from list prices (USD per million tokens); set your own in <code>models.pricing</code>. A
        model without a price shows "unknown". Input counts cached tokens too.
      </p>
    </section>
  );
}
