import type { UsageSummaryDay } from '../../core/usage/types';

/** Models drawn with their own colour; the rest share the last one ("other"). */
const SERIES = 5;
const BAR = 10;
const HEIGHT = 100;

export interface ChartSeries {
  label: string;
  /** CSS class giving the fill (`usage-s0`...), so colours follow light and dark mode. */
  className: string;
}

/** The days from `today` back `span` days, oldest first (`YYYY-MM-DD`, UTC). */
export function lastDates(today: string, span: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: span }, (_, i) =>
    new Date(end - (span - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** The models by tokens over the range, biggest first: the top ones get a colour each, the rest "other". */
export function chartSeries(days: UsageSummaryDay[]): {
  series: ChartSeries[];
  indexOf(model: string): number;
} {
  const totals = new Map<string, number>();
  for (const day of days)
    for (const m of day.models)
      totals.set(m.model, (totals.get(m.model) ?? 0) + m.inputTokens + m.outputTokens);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([model]) => model);
  const named = ranked.length > SERIES ? ranked.slice(0, SERIES - 1) : ranked;
  const series = named.map((label, i) => ({ label, className: `usage-s${i}` }));
  if (ranked.length > named.length) series.push({ label: 'other models', className: `usage-s${SERIES - 1}` });
  return {
    series,
    indexOf: (model) => Math.min(named.indexOf(model) === -1 ? SERIES - 1 : named.indexOf(model), SERIES - 1),
  };
}

/**
 * Tokens (in + out) per day, stacked by model, as inline SVG: no chart library, and no inline
 * styles (the CSP refuses them), only attributes and classes.
 */
export function UsageChart({ days, dates }: { days: UsageSummaryDay[]; dates: string[] }) {
  const byDate = new Map(days.map((day) => [day.date, day]));
  const { series, indexOf } = chartSeries(days);
  const tokens = (date: string) =>
    (byDate.get(date)?.models ?? []).reduce((n, m) => n + m.inputTokens + m.outputTokens, 0);
  const max = Math.max(1, ...dates.map(tokens));
  const total = dates.reduce((n, date) => n + tokens(date), 0);
  return (
    <figure class="usage-figure">
      <svg
        class="usage-chart"
        data-testid="usage-chart"
        viewBox={`0 0 ${dates.length * BAR} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Tokens per day over ${dates.length} day(s): ${total.toLocaleString('en-US')} in all, at most ${max.toLocaleString('en-US')} in a day`}
      >
        {dates.map((date, i) => {
          let top = HEIGHT;
          const stacks = new Map<number, number>();
          for (const m of byDate.get(date)?.models ?? [])
            stacks.set(
              indexOf(m.model),
              (stacks.get(indexOf(m.model)) ?? 0) + m.inputTokens + m.outputTokens,
            );
          return (
            <g key={date}>
              <title>{`${date}: ${tokens(date).toLocaleString('en-US')} tokens`}</title>
              {[...stacks.entries()].map(([index, value]) => {
                const height = (value / max) * HEIGHT;
                top -= height;
                return (
                  <rect
                    key={index}
                    class={series[index]?.className ?? `usage-s${index}`}
                    x={i * BAR + 1}
                    y={top}
                    width={BAR - 2}
                    height={height}
                  />
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="usage-legend">
          {series.map((s) => (
            <li key={s.label}>
              <svg width="10" height="10" aria-hidden="true">
                <rect class={s.className} width="10" height="10" />
              </svg>{' '}
              {s.label}
            </li>
          ))}
        </ul>
        <span class="muted small">
          {dates[0]} to {dates.at(-1)} (UTC), tokens in + out per day
        </span>
      </figcaption>
    </figure>
  );
}
